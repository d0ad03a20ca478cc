/**
 * The order in which texts are embedded. An embedder pads every text of a batch to the batch's
 * longest, so batches of texts of about one length waste less work: texts go shortest first
 * (by UTF-16 length, which follows the token count closely enough; ties keep their order).
 */
export function shortestFirst(texts: readonly string[]): number[] {
  return Array.from(texts, (_, i) => i).sort((x, y) => texts[x]!.length - texts[y]!.length || x - y);
}
