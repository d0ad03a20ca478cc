/** What plugin-subs says to people, kept apart from the code that decides. */
import type { ApplyCounts } from './storage/substitution-store.js';
import type { GeneratorRun } from './generation/run-generators.js';
import { displayName, type ProductSummary } from '@trolley/core';
import type { LinksResult } from './categories/link-review.js';

const n = (x: number) => x.toLocaleString('en-AU');

export const text = {
  generateDescription:
    'Runs every installed substitution generator of the chosen levels over the catalogue, keeps each unordered product pair once at its strongest level, and stores the result as a diff in one transaction: new pairs inserted, changed pairs updated, pairs of the levels that ran but were not produced again deleted. A stored pair of a stronger level that did not run is kept.',
  applyDescription:
    'Stores the pairs of a file written by trolley subs generate --out, as a diff in one transaction, as if the levels named in the file had just run. Pairs naming products this database does not have are skipped and counted, not fatal.',
  unknownLevel: (level: number, available: readonly number[]) => `No installed generator has level ${level}; installed levels: ${available.join(', ') || 'none'} (see trolley extensions --kind SubstitutionGenerator).`,
  badLevels: (value: string) => `--levels ${value} is not a comma-separated list of levels such as 1,2,4.`,
  generatorLine: (run: GeneratorRun) => `LVL${run.level} ${run.id}: ${run.pairs.toLocaleString('en-AU')} pair(s) in ${run.seconds}s`,
  written: (file: string, pairs: number, dryRun: boolean) => (dryRun ? `Dry run: would write ${pairs.toLocaleString('en-AU')} pair(s) to ${file}.` : `Wrote ${pairs.toLocaleString('en-AU')} pair(s) to ${file}; store them with trolley subs apply ${file}.`),
  stored: (c: ApplyCounts, dryRun: boolean) =>
    `${dryRun ? 'Dry run: would store' : 'Stored'} ${c.pairs.toLocaleString('en-AU')} pair(s): ${n(c.inserted)} new, ${n(c.updated)} changed, ${n(c.unchanged)} unchanged, ${n(c.deleted)} deleted` +
    (c.keptStronger ? `, ${n(c.keptStronger)} left to a stronger stored level` : '') +
    (c.unknownProducts ? `, ${n(c.unknownProducts)} naming unknown products skipped` : '') +
    '.',
  /** The one line `trolley pipeline` shows for its substitutions step. */
  pipelineStep: (products: number, perLevel: Readonly<Record<string, number>>, c: ApplyCounts) =>
    `${c.pairs.toLocaleString('en-AU')} substitution pair(s) over ${products.toLocaleString('en-AU')} products (${Object.entries(perLevel)
      .map(([level, n]) => `${level.toUpperCase()} ${n.toLocaleString('en-AU')}`)
      .join(', ')}): ${n(c.inserted)} new, ${n(c.updated)} changed, ${n(c.deleted)} deleted.`,
  unknownProducts: (file: string, n: number) => `${file}: ${n} pair(s) name products this database does not have; they were skipped.`,
  linksSummary: (r: Omit<LinksResult, 'weakest'>) =>
    `${r.categories.toLocaleString('en-AU')} leaf categories of ${r.companies} company(ies): ${r.links.MATCH} MATCH, ${r.links.CLOSE} CLOSE, ${r.links.DISTANT} DISTANT link(s) (products compared with ${r.embedder}); ${r.changed.toLocaleString('en-AU')} stored row(s) changed.\n` +
    `${r.superGroups} super-group(s)${r.superGroups > 0 ? `, the largest of ${r.largestSuperGroup} categories` : ''}.` +
    (r.companies === 1 ? ' One company: its MATCH links join its own categories that hold the same kind of product.' : ''),
  showHeading: (p: ProductSummary, shown: number, total: number) =>
    `${displayName(p)} (id ${p.id}${p.barcode ? `, barcode ${p.barcode}` : ''}): ${total === 0 ? 'no stored substitutes' : shown < total ? `${total} substitute(s), the ${shown} strongest shown (--limit for more)` : `${total} substitute(s)`}`,
};
