/**
 * The brand key (docs/normalisation.md): a brand reduced to its sorted, de-duplicated ASCII words joined with no
 * separator, so word order, case, accents and punctuation do not matter
 * (`SWEET VINE` → `sweetvine`, `Community Co` → `cocommunity`, `READY, SET…COOK!` → `cookreadyset`).
 * Accents are folded (NFKD); anything else outside `a-z0-9` separates words. Empty brand → ``.
 */
import { foldText } from './fold.js';

export function brandKey(brand: string | null | undefined): string {
  if (!brand) return '';
  const words = foldText(brand).replace(/[^a-z0-9]+/g, ' ').split(' ').filter((word) => word !== '');
  return [...new Set(words)].sort().join('');
}
