/** A body the scraper cannot read: not retried, reported with the page it came from. */
export class MalformedBody extends Error {}
