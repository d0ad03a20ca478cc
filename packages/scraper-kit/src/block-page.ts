/**
 * Pages a bot defence answers instead of data, the same on every chain's site: 401/403, an
 * Imperva/Incapsula challenge, a captcha or "access denied" page where JSON was expected. A block
 * is never retried in a loop: the crawl stops and the kernel keeps what was finished.
 */
import type { SiteResponse } from './site-crawler.js';

/** Markers of a bot-check page (Imperva/Incapsula, captchas, Cloudflare, "access denied"). */
export const CHALLENGE = /_Incapsula_Resource|Incapsula incident ID|captcha|cf-chl-|Access Denied|Request unsuccessful/i;

export function blockReason(response: SiteResponse): string | undefined {
  const denied = response.status === 401 || response.status === 403;
  const html = /html/i.test(response.contentType);
  // A JSON page that was let through is data, whatever its products are called: not searched.
  if (!denied && !html) return undefined;
  const looksLikeChallenge = CHALLENGE.test(response.text.slice(0, 20_000));
  if (denied) {
    return looksLikeChallenge && /incapsula/i.test(response.text) ? `an Imperva/Incapsula challenge (HTTP ${response.status})` : `HTTP ${response.status}`;
  }
  if (looksLikeChallenge && !/__NEXT_DATA__/.test(response.text)) return 'a bot-check page instead of data';
  return undefined;
}
