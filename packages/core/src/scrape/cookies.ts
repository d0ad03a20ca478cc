/**
 * `--cookies FILE`: the cookies of a browser session that passed the site's bot check, as a Netscape
 * cookie file (what browser extensions and `curl -c` export) or a `Cookie:` header line copied from
 * the browser's developer tools.
 *
 * A Netscape file is often the browser's whole jar (mail, bank, search): its cookies go into a real
 * cookie jar (tough-cookie), and each request carries only the cookies whose domain, path, `Secure`
 * flag and expiry match its address, as a browser would. A `Cookie:` line names no domain: it was
 * copied from a request to the site, so it is sent to the pages of the run and nowhere else.
 */
import fs from 'node:fs';
import path from 'node:path';
import { Cookie, CookieJar } from 'tough-cookie';
import { InputError } from '../errors.js';
import type { BrowserCookie } from '../extensions/api.js';

export interface CookieSource {
  /** The `Cookie` header value for a request to `url`, or undefined when no cookie applies. */
  readonly headerFor: (url: string) => string | undefined;
  /** Cookies read (live ones). */
  readonly count: number;
  /** Cookies of the Netscape file that had expired (left out). */
  readonly expired: number;
  /** Domains the cookies belong to (empty for a `Cookie:` line). */
  readonly domains: readonly string[];
}

export function readCookieFile(file: string, now: Date = new Date()): CookieSource {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    throw new InputError(`The cookie file ${file} cannot be read (${(error as Error).message}); check the path given to --cookies.`, 'bad-cookies', error);
  }
  return parseCookies(text, file, now);
}

export function parseCookies(text: string, file: string, now: Date = new Date()): CookieSource {
  const lines = text.split(/\r?\n/).map((line) => line.trim()).filter((line) => line !== '');
  const headerLine = lines.find((line) => /^cookie\s*:/i.test(line));
  if (headerLine !== undefined) return fromHeader(headerLine.replace(/^cookie\s*:/i, ''), file);
  const cookieLines = lines.filter((line) => !line.startsWith('#') || line.startsWith('#HttpOnly_'));
  if (cookieLines.length > 0 && cookieLines.every((line) => line.split('\t').length >= 7)) return fromNetscape(cookieLines, file, now);
  if (lines.length === 1 && /^[^=;\s]+=/.test(lines[0]!)) return fromHeader(lines[0]!, file);
  throw new InputError(
    `${file} is neither a Netscape cookie file (tab-separated: domain, flag, path, secure, expiry, name, value) nor a "Cookie: name=value; ..." line; export the cookies again in one of those forms.`,
    'bad-cookies',
  );
}

/** Netscape lines: domain, include-subdomains, path, secure, expiry (Unix seconds, 0 = session), name, value. */
function fromNetscape(lines: readonly string[], file: string, now: Date): CookieSource {
  // Loopback over plain http is not a secure channel here: a Secure cookie goes over https only.
  const jar = new CookieJar(undefined, { allowSecureOnLocal: false, rejectPublicSuffixes: true, looseMode: false });
  const domains = new Set<string>();
  let count = 0;
  let expired = 0;
  for (const line of lines) {
    const httpOnly = line.startsWith('#HttpOnly_');
    const [rawDomain = '', subdomains, rawPath, secureFlag, expiry, name = '', ...value] = (httpOnly ? line.slice('#HttpOnly_'.length) : line).split('\t');
    const host = rawDomain.replace(/^\./, '').toLowerCase();
    const seconds = Number(expiry);
    if (Number.isFinite(seconds) && seconds > 0 && seconds * 1000 <= now.getTime()) {
      expired++;
      continue;
    }
    const secure = secureFlag?.toUpperCase() === 'TRUE';
    const wide = subdomains?.toUpperCase() === 'TRUE' || rawDomain.startsWith('.');
    const path = rawPath && rawPath.startsWith('/') ? rawPath : '/';
    const cookie = new Cookie({
      key: name,
      value: value.join('\t'),
      path,
      secure,
      httpOnly,
      // A host-only cookie (flag FALSE) takes its domain from the address it is set for.
      ...(wide ? { domain: host } : {}),
      ...(Number.isFinite(seconds) && seconds > 0 ? { expires: new Date(seconds * 1000) } : {}),
    });
    let stored: Cookie | undefined;
    try {
      stored = jar.setCookieSync(cookie, `${secure ? 'https' : 'http'}://${host}${path}`, { now });
    } catch {
      stored = undefined;
    }
    if (stored === undefined) throw new InputError(`${file} holds a cookie no browser would keep (${name} for ${rawDomain}); export the cookies of the site again.`, 'bad-cookies');
    domains.add(host);
    count++;
  }
  if (count === 0) throw new InputError(`Every cookie in ${file} has expired; export fresh cookies from a browser session on the site and pass them with --cookies.`, 'bad-cookies');
  return {
    headerFor: (url) => jar.getCookieStringSync(url) || undefined,
    count,
    expired,
    domains: [...domains].sort(),
  };
}

function fromHeader(value: string, file: string): CookieSource {
  const pairs = value
    .split(';')
    .map((pair) => pair.trim())
    .filter((pair) => /^[^=\s]+=/.test(pair));
  if (pairs.length === 0) throw new InputError(`The Cookie line in ${file} holds no name=value pair; copy the whole header from the browser.`, 'bad-cookies');
  const header = pairs.join('; ');
  return { headerFor: () => header, count: pairs.length, expired: 0, domains: [] };
}

/** Where `scrape session` keeps a company's browser session: `TROLLEY_HOME/sessions/<company>.cookies.txt`. */
export function sessionJarPath(home: string, company: string): string {
  return path.join(home, 'sessions', `${company.trim().toLowerCase()}.cookies.txt`);
}

/**
 * A browser's cookies as a Netscape cookie file, the form `--cookies` reads back into a scoped jar:
 * each cookie keeps its domain (host-only or with subdomains), path, `Secure` flag and expiry, so
 * it goes only where the browser would send it. Written beside its name and renamed, readable by
 * the owner only (the cookies are a login to the site).
 */
export function writeCookieFile(file: string, cookies: readonly BrowserCookie[], now: Date = new Date()): void {
  const lines = ['# Netscape HTTP Cookie File', `# Written by trolley scrape session at ${now.toISOString()}; each cookie is sent only to its own domain and path.`];
  for (const cookie of cookies) {
    const wide = cookie.domain.startsWith('.');
    const expiry = cookie.expires > 0 ? String(Math.floor(cookie.expires)) : '0';
    const fields = [cookie.domain, wide ? 'TRUE' : 'FALSE', cookie.path || '/', cookie.secure ? 'TRUE' : 'FALSE', expiry, cookie.name, cookie.value];
    if (fields.some((field) => /[\t\r\n]/.test(field))) continue;
    lines.push(`${cookie.httpOnly ? '#HttpOnly_' : ''}${fields.join('\t')}`);
  }
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const temporary = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(temporary, `${lines.join('\n')}\n`, { mode: 0o600 });
  fs.renameSync(temporary, file);
}

/**
 * The cookies a company's scrape sends: those of `--cookies FILE` when given, else the session
 * `scrape session` saved for the company (when there is one), else none.
 */
export function cookiesOf(given: string | undefined, home: string, company: string, now: Date = new Date()): { readonly file: string; readonly source: CookieSource; readonly saved: boolean } | undefined {
  if (given !== undefined) return { file: given, source: readCookieFile(given, now), saved: false };
  const saved = sessionJarPath(home, company);
  if (!fs.existsSync(saved)) return undefined;
  try {
    return { file: saved, source: readCookieFile(saved, now), saved: true };
  } catch (error) {
    if (error instanceof InputError && /has expired/.test(error.message)) {
      throw new InputError(`The browser session saved in ${saved} has expired; run trolley scrape session --company ${company} again (or pass --cookies FILE).`, 'bad-cookies');
    }
    throw error;
  }
}
