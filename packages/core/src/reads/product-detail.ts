/** One product as a site shows it: names, brand, barcode, sizes, unit, its SKUs and categories per company. */
import type { Knex } from 'knex';

export interface ProductDetail {
  readonly id: number;
  readonly name: string;
  readonly brand: string | null;
  readonly barcode: string | null;
  readonly sizes: string[];
  /** The unit its unit prices are quoted in (from its latest price), if any. */
  readonly unit: string | null;
  readonly skus: Array<{ company: string; sku: string }>;
  readonly categories: Array<{ company: string; path: string }>;
}

/** The product, or undefined when no product has that id. */
export async function productDetail(knex: Knex, id: number): Promise<ProductDetail | undefined> {
  const { rows } = await knex.raw<{ rows: Array<Record<string, unknown>> }>(
    `select p.id, p.name, b.name as brand, p.barcode, p.sizes,
       (select pr.unit from prices pr where pr.product_id = p.id and pr.unit is not null order by pr.scraped_date desc, pr.id desc limit 1) as unit,
       coalesce((select json_agg(json_build_object('company', c.name, 'sku', k.sku) order by c.name, k.sku)
                 from product_skus k join companies c on c.id = k.company_id where k.product_id = p.id), '[]') as skus,
       coalesce((select json_agg(json_build_object('company', c.name, 'path', g.path) order by c.name)
                 from product_categories pc join categories g on g.id = pc.category_id join companies c on c.id = pc.company_id where pc.product_id = p.id), '[]') as categories
     from products p left join brands b on b.id = p.brand_id where p.id = ?`,
    [id],
  );
  const r = rows[0];
  if (!r) return undefined;
  return {
    id: Number(r.id),
    name: String(r.name),
    brand: (r.brand as string | null) ?? null,
    barcode: (r.barcode as string | null) ?? null,
    sizes: r.sizes as string[],
    unit: (r.unit as string | null) ?? null,
    skus: json(r.skus) as ProductDetail['skus'],
    categories: json(r.categories) as ProductDetail['categories'],
  };
}

/** json columns arrive parsed from `pg` and as text from some drivers. */
export function json(value: unknown): unknown {
  return typeof value === 'string' ? JSON.parse(value) : value;
}
