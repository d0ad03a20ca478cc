/**
 * A product as a person reads it: its brand, then its name — once, when the name already starts
 * with the brand (`MARS` + `Mars Bar` → `Mars Bar`, not `MARS Mars Bar`).
 */
export function displayName(product: { readonly brand: string | null; readonly name: string }): string {
  const brand = product.brand?.trim();
  if (!brand || product.name.toLowerCase().startsWith(brand.toLowerCase())) return product.name;
  return `${brand} ${product.name}`;
}
