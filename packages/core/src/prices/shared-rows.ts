/**
 * The price rows a store reads, as SQL (the storage side of "the prices of store S"):
 * - its own rows, dated as {@link OWN_PRICE_ROWS} says;
 * - when it shares a source (`price_sharing`): the source's rows for products it has no row of its
 *   own for and has not excluded (`price_exclusions`), dated with the store's own scrape date;
 * - when it was never scraped and its pricing store is another store: that store's rows, as an
 *   estimate.
 * One statement for any number of stores; each (store, product) appears at most once.
 */

/**
 * A store's own price rows, each with the date it reads as (`scraped_date`): the later of the date
 * its values were last written and the store's last full sync (`stores.full_scraped_date`). A full
 * sync writes only the rows whose values changed; every row it leaves alone was in that scrape, at
 * those values. Read `prices` through it wherever a row's date matters.
 */
export const OWN_PRICE_ROWS = `(select p.id, p.store_id, p.product_id, p.price, p.was_price, p.is_on_special, p.unit_price, p.unit, p.is_available,
     greatest(p.scraped_date, own_store.full_scraped_date) as scraped_date
   from prices p join stores own_store on own_store.id = p.store_id)`;

/**
 * A `select` of `(store_id, product_id, price_id, scraped_date, source_store_id, estimate)` for the
 * stores of `relation`, a relation (table or CTE name) with columns `store_id` and
 * `pricing_store_id` (the pricing store a resolver named; only used for never-scraped stores).
 * With `products` (a relation with a `product_id` column), only the rows of those products: the
 * filter sits in every branch, so each reads those products' rows by index, not all of a store's.
 */
export function readRowsSql(relation: string, products?: string): string {
  return `select r.*, false as estimate from (${storedReadRowsSql(relation, products)}) r
   union all
   select x.store_id, a.product_id, a.id, a.scraped_date, a.store_id, true
     from ${relation} x
     join stores s on s.id = x.store_id and s.last_scraped_date is null
     join ${OWN_PRICE_ROWS} a on a.store_id = x.pricing_store_id
     where x.pricing_store_id <> x.store_id${onlyProducts('a', products)}
       and not exists (select 1 from price_sharing sh where sh.store_id = x.store_id)
       and not exists (select 1 from prices o where o.store_id = x.store_id)`;
}

/**
 * The rows a store reads without estimates (own and shared), for stores of `relation` (a relation
 * with a `store_id` column): `(store_id, product_id, price_id, scraped_date, source_store_id)`;
 * with `products`, only those products' rows (as in {@link readRowsSql}).
 */
export function storedReadRowsSql(relation: string, products?: string): string {
  return `select o.store_id, o.product_id, o.id as price_id, o.scraped_date, o.store_id as source_store_id
     from ${relation} x join ${OWN_PRICE_ROWS} o on o.store_id = x.store_id
     where true${onlyProducts('o', products)}
   union all
   select sh.store_id, a.product_id, a.id, sh.scraped_date, sh.source_store_id
     from ${relation} x
     join price_sharing sh on sh.store_id = x.store_id
     join prices a on a.store_id = sh.source_store_id
     where not exists (select 1 from prices o where o.store_id = sh.store_id and o.product_id = a.product_id)
       and not exists (select 1 from price_exclusions e where e.store_id = sh.store_id and e.product_id = a.product_id)${onlyProducts('a', products)}`;
}

function onlyProducts(alias: string, products: string | undefined): string {
  return products === undefined ? '' : `\n       and ${alias}.product_id in (select product_id from ${products})`;
}
