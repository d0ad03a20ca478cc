/**
 * Merges the staged rows into the catalogue, set-based (SPEC §3 step 3): brands and their
 * spellings, products matched by barcode, then the company's SKU, then the product key (nnbs),
 * every SKU and name spelling kept, sizes united, the leaf category per company linked.
 */
import type { Knex } from 'knex';
import { PATH_SEPARATOR, STAGE } from './staging.js';

export interface CatalogueCounts {
  readonly newProducts: number;
  readonly barcodesAdded: number;
}

const SEP = `chr(${PATH_SEPARATOR.charCodeAt(0)})`;

export async function mergeCatalogue(trx: Knex.Transaction, companyId: number): Promise<CatalogueCounts> {
  await trx.raw(`
    insert into brands (key, name)
    select distinct on (brand_key) brand_key, brand from ${STAGE} where brand_key <> '' order by brand_key, line_no
    on conflict (key) do nothing`);
  await trx.raw(`
    insert into brand_spellings (brand_id, spelling)
    select distinct b.id, s.brand from ${STAGE} s join brands b on b.key = s.brand_key where s.brand is not null
    on conflict do nothing`);

  await matchProducts(trx, companyId);
  const inserted = await trx.raw(`
    insert into products (nnbs, barcode, name, brand_id, sizes)
    select distinct on (s.nnbs) s.nnbs, s.barcode, s.name, b.id, coalesce(string_to_array(nullif(s.sizes, ''), ' '), '{}')
    from ${STAGE} s left join brands b on b.key = s.brand_key
    where s.product_id is null
    order by s.nnbs, s.line_no
    on conflict do nothing`);
  // Rows of new products, and rows whose insert lost to a same-barcode row of this file.
  await matchByBarcode(trx, 's.product_id is null');
  await trx.raw(`update ${STAGE} s set product_id = p.id from products p where s.product_id is null and p.nnbs = s.nnbs`);

  const barcodes = await trx.raw(`
    update products p set barcode = x.barcode
    from (
      select distinct on (barcode) product_id, barcode
      from (select distinct on (product_id) product_id, barcode, line_no from ${STAGE} where barcode is not null order by product_id, line_no) first_per_product
      order by barcode, line_no
    ) x
    where p.id = x.product_id and p.barcode is null and not exists (select 1 from products q where q.barcode = x.barcode)`);

  await trx.raw(
    `insert into product_skus (company_id, sku, product_id)
     select distinct on (sku) ?::bigint, sku, product_id from ${STAGE} order by sku, line_no
     on conflict do nothing`,
    [companyId],
  );
  await trx.raw(`insert into product_names (product_id, name, brand) select distinct product_id, name, coalesce(brand, '') from ${STAGE} on conflict do nothing`);
  await trx.raw(`
    with seen as (
      select s.product_id, array_agg(distinct size) as sizes
      from ${STAGE} s cross join lateral unnest(string_to_array(nullif(s.sizes, ''), ' ')) as size
      group by s.product_id
    )
    update products p set sizes = array(select distinct e from unnest(p.sizes || seen.sizes) as e order by e)
    from seen where p.id = seen.product_id and not (seen.sizes <@ p.sizes)`);
  await mergeCategories(trx, companyId);
  return { newProducts: inserted.rowCount ?? 0, barcodesAdded: barcodes.rowCount ?? 0 };
}

async function matchProducts(trx: Knex.Transaction, companyId: number): Promise<void> {
  await matchByBarcode(trx, 'true');
  await trx.raw(`update ${STAGE} s set product_id = k.product_id from product_skus k where s.product_id is null and k.company_id = ? and k.sku = s.sku`, [companyId]);
  await trx.raw(`update ${STAGE} s set product_id = p.id from products p where s.product_id is null and p.nnbs = s.nnbs`);
}

async function matchByBarcode(trx: Knex.Transaction, condition: string): Promise<void> {
  await trx.raw(`update ${STAGE} s set product_id = p.id from products p where ${condition} and s.barcode is not null and p.barcode = s.barcode`);
}

/** Every prefix of every path becomes a category of the company; the product links to its leaf. */
async function mergeCategories(trx: Knex.Transaction, companyId: number): Promise<void> {
  await trx.raw(
    `insert into categories (company_id, name, path, depth)
     select distinct ?::bigint, x.parts[d.depth], array_to_string(x.parts[1:d.depth], ' > '), d.depth
     from (select distinct string_to_array(category_path, ${SEP}) as parts from ${STAGE} where category_path <> '') x
     cross join lateral generate_series(1, array_length(x.parts, 1)) as d(depth)
     on conflict (company_id, path) do nothing`,
    [companyId],
  );
  await trx.raw(
    `update categories c set parent_id = parent.id
     from categories parent
     where c.company_id = ? and c.parent_id is null and c.depth > 1
       and parent.company_id = c.company_id and parent.depth = c.depth - 1
       and c.path = parent.path || ' > ' || c.name`,
    [companyId],
  );
  await trx.raw(
    `insert into product_categories (product_id, company_id, category_id)
     select distinct on (s.product_id) s.product_id, ?::bigint, c.id
     from ${STAGE} s join categories c on c.company_id = ? and c.path = replace(s.category_path, ${SEP}, ' > ')
     where s.category_path <> ''
     order by s.product_id, s.line_no
     on conflict (product_id, company_id) do update set category_id = excluded.category_id
       where product_categories.category_id <> excluded.category_id`,
    [companyId, companyId],
  );
}

/** Duplicate lines for one product keep the first (SPEC §3 step 6). Returns how many went. */
export async function keepFirstLinePerProduct(trx: Knex.Transaction): Promise<number> {
  const result = await trx.raw(`delete from ${STAGE} s using ${STAGE} t where s.product_id = t.product_id and t.line_no < s.line_no`);
  return result.rowCount ?? 0;
}
