/**
 * A browser session on a site whose bot defence (Imperva/Incapsula) sets its cookies from
 * JavaScript: Debian's Chromium (or any Chromium/Chrome the user names), driven headless by
 * playwright-core, loads the site's start page, lets the challenge script run and reload the page,
 * and hands back the cookies the browser then holds. playwright-core never downloads a browser;
 * the kernel finds the executable and says so when there is none.
 *
 * The check has passed when the main page answered below 400 and is no bot-check page, and the
 * cookies the site needs (when the chain names them) are set. A check that has not passed within
 * the time is reported as `blocked` with what the page still showed (a captcha wants `--headed`
 * and a person).
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { BrowserCookie, BrowserSessionOptions, BrowserSessionResult, BrowserSessionStarter } from '@trolley/core';
import { CHALLENGE } from './block-page.js';
import { rebase } from './rebase.js';

export interface SessionSite {
  readonly name: string;
  readonly defaultBaseUrl: string;
  /** The page the browser opens (the site's home page). */
  readonly startUrl: string;
  /** Cookies whose presence shows the check has passed (Imperva's `incap_ses_*`); none named: any page that is not a check. */
  readonly sessionCookies?: RegExp;
}

/** Chromium switches for a session that talks to the site only: no sync, updates, first-run pages or GPU. */
const ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync', '--disable-default-apps', '--no-default-browser-check'];
const POLL_MS = 200;

/** The browser would not start: a sentence for the user, with the kernel's input exit code (3). */
export class BrowserUnavailable extends Error {
  readonly exitCode = 3;
  readonly code = 'no-browser';
}

export function browserSession(site: SessionSite): BrowserSessionStarter {
  return { defaultBaseUrl: site.defaultBaseUrl, start: (options) => startBrowserSession(site, options) };
}

export async function startBrowserSession(site: SessionSite, options: BrowserSessionOptions): Promise<BrowserSessionResult> {
  const { chromium } = await import('playwright-core');
  const url = rebase(site.startUrl, options.baseUrl);
  let browser;
  try {
    browser = await chromium.launch({ executablePath: options.executablePath, headless: !options.headed, args: ARGS, timeout: 60_000 });
  } catch (error) {
    const first = String((error as Error).message ?? error).split('\n')[0];
    throw new BrowserUnavailable(`The browser ${options.executablePath} did not start (${first}); install Debian's chromium package or name a working Chromium with --browser.`);
  }
  try {
    const context = await browser.newContext({ ...(options.userAgent ? { userAgent: options.userAgent } : {}), locale: 'en-AU', timezoneId: 'Australia/Sydney' });
    const page = await context.newPage();
    let status = 0;
    // The main page's answers: their status, and the last body with text (a page that reloads itself
    // all the time may never hold still long enough to be read from the DOM).
    let answered = '';
    page.on('response', (response) => {
      if (!response.request().isNavigationRequest() || response.frame() !== page.mainFrame()) return;
      status = response.status();
      response.text().then((body) => (textOf(body) !== '' ? (answered = body) : undefined), () => undefined);
    });
    const deadline = Date.now() + options.timeoutMs;
    options.logger.info({ url, browser: options.executablePath }, `${site.name}: opening ${url} in ${options.headed ? 'a browser window' : 'a headless browser'}`);
    // A challenge answers 403 and reloads itself: a failed or interrupted navigation is not the end.
    await page.goto(url, { waitUntil: 'load', timeout: options.timeoutMs }).catch((error: Error) => options.logger.debug({ err: error }, `${site.name}: first load: ${error.message}`));
    let seen = '';
    for (;;) {
      const html = await page.content().catch(() => undefined);
      if (html !== undefined) {
        // A page caught mid-reload is empty: what the user is told is the last page that said something.
        if (textOf(html) !== '') seen = html;
        const cookies = await context.cookies();
        const checked = status > 0 && status < 400 && !CHALLENGE.test(html.slice(0, 20_000));
        const named = site.sessionCookies === undefined || cookies.some((c) => site.sessionCookies!.test(c.name));
        if (checked && named) {
          options.logger.info({ url: page.url(), cookies: cookies.length }, `${site.name}: the site's check passed; ${cookies.length} cookie(s)`);
          return { url: page.url(), cookies: cookies.map(toBrowserCookie) };
        }
      }
      if (Date.now() >= deadline) break;
      await sleep(POLL_MS);
    }
    const shown = textOf(seen || answered).slice(0, 120);
    return {
      url: page.url(),
      cookies: (await context.cookies()).map(toBrowserCookie),
      blocked: `after ${Math.round(options.timeoutMs / 1000)} s the page still answered HTTP ${status || 'nothing'}${shown ? ` ("${shown}")` : ''}`,
    };
  } finally {
    await browser.close().catch(() => undefined);
  }
}

function toBrowserCookie(cookie: { name: string; value: string; domain: string; path: string; expires: number; httpOnly: boolean; secure: boolean }): BrowserCookie {
  return { name: cookie.name, value: cookie.value, domain: cookie.domain, path: cookie.path, expires: cookie.expires, httpOnly: cookie.httpOnly, secure: cookie.secure };
}

/** The visible text of a page, roughly: scripts and tags out, spaces collapsed. */
function textOf(html: string): string {
  return html.replace(/<script[\s\S]*?<\/script>/gi, ' ').replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ').trim();
}
