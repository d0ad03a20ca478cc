/**
 * Super-groups for LVL4: the connected components of the category link graph (any kind of link),
 * found with a union-find. Only components of two or more categories are returned.
 */
export function superGroups(links: ReadonlyArray<{ readonly a: number; readonly b: number }>): number[][] {
  const parent = new Map<number, number>();
  const find = (x: number): number => {
    let root = x;
    while (parent.get(root)! !== root) root = parent.get(root)!;
    // Path compression.
    while (parent.get(x)! !== root) {
      const next = parent.get(x)!;
      parent.set(x, root);
      x = next;
    }
    return root;
  };
  for (const { a, b } of links) {
    if (!parent.has(a)) parent.set(a, a);
    if (!parent.has(b)) parent.set(b, b);
    const ra = find(a);
    const rb = find(b);
    if (ra !== rb) parent.set(Math.max(ra, rb), Math.min(ra, rb));
  }
  const components = new Map<number, number[]>();
  for (const category of parent.keys()) {
    const root = find(category);
    const members = components.get(root);
    if (members) members.push(category);
    else components.set(root, [category]);
  }
  return [...components.values()].filter((c) => c.length > 1).map((c) => c.sort((x, y) => x - y)).sort((x, y) => x[0]! - y[0]!);
}
