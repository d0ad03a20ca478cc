/** A site's answer that is not what its reader expects: the page fails with this message (no retry helps). */
export class MalformedBody extends Error {}
