/**
 * Merges the staged catalogue records of a batch into the catalogue, set-based (docs/import.md step 3): brands and
 * their spellings, products matched by barcode, then the company's SKU, then the product key
 * (nnbs), every SKU and name spelling kept, sizes united, the leaf category per company linked.
 *
 * Records are taken in batch order (file, then line), so a batch gives what importing its files one
 * after another would: a product is created by the first record that names it, and a later record
 * that shares its barcode or SKU matches it instead of creating a second product.
 */
import type { Knex } from 'knex';
import { CATALOGUE as STAGE, PATH_SEPARATOR, UNPARSED_LINKS as UNPARSED } from './staging.js';

export interface CatalogueCounts {
  readonly newProducts: number;
  readonly barcodesAdded: number;
  /** Lines whose barcode belongs to a product the company sells under another SKU: the barcode was not applied. */
  readonly barcodeConflicts: number;
}

const SEP = `chr(${PATH_SEPARATOR.charCodeAt(0)})`;
const LEADERS = 'import_leaders';

type Counted = { rows: Array<{ file_no: number; n: number }> };

/** Per file of the batch (by `file_no`): products it created and barcodes it gave known products. */
/**
 * `olderFiles`: the file numbers of backfilled days (older than their store's last import). They add
 * what is new (products, SKUs, a product's first category link) but never replace a link a newer
 * day set.
 */
export async function mergeCatalogue(trx: Knex.Transaction, olderFiles: readonly number[] = []): Promise<(fileNo: number) => CatalogueCounts> {
  await trx.raw(`
    insert into brands (key, name)
    select distinct on (brand_key) brand_key, brand from ${STAGE} where brand_key <> '' order by brand_key, seq
    on conflict (key) do nothing`);
  await trx.raw(`
    insert into brand_spellings (brand_id, spelling)
    select distinct b.id, s.brand from ${STAGE} s join brands b on b.key = s.brand_key where s.brand is not null
    on conflict do nothing`);

  const created = new Counter();
  const barcodes = new Counter();
  const conflicts = new Counter();
  for (;;) {
    conflicts.add(await dropConflictingBarcodes(trx));
    await matchProducts(trx);
    barcodes.add(await fillBarcodes(trx));
    conflicts.add(await dropConflictingBarcodes(trx));
    await matchByBarcode(trx);
    const pending = await trx.raw<{ rows: Array<{ any: boolean }> }>(`select exists (select 1 from ${STAGE} where product_id is null) as any`);
    if (!pending.rows[0]!.any) break;
    created.add(await createProducts(trx));
  }

  await trx.raw(`
    insert into product_skus (company_id, sku, product_id)
    select distinct on (company_id, sku) company_id, sku, product_id from ${STAGE} order by company_id, sku, seq
    on conflict do nothing`);
  await trx.raw(`insert into product_names (product_id, name, brand) select distinct product_id, name, coalesce(brand, '') from ${STAGE} on conflict do nothing`);
  await trx.raw(`
    with seen as (
      select s.product_id, array_agg(distinct size) as sizes
      from ${STAGE} s cross join lateral unnest(string_to_array(nullif(s.sizes, ''), ' ')) as size
      group by s.product_id
    )
    update products p set sizes = array(select distinct e from unnest(p.sizes || seen.sizes) as e order by e)
    from seen where p.id = seen.product_id and not (seen.sizes <@ p.sizes)`);
  await mergeCategories(trx, olderFiles);

  return (fileNo) => ({ newProducts: created.of(fileNo), barcodesAdded: barcodes.of(fileNo), barcodeConflicts: conflicts.of(fileNo) });
}

async function matchProducts(trx: Knex.Transaction): Promise<void> {
  await matchByBarcode(trx);
  await trx.raw(`update ${STAGE} s set product_id = k.product_id from product_skus k where s.product_id is null and k.company_id = s.company_id and k.sku = s.sku`);
  await trx.raw(`update ${STAGE} s set product_id = p.id from products p where s.product_id is null and p.nnbs = s.nnbs`);
}

/**
 * A pending record whose barcode belongs to a product that this company sells under other SKUs
 * (none of them the record's), or whose SKU already names another product, carries another product's barcode: the barcode is a conflict, dropped
 * from the record (counted, not applied), and the record is matched by its SKU and key instead.
 *
 * The product the record's SKU names is joined (a SKU names one product per company), so a record
 * whose SKU names the barcode's own product, every record of a steady day, is out after two joins;
 * only a record whose SKU is unknown asks whether the company sells the barcode's product at all.
 * (Asked as `exists … or exists …`, PostgreSQL ran both look-ups for every pending record.)
 */
async function dropConflictingBarcodes(trx: Knex.Transaction): Promise<Counted> {
  return trx.raw(`
    with conflicting as (
      select c.seq
      from ${STAGE} c
      join products p on p.barcode = c.barcode
      left join product_skus named on named.company_id = c.company_id and named.sku = c.sku
      where c.product_id is null and c.barcode is not null and named.product_id is distinct from p.id
        and (named.product_id is not null
          or exists (select 1 from product_skus k where k.product_id = p.id and k.company_id = c.company_id))
    ), dropped as (
      update ${STAGE} s set barcode = null from conflicting c where s.seq = c.seq
      returning s.file_no
    )
    select file_no, count(*)::int as n from dropped group by file_no`);
}

async function matchByBarcode(trx: Knex.Transaction): Promise<void> {
  await trx.raw(`update ${STAGE} s set product_id = p.id from products p where s.product_id is null and s.barcode is not null and p.barcode = s.barcode`);
}

/** A matched product without a barcode takes the first valid one its rows give, unless another product has it. */
async function fillBarcodes(trx: Knex.Transaction): Promise<Counted> {
  return trx.raw(`
    with given as (
      select distinct on (barcode) product_id, barcode, file_no, seq
      from (
        select distinct on (s.product_id) s.product_id, s.barcode, s.file_no, s.seq
        from ${STAGE} s join products p on p.id = s.product_id and p.barcode is null
        where s.barcode is not null
        order by s.product_id, s.seq
      ) first_per_product
      order by barcode, seq
    ), filled as (
      update products p set barcode = g.barcode
      from given g
      where p.id = g.product_id and p.barcode is null and not exists (select 1 from products q where q.barcode = g.barcode)
      returning g.file_no
    )
    select file_no, count(*)::int as n from filled group by file_no`);
}

/**
 * Creates the products of the pending rows that come first for every identity they carry (key,
 * barcode, company SKU), with their SKUs so later rows match them. A row that shares a barcode or
 * SKU with an earlier pending row of another key waits for the next round and matches that row's
 * product; the first pending row always leads, so every round creates at least one product.
 */
async function createProducts(trx: Knex.Transaction): Promise<Counted> {
  await trx.raw(`drop table if exists ${LEADERS}`);
  await trx.raw(`
    create temp table ${LEADERS} on commit drop as
    select seq from (
      select seq, barcode,
             min(seq) over (partition by nnbs) as by_key,
             min(seq) over (partition by barcode) as by_barcode,
             min(seq) over (partition by company_id, sku) as by_sku
      from (
        select distinct on (nnbs, barcode, company_id, sku) seq, nnbs, barcode, company_id, sku
        from ${STAGE} where product_id is null
        order by nnbs, barcode, company_id, sku, seq
      ) pending
    ) firsts
    where seq = by_key and seq = by_sku and (barcode is null or seq = by_barcode)`);
  const created = await trx.raw<Counted>(`
    with inserted as (
      insert into products (nnbs, barcode, name, brand_id, sizes)
      select s.nnbs, s.barcode, s.name, b.id, coalesce(string_to_array(nullif(s.sizes, ''), ' '), '{}')
      from ${LEADERS} l join ${STAGE} s on s.seq = l.seq left join brands b on b.key = s.brand_key
      order by s.seq
      on conflict do nothing
      returning nnbs
    )
    select s.file_no, count(*)::int as n
    from inserted i join ${STAGE} s on s.nnbs = i.nnbs join ${LEADERS} l on l.seq = s.seq
    group by s.file_no`);
  await trx.raw(`
    insert into product_skus (company_id, sku, product_id)
    select s.company_id, s.sku, p.id from ${LEADERS} l join ${STAGE} s on s.seq = l.seq join products p on p.nnbs = s.nnbs
    on conflict do nothing`);
  return created;
}

/**
 * Every prefix of every path becomes a category of the company; the product links to its leaf, the
 * latest file's (a backfilled day's only where it has none). A line taken unparsed from its store's
 * digest (./store-digest.ts) has no staged record, but the digest kept the category its record
 * links: it takes part in "the latest file's" as its record would.
 */
async function mergeCategories(trx: Knex.Transaction, olderFiles: readonly number[]): Promise<void> {
  await trx.raw(`
    insert into categories (company_id, name, path, depth)
    select distinct x.company_id, x.parts[d.depth], array_to_string(x.parts[1:d.depth], ' > '), d.depth
    from (select company_id, string_to_array(category_path, ${SEP}) as parts from (select distinct company_id, category_path from ${STAGE} where category_path <> '') paths) x
    cross join lateral generate_series(1, array_length(x.parts, 1)) as d(depth)
    on conflict (company_id, path) do nothing`);
  await trx.raw(`
    update categories c set parent_id = parent.id
    from categories parent
    where c.company_id in (select distinct company_id from ${STAGE}) and c.parent_id is null and c.depth > 1
      and parent.company_id = c.company_id and parent.depth = c.depth - 1
      and c.path = parent.path || ' > ' || c.name`);
  // Only links that change are written: an upsert locks every row it meets, and two batches of
  // one company's stores meet the same rows.
  await trx.raw(`
    insert into product_categories (product_id, company_id, category_id)
    select product_id, company_id, category_id from (
      select distinct on (product_id, company_id) product_id, company_id, category_id, last_file_no
      from (
        select s.product_id, s.company_id, c.id as category_id, s.last_file_no, s.last_line_no
        from ${STAGE} s join categories c on c.company_id = s.company_id and c.path = replace(s.category_path, ${SEP}, ' > ')
        where s.category_path <> ''
        union all
        select product_id, company_id, category_id, file_no, line_no from ${UNPARSED}
      ) linked
      order by product_id, company_id, last_file_no desc, last_line_no
    ) latest
    where not exists (
      select 1 from product_categories x
      where x.product_id = latest.product_id and x.company_id = latest.company_id
        and (x.category_id = latest.category_id or latest.last_file_no = any(?::int[])))
    on conflict (product_id, company_id) do update set category_id = excluded.category_id`, [[...olderFiles]]);
}

/** Sums per-file counts over several statements. */
class Counter {
  private readonly counts = new Map<number, number>();
  add(result: Counted): void {
    for (const { file_no, n } of result.rows) this.counts.set(file_no, (this.counts.get(file_no) ?? 0) + n);
  }
  of(fileNo: number): number {
    return this.counts.get(fileNo) ?? 0;
  }
}
