import test from 'ava';
import { CookieParseError, mergeCookies } from '@crawlee/http';
import { mergeCookieHeaders } from '../src/cookie-header.js';

const URL_ = 'https://www.example.com/api/search?page=2';

test('the merged Cookie header is what crawlee merges: a later cookie of a name replaces the earlier in its place', (t) => {
  const cases: string[][] = [
    ['a=1; b=2', 'b=4; c=5', 'a=9'],
    ['', 'fulfillmentStoreId=0584', ''],
    ['visid_incap_1=abc; incap_ses_2=d=e=f', 'fulfillmentStoreId=0584; Cc=3', 'cc=6', 'x="quoted value"'],
    ['  spaced = yes ;  ;b=2;', 'b=3'],
    [],
  ];
  for (const sources of cases) t.is(mergeCookieHeaders(sources), mergeCookies(URL_, sources), sources.join(' | '));
  t.is(mergeCookieHeaders(['a=1; b=2', 'b=4; c=5', 'a=9']), 'a=9; b=4; c=5');
  t.is(mergeCookieHeaders([undefined, ['k=1', 'l=2'], 'k=3']), 'k=3; l=2');
});

test('a piece that is not name=value fails as crawlee fails it; prefixed cookies are kept where crawlee dropped them', (t) => {
  const error = t.throws(() => mergeCookieHeaders(['a=1; junk']), { instanceOf: CookieParseError });
  t.is(error?.message, 'Could not parse cookie header string: junk');
  t.throws(() => mergeCookieHeaders(['=value']), { instanceOf: CookieParseError });
  // crawlee's jar drops a __Secure-/__Host- cookie that comes without its Secure attribute, as any
  // cookie in a Cookie header does; a browser sends them.
  t.is(mergeCookies(URL_, ['__Secure-a=1; b=2', '__Host-d=5']), 'b=2');
  t.is(mergeCookieHeaders(['__Secure-a=1; b=2', '__Host-d=5']), '__Secure-a=1; b=2; __Host-d=5');
});
