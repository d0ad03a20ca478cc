/**
 * Text folding shared by the keys: Unicode compatibility decomposition (NFKD), lower case, and
 * combining marks removed, so `Nestlé` → `nestle`, full-width `５００ｇ` → `500g`, `…` → `...`.
 */
export function foldText(text: string): string {
  return text.normalize('NFKD').toLowerCase().normalize('NFKD').replace(/\p{M}/gu, '');
}

/**
 * Folded text reduced to ASCII words: a thousands comma (`1,000`) vanishes, a decimal point between
 * digits survives, every other character outside `a-z0-9` (punctuation and any non-ASCII that NFKD
 * could not reduce) becomes a space. Returns the words in order.
 */
export function asciiWords(text: string): string[] {
  return foldText(text)
    .replace(/(?<=\d),(?=\d{3}(?!\d))/g, '')
    .replace(/[^a-z0-9.]+/g, ' ')
    .replace(/(?<!\d)\.|\.(?!\d)/g, ' ')
    .split(' ')
    .filter((word) => word !== '');
}
