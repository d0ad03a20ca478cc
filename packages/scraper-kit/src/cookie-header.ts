/**
 * The Cookie header of one request, from the cookies the site set in the crawl's session, the
 * site's own (the store it selects) and a browser session's (`--cookies`).
 *
 * crawlee's HttpCrawler merges these with `mergeCookies`, which builds a tough-cookie jar for every
 * request and parses each cookie into it: about a tenth of the scraper's CPU time per page. The
 * rule is kept (a later source's cookie replaces an earlier one of the same name, in the place the
 * name first had; a piece that is not `name=value` is a {@link CookieParseError}), with one
 * difference: `__Secure-` and `__Host-` cookies are sent. A jar drops a prefixed cookie set
 * without its Secure attribute, and a Cookie header never carries attributes, so crawlee's merge
 * silently left such cookies out of every request, where a browser sends them.
 */
import { CookieParseError } from '@crawlee/http';

export type CookieSource = string | readonly string[] | undefined;

export function mergeCookieHeaders(sources: readonly CookieSource[]): string {
  const cookies = new Map<string, string>();
  for (const source of sources) {
    if (!source) continue;
    for (const header of typeof source === 'string' ? [source] : source) {
      for (const piece of header.split(';')) {
        const pair = piece.trim();
        if (pair === '') continue;
        const eq = pair.indexOf('=');
        if (eq <= 0) throw new CookieParseError(pair);
        cookies.set(pair.slice(0, eq).trim(), pair.slice(eq + 1).trim());
      }
    }
  }
  let header = '';
  for (const [name, value] of cookies) header += `${header === '' ? '' : '; '}${name}=${value}`;
  return header;
}
