/** What `scrape products` and `scrape run` say about one store's scrape, and the exit code it means. */
import { ExitCode } from '../errors.js';
import type { StoreScrapeResult } from './scrape-store.js';

export function exitCodeOf(result: StoreScrapeResult): number {
  switch (result.status) {
    case 'blocked':
      return ExitCode.blocked;
    case 'bad-categories':
      return ExitCode.input;
    case 'unavailable':
      return ExitCode.unavailable;
    case 'partial':
    case 'empty':
      return ExitCode.incomplete;
    default:
      return ExitCode.ok;
  }
}

export function describeStoreScrape(r: StoreScrapeResult): string {
  const c = r.categories;
  const where = `${r.company} store ${r.storeId} (${r.date})`;
  switch (r.status) {
    case 'dry-run':
      return `Dry run: would list ${where} into ${r.file}${c.resumed > 0 ? ` (${c.resumed} categories finished earlier are kept)` : ''}; nothing fetched.`;
    case 'already-done':
      return `${where}: already complete in ${r.file}; nothing fetched.`;
    default:
      return `${where}: ${r.products.toLocaleString('en-AU')} product(s) from ${c.done}/${c.wanted} categories (${c.resumed} finished earlier, ${c.failed.length} failed), ${r.duplicates} duplicate(s) dropped, ${r.pages} page(s) in ${r.seconds}s${r.written ? ` → ${r.file}${r.status === 'done' ? '' : ' (partial)'}` : ''}.`;
  }
}
