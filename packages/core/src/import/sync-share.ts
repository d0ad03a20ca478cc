/** Full sync or upsert (docs/import.md step 4): the share of a store's current prices a file must hold to be a full sync. */
export type SyncMode = 'full' | 'upsert';

/** A file with fewer than this share of the store's current price rows is a partial scrape. */
export const FULL_SYNC_SHARE = 0.9;

export function syncModeFor(existingRows: number, fileRows: number): SyncMode {
  return existingRows > 0 && fileRows < FULL_SYNC_SHARE * existingRows ? 'upsert' : 'full';
}
