/**
 * The products of a group split into classes by their whole set of categories. Two products share
 * a category exactly when their classes' category sets intersect, so a semantic generator decides
 * for a whole pair of classes at once whether to compare their products: LVL4 compares only
 * classes with disjoint sets (the pairs sharing a category are LVL3's, about half of a
 * super-group's pairs on the benchmark catalogue), and LVL3 compares two classes only in the
 * smallest category they share (a product in several categories would otherwise be compared with
 * the same neighbour once per shared category).
 */
import type { CatalogueProduct } from '@trolley/core';

export interface CategoryClass {
  /** The category ids of every member, ascending. */
  readonly categories: readonly number[];
  /** Catalogue indexes. */
  readonly members: readonly number[];
}

/** `members` (catalogue indexes) grouped by their category sets, in order of first appearance. */
export function categoryClasses(members: readonly number[], catalogue: readonly CatalogueProduct[]): CategoryClass[] {
  const byKey = new Map<string, { categories: number[]; members: number[] }>();
  for (const member of members) {
    const categories = [...catalogue[member]!.categoryIds].sort((x, y) => x - y);
    const key = categories.join(',');
    const found = byKey.get(key);
    if (found) found.members.push(member);
    else byKey.set(key, { categories, members: [member] });
  }
  return [...byKey.values()];
}

/** The smallest category id in both ascending lists, or undefined when they share none. */
export function firstSharedCategory(x: readonly number[], y: readonly number[]): number | undefined {
  for (let i = 0, j = 0; i < x.length && j < y.length; ) {
    if (x[i] === y[j]) return x[i];
    if (x[i]! < y[j]!) i++;
    else j++;
  }
  return undefined;
}
