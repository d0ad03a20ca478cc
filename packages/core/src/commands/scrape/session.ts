import fs from 'node:fs';
import path from 'node:path';
import { Flags } from '@oclif/core';
import { TrolleyCommand } from '../../cli/base-command.js';
import { BlockedError, InputError, UsageError } from '../../errors.js';
import { parseDuration } from '../../cli/duration.js';
import { sessionJarPath, writeCookieFile } from '../../scrape/cookies.js';
import { DEFAULT_SCRAPE_USER_AGENT } from '../../scrape/fetch-flags.js';
import { scraperFor } from '../../scrape/scraper-lookup.js';

/** Where Debian, Ubuntu and Chrome put their browsers; the first that exists is used. */
export const BROWSER_CANDIDATES = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome', '/usr/bin/google-chrome-stable'];

export interface ScrapeSessionResult {
  company: string;
  /** The address the browser ended on. */
  url: string;
  /** The cookie jar file written. */
  out: string;
  cookies: number;
  /** Cookie names and their domains (values are left out: they are a login to the site). */
  saved: Array<{ name: string; domain: string; path: string; expires: string | null }>;
  seconds: number;
}

export default class ScrapeSession extends TrolleyCommand<typeof ScrapeSession> {
  static override summary = "Open the chain's site in a headless browser, pass its bot check, and keep the cookies for later scrapes.";
  static override description = `Some chains' sites (Coles) sit behind a bot defence that sets its cookies from JavaScript in a real browser. This command starts the Chromium installed on the machine (never a downloaded one) through the installed scraper of the company, loads the site, lets the check run, and writes the browser's cookies to a cookie jar file (Netscape format, readable by you only): by default TROLLEY_HOME/sessions/<company>.cookies.txt, which "scrape products", "scrape barcodes", "scrape stores" and "scrape run" of that company then use without --cookies (each cookie goes only to its own domain and path, Secure ones over https only, expired ones never). The browser presents the same user agent as the scrapes (--user-agent, TROLLEY_SCRAPE_USER_AGENT). When the check has not passed after --timeout the command exits 4 and writes nothing; a captcha wants --headed and a person at the window.`;
  static override examples = [
    '<%= config.bin %> scrape session --company coles',
    '<%= config.bin %> scrape session --company coles --out coles-cookies.txt --json',
    '<%= config.bin %> scrape session --company coles --headed --timeout 5m',
  ];
  static override flags = {
    company: Flags.string({ description: 'The chain whose site to open (one whose installed scraper has the session capability, such as coles).', required: true }),
    out: Flags.string({ description: 'Write the cookie jar here (default: TROLLEY_HOME/sessions/<company>.cookies.txt, which later scrapes of the company read).' }),
    browser: Flags.string({ description: `The Chromium or Chrome executable (default: the first of ${BROWSER_CANDIDATES.join(', ')}).`, env: 'TROLLEY_CHROMIUM' }),
    timeout: Flags.string({ description: "Give up when the site's check has not passed after this long.", default: '60s' }),
    headed: Flags.boolean({ description: 'Show the browser window (for a check a person must pass, such as a captcha).' }),
    'user-agent': Flags.string({ description: 'User agent the browser presents; the scrapes that use the session should send the same one.', env: 'TROLLEY_SCRAPE_USER_AGENT' }),
    'base-url': Flags.string({ description: "Open this origin instead of the site's (a mirror or a test server).", env: 'TROLLEY_SCRAPE_BASE_URL' }),
  };

  async run(): Promise<ScrapeSessionResult> {
    const flags = this.flags;
    const timeoutMs = parseDuration(flags.timeout, 'timeout');
    if (timeoutMs <= 0) throw new UsageError(`--timeout ${flags.timeout} leaves the site no time for its check; give a duration such as 60s.`);
    const baseUrl = flags['base-url'];
    if (baseUrl !== undefined && !/^https?:\/\/[^/]+/i.test(baseUrl)) throw new UsageError(`--base-url ${baseUrl} is not an http(s) address; write it like https://www.coles.com.au.`);
    const kernel = await this.kernel();
    const scraper = await scraperFor(await kernel.extensions(), kernel.container, flags.company, 'session');
    const executablePath = findBrowser(flags.browser);
    const out = path.resolve(flags.out ?? sessionJarPath(kernel.config.home, scraper.company));
    const started = Date.now();
    const session = await scraper.session!.start({
      executablePath,
      baseUrl: baseUrl?.replace(/\/+$/, ''),
      userAgent: flags['user-agent'] ?? DEFAULT_SCRAPE_USER_AGENT,
      timeoutMs,
      headed: flags.headed,
      logger: kernel.logger,
    });
    if (session.blocked !== undefined) {
      throw new BlockedError(`The ${scraper.company} site's bot check did not pass in the browser at ${session.url} (${session.blocked}); nothing was written: run again with a longer --timeout, or with --headed to pass the check by hand.`, 'session-blocked');
    }
    writeCookieFile(out, session.cookies);
    const result: ScrapeSessionResult = {
      company: scraper.company,
      url: session.url,
      out,
      cookies: session.cookies.length,
      saved: session.cookies.map((c) => ({ name: c.name, domain: c.domain, path: c.path, expires: c.expires > 0 ? new Date(c.expires * 1000).toISOString() : null })),
      seconds: Math.round((Date.now() - started) / 100) / 10,
    };
    const later = flags.out ? `pass it with --cookies ${flags.out}` : `later ${scraper.company} scrapes use it`;
    this.log(`The ${scraper.company} site's check passed at ${session.url}: ${result.cookies} cookie(s) written to ${out}; ${later}.`);
    return this.finish(result, 0);
  }
}

/** The browser to start: the one named, else the first installed one; never a download. */
export function findBrowser(named: string | undefined, candidates: readonly string[] = BROWSER_CANDIDATES): string {
  if (named !== undefined) {
    if (!isExecutable(named)) throw new InputError(`No browser at ${named}: name the Chromium or Chrome executable with --browser (or TROLLEY_CHROMIUM), or install Debian's chromium package; trolley does not download one.`, 'no-browser');
    return named;
  }
  const found = candidates.find(isExecutable);
  if (found === undefined) throw new InputError(`No Chromium is installed (looked for ${candidates.join(', ')}): install Debian's chromium package (apt-get install chromium) or name a Chromium or Chrome executable with --browser; trolley does not download one.`, 'no-browser');
  return found;
}

function isExecutable(file: string): boolean {
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}
