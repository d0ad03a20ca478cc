/** A small two-company catalogue written straight into the core's tables. */
import type { Knex } from 'knex';

export interface CategorySpec {
  readonly key: string;
  readonly company: string;
  readonly name: string;
}

/**
 * Writes companies, leaf categories (each under a root named after the company) and products; each
 * product lists the category keys it belongs to (one per company at most).
 */
export async function writeCatalogue(knex: Knex, categories: readonly CategorySpec[], products: ReadonlyArray<{ key: string; name: string; categories: readonly string[] }>): Promise<{ category: Map<string, number>; product: Map<string, number> }> {
  const companyIds = new Map<string, number>();
  const category = new Map<string, number>();
  const product = new Map<string, number>();
  for (const company of [...new Set(categories.map((c) => c.company))]) {
    const [row] = await knex('companies').insert({ name: company, display_name: company }).returning('id');
    companyIds.set(company, Number(row.id));
    await knex('categories').insert({ company_id: Number(row.id), parent_id: null, name: company, path: company, depth: 0 });
  }
  for (const c of categories) {
    const companyId = companyIds.get(c.company)!;
    const parent = await knex('categories').where({ company_id: companyId, depth: 0 }).first('id');
    const [row] = await knex('categories').insert({ company_id: companyId, parent_id: parent.id, name: c.name, path: `${c.company} > ${c.name} (${c.key})`, depth: 1 }).returning('id');
    category.set(c.key, Number(row.id));
  }
  for (const p of products) {
    const [row] = await knex('products').insert({ nnbs: p.key, name: p.name }).returning('id');
    product.set(p.key, Number(row.id));
    for (const key of p.categories) {
      const spec = categories.find((c) => c.key === key)!;
      await knex('product_categories').insert({ product_id: Number(row.id), company_id: companyIds.get(spec.company)!, category_id: category.get(key)! });
    }
  }
  return { category, product };
}
