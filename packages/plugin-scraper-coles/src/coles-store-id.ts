/**
 * Coles store ids. The national store list, the store registry and `scrape stores` write
 * `COL:<number>` (`COL:584`); the site's own store number has four digits (`0584`: its
 * `fulfillmentStoreId` cookie and the `storeId` of its GraphQL queries). A command line may give
 * either; record files and the registry get the `COL:` form, and the site is sent its own.
 */
const STORE_ID = /^(?:COL:)?(\d+)$/i;

/** `COL:584` for `0584`, `584`, `COL:584` or `col:0584`; undefined when the text is not a Coles store id. */
export function colesStoreId(given: string): string | undefined {
  const match = STORE_ID.exec(given.trim());
  return match ? `COL:${Number(match[1])}` : undefined;
}

/** The site's store number: `0584` for `COL:584` or `584`; text that is not a store id is sent as it is. */
export function colesStoreNumber(store: string): string {
  const id = colesStoreId(store);
  return id === undefined ? store.trim() : id.slice('COL:'.length).padStart(4, '0');
}
