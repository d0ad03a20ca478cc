/**
 * A store that shares another store's rows (`price_sharing`, prices/sharing.ts) stores only where
 * its file differs from its source's rows, so what its import writes depends on whether its
 * source's file of the same day went in first. To make an import store the same rows however its
 * batches are timed, a run imports each day's files of pricing stores before the files of the
 * stores that read their rows (this module), and a batch never overlaps an earlier batch of a
 * store it shares with (import-files.ts).
 */
import type { Knex } from 'knex';
import type { FileHead } from './imported-files.js';
import { refKey } from './store-resolution.js';

type Rows<T> = { rows: T[] };

/** For each store that reads another store's rows, that source, both as store keys ({@link refKey}). */
export async function sourcesOfSharingStores(knex: Knex): Promise<Map<string, string>> {
  const { rows } = (await knex.raw(
    `select c.name as company, s.store_id, sc.name as source_company, ss.store_id as source_store_id
     from price_sharing sh
     join stores s on s.id = sh.store_id join companies c on c.id = s.company_id
     join stores ss on ss.id = sh.source_store_id join companies sc on sc.id = ss.company_id`,
  )) as Rows<{ company: string; store_id: string; source_company: string; source_store_id: string }>;
  return new Map(rows.map((r) => [refKey(r.company, r.store_id), refKey(r.source_company, r.source_store_id)]));
}

/**
 * The order to import `files` in, as indexes into it: the given order, except that among
 * consecutive files of one scraped date, a store's file follows the file of the store whose rows
 * it reads (a source that itself reads another's follows that one). Stable, so a store's own files
 * keep their order; a file whose first line does not say its store stays with its date's files.
 */
export function sourcesFirst(files: readonly string[], heads: ReadonlyMap<string, Pick<FileHead, 'store' | 'scrapedDate'>>, sourceOf: ReadonlyMap<string, string>): number[] {
  const order = files.map((_, index) => index);
  if (sourceOf.size === 0) return order;
  const depth = (key: string | undefined) => {
    let n = 0;
    // A chain longer than the map would be a cycle; stop there.
    for (let at = key === undefined ? undefined : sourceOf.get(key); at !== undefined && n < sourceOf.size; at = sourceOf.get(at)) n++;
    return n;
  };
  const ranked = files.map((file, index) => {
    const head = heads.get(file);
    return { index, date: head?.scrapedDate, depth: depth(head && refKey(head.store.company, head.store.storeId)) };
  });
  const result: number[] = [];
  let block: typeof ranked = [];
  let blockDate: string | undefined;
  const flush = () => {
    result.push(...block.sort((a, b) => a.depth - b.depth || a.index - b.index).map((r) => r.index));
    block = [];
  };
  for (const file of ranked) {
    if (file.date !== undefined && blockDate !== undefined && file.date !== blockDate) flush();
    blockDate = file.date ?? blockDate;
    block.push(file);
  }
  flush();
  return result;
}
