/**
 * The installed scraper of a company that has a capability, or an input error naming the installed
 * scraper plugins and what each can do.
 */
import type { DependencyContainer } from 'tsyringe';
import { InputError } from '../errors.js';
import type { Scraper, ScraperCapability } from '../extensions/api.js';
import type { ExtensionRegistry } from '../extensions/registry.js';

export async function scraperFor(registry: ExtensionRegistry, container: DependencyContainer, company: string, capability: ScraperCapability): Promise<Scraper> {
  const wanted = company.trim().toLowerCase();
  const scrapers = await registry.all('Scraper', container);
  const found = scrapers.find(({ extension }) => extension.company.toLowerCase() === wanted && extension.capabilities.includes(capability) && extension[capability] !== undefined);
  if (found) return found.extension;
  const own = scrapers.find(({ extension }) => extension.company.toLowerCase() === wanted);
  if (own && capability === 'stores') {
    throw new InputError(
      `The ${wanted} scraper (${own.entry.plugin.name}) has no store locator; load ${wanted} stores from a store list instead: trolley stores import FILE (the national list stores-YYYY-MM-DD.jsonl.gz holds every chain's stores).`,
      'no-scraper',
    );
  }
  const installed = scrapers.map(({ entry, extension }) => `${extension.company} (${entry.plugin.name}: ${extension.capabilities.join(', ')})`);
  throw new InputError(
    `No installed scraper can scrape ${wanted} ${capability}; ${installed.length > 0 ? `the installed scraper plugins are ${installed.join('; ')}` : 'no scraper plugin is installed'}: name one of those companies, or install a plugin for ${wanted} (trolley plugins install NAME).`,
    'no-scraper',
  );
}

/**
 * Each installed scraper's one form of its company's store ids (`Scraper.storeId`), for reading
 * files that wrote another form (Coles' `0584` for `COL:584`): the canonical id, or undefined to
 * keep the id as written (no scraper of the company, or an id the scraper does not recognise).
 */
export async function storeIdForms(registry: ExtensionRegistry, container: DependencyContainer): Promise<(company: string, storeId: string) => string | undefined> {
  const forms = new Map<string, (given: string) => string | undefined>();
  for (const { extension } of await registry.all('Scraper', container)) {
    const form = extension.storeId?.bind(extension);
    if (form && !forms.has(extension.company.toLowerCase())) forms.set(extension.company.toLowerCase(), form);
  }
  return (company, storeId) => forms.get(company)?.(storeId);
}
