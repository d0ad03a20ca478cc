/**
 * The catalogue as substitution generators see it (one {@link CatalogueProduct} per product), read
 * in one set-based query; the name key is computed here so every generator uses the same one.
 */
import type { Knex } from 'knex';
import type { CatalogueProduct } from '../extensions/api.js';
import { nameKey } from '../normalise/index.js';

export async function readCatalogue(knex: Knex): Promise<CatalogueProduct[]> {
  const result = await knex.raw<{ rows: Array<{ id: number | string; name: string; brand: string | null; brand_key: string; sizes: string[]; category_ids: Array<number | string> }> }>(`
    select p.id, p.name, b.name as brand, coalesce(b.key, '') as brand_key, p.sizes,
           coalesce(array_agg(c.category_id order by c.category_id) filter (where c.category_id is not null), '{}') as category_ids
    from products p
    left join brands b on b.id = p.brand_id
    left join product_categories c on c.product_id = p.id
    group by p.id, b.id
    order by p.id`);
  return result.rows.map((r) => ({
    id: Number(r.id),
    name: r.name,
    brand: r.brand,
    brandKey: r.brand_key,
    nameKey: nameKey(r.name),
    sizes: [...r.sizes].sort(),
    categoryIds: r.category_ids.map(Number),
  }));
}
