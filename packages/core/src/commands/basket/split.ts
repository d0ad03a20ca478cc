import fs from 'node:fs';
import { Args, Flags } from '@oclif/core';
import { TrolleyCommand } from '../../cli/base-command.js';

import { InputError, UsageError } from '../../errors.js';
import { parseBasketFile, resolveProductRef } from '../../basket/basket-file.js';
import { splitBasket, type BasketPlan } from '../../basket/split-basket.js';
import { pricingStoreResolver } from '../../prices/resolved.js';
import { resolveStoreRefs } from '../../prices/store-summaries.js';
import { storeIdForms } from '../../scrape/scraper-lookup.js';
import { requiredStoresFlag } from '../../cli/store-flags.js';
import { MAX_STORES } from '../../serve/limits.js';

export default class BasketSplit extends TrolleyCommand<typeof BasketSplit> {
  static override summary = 'Split a shopping list across at most N of your stores at the lowest total (solved exactly).';
  static override description =
    'FILE has one "product or barcode, quantity" a line (a barcode, a SKU, #id, or words for the best search match). Serves as many items as the stores allow, then makes as few swaps as possible (with --substitutes: a same-brand other size or near-identical product where a store lacks an item), then pays the least. The same as POST /api/basket/split.';
  static override examples = ['<%= config.bin %> basket split list.txt --stores aldi:G467,iga:32600 --max-stores 2', '<%= config.bin %> basket split list.txt --stores 1,2,3 --max-stores 3 --substitutes --json'];
  static override args = { file: Args.string({ description: 'The shopping list.', required: true }) };
  static override flags = {
    stores: requiredStoresFlag('Your stores'),
    'max-stores': Flags.integer({ description: 'Shop at most this many stores (1–4).', default: 3, min: 1, max: 4 }),
    substitutes: Flags.boolean({ description: 'Allow LVL1–LVL2 swaps where a store lacks an item.' }),
  };

  async run(): Promise<BasketPlan & { lines: Array<{ line: number; ref: string; productId: number }> }> {
    const { args } = await this.parse(BasketSplit);
    let text: string;
    try {
      text = fs.readFileSync(args.file, 'utf8');
    } catch (error) {
      throw new InputError(`Cannot read ${args.file} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}); give the path of a shopping list.`, 'unreadable-file', error);
    }
    const lines = parseBasketFile(text, args.file);
    const refs = this.flags.stores;
    if (refs.length > MAX_STORES) throw new UsageError(`--stores names ${refs.length} stores; give at most ${MAX_STORES}.`, 'too-many-stores');
    const kernel = await this.kernel();
    const knex = await kernel.knex();
    const storeIds = await resolveStoreRefs(knex, refs, await storeIdForms(await kernel.extensions(), kernel.container));
    const resolved: Array<{ line: number; ref: string; productId: number }> = [];
    for (const line of lines) {
      const productId = await resolveProductRef(knex, line.ref);
      if (productId === undefined) throw new InputError(`${args.file} line ${line.line}: no product matches "${line.ref}"; try \`trolley products search\` and write its barcode or #id.`, 'unknown-product');
      resolved.push({ line: line.line, ref: line.ref, productId });
    }
    const resolver = await pricingStoreResolver(await kernel.extensions(), kernel.container);
    const plan = await splitBasket(knex, resolver, {
      items: resolved.map((r, i) => ({ productId: r.productId, quantity: lines[i]!.quantity })),
      storeIds,
      maxStores: this.flags['max-stores'],
      substitutes: this.flags.substitutes,
    });
    const refOf = new Map(resolved.map((r) => [r.productId, r.ref]));
    const storeName = new Map(plan.stores.map((s) => [s.id, `${s.company} ${s.name ?? s.code}`]));
    await this.logTable(['ITEM', 'QTY', 'STORE', 'PRICE', 'COST', 'SWAP'], plan.items.map((i) => [refOf.get(i.productId) ?? `#${i.productId}`, String(i.quantity), storeName.get(i.storeId) ?? String(i.storeId), i.price, i.cost, i.swap ? `#${i.swap.productId} (LVL${i.swap.level})` : '']));
    this.log(`Total ${plan.total} at ${plan.stores.map((s) => `${storeName.get(s.id)} (${s.total})`).join(', ') || 'no store'}.`);
    if (plan.bestSingleStore) this.log(`Best single store: ${plan.bestSingleStore.total}${plan.saving !== null ? `; this plan saves ${plan.saving}` : ` with ${plan.bestSingleStore.unserved} item(s) it does not sell`}.`);
    for (const u of plan.unserved) this.log(`Not bought: ${refOf.get(u.productId)} (${u.reason.replaceAll('-', ' ')}).`);
    return { ...plan, lines: resolved };
  }
}
