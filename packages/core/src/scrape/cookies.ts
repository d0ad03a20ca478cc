/**
 * `--cookies FILE`: the cookies of a browser session that passed the site's bot check, as a Netscape
 * cookie file (what browser extensions and `curl -c` export) or a `Cookie:` header line copied from
 * the browser's developer tools. Either becomes one `Cookie` header value.
 */
import fs from 'node:fs';
import { InputError } from '../errors.js';

export interface CookieHeader {
  /** `name=value; name2=value2`. */
  readonly header: string;
  readonly count: number;
  /** Cookies of the Netscape file that had expired (left out). */
  readonly expired: number;
}

export function readCookieFile(file: string, now: Date = new Date()): CookieHeader {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    throw new InputError(`The cookie file ${file} cannot be read (${(error as Error).message}); check the path given to --cookies.`, 'bad-cookies', error);
  }
  return parseCookies(text, file, now);
}

export function parseCookies(text: string, file: string, now: Date = new Date()): CookieHeader {
  const lines = text.split(/\r?\n/).map((line) => line.trim()).filter((line) => line !== '');
  const headerLine = lines.find((line) => /^cookie\s*:/i.test(line));
  if (headerLine !== undefined) return fromHeader(headerLine.replace(/^cookie\s*:/i, ''), file);
  const cookieLines = lines.filter((line) => !line.startsWith('#') || line.startsWith('#HttpOnly_'));
  if (cookieLines.length > 0 && cookieLines.every((line) => line.split('\t').length >= 7)) {
    const pairs: string[] = [];
    let expired = 0;
    for (const line of cookieLines) {
      const [, , , , expiry, name, ...value] = line.split('\t');
      const expires = Number(expiry);
      if (Number.isFinite(expires) && expires > 0 && expires * 1000 < now.getTime()) {
        expired++;
        continue;
      }
      pairs.push(`${name}=${value.join('\t')}`);
    }
    if (pairs.length === 0) {
      throw new InputError(`Every cookie in ${file} has expired; export fresh cookies from a browser session on the site and pass them with --cookies.`, 'bad-cookies');
    }
    return { header: pairs.join('; '), count: pairs.length, expired };
  }
  if (lines.length === 1 && /^[^=;\s]+=/.test(lines[0]!)) return fromHeader(lines[0]!, file);
  throw new InputError(
    `${file} is neither a Netscape cookie file (tab-separated: domain, flag, path, secure, expiry, name, value) nor a "Cookie: name=value; ..." line; export the cookies again in one of those forms.`,
    'bad-cookies',
  );
}

function fromHeader(value: string, file: string): CookieHeader {
  const pairs = value
    .split(';')
    .map((pair) => pair.trim())
    .filter((pair) => /^[^=\s]+=/.test(pair));
  if (pairs.length === 0) throw new InputError(`The Cookie line in ${file} holds no name=value pair; copy the whole header from the browser.`, 'bad-cookies');
  return { header: pairs.join('; '), count: pairs.length, expired: 0 };
}
