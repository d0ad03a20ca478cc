import test, { type ExecutionContext } from 'ava';
import { importFiles, readCatalogue, type CatalogueProduct, type SubstitutionPair } from '@trolley/core';
import { realDataTest, testDatabase, type RealData } from '@trolley/core/testing';
import { sameProductOtherSize } from '../src/generators/same-product-other-size.js';
import { isNearIdenticalName, nearIdenticalName, sizeSetKey } from '../src/generators/near-identical-name.js';
import { tokenSetRatio } from '../src/similarity/token-set-ratio.js';

// The whole catalogue's pairs: these tests read the full file from TROLLEY_REAL_DATA (docs/testing.md).
const CATALOGUE = 'aldi/aldi-catalogue-2026-06-29.jsonl.gz';

/** The real 2026 Aldi catalogue as the generators see it, imported once for all tests of this file. */
let catalogue: Promise<CatalogueProduct[]> | undefined;
function realCatalogue(t: ExecutionContext, real: RealData): Promise<CatalogueProduct[]> {
  catalogue ??= (async () => {
    const { knex } = await testDatabase(t);
    const [report] = await importFiles(knex, [real.file(CATALOGUE)], { storeId: 'CATALOGUE' });
    if (report?.mode !== 'full') throw new Error(`the catalogue did not import: ${report?.message}`);
    return readCatalogue(knex);
  })();
  return catalogue;
}

const byName = (products: readonly CatalogueProduct[], brand: string, name: string) => {
  const found = products.find((p) => p.brand === brand && p.name === name);
  if (!found) throw new Error(`${brand} ${name} is not in the catalogue`);
  return found.id;
};
const has = (pairs: readonly SubstitutionPair[], x: number, y: number) => pairs.some((p) => p.a === Math.min(x, y) && p.b === Math.max(x, y));

realDataTest(test.serial, 'LVL1 on the real Aldi catalogue pairs BERG Short Cut Bacon 500g with 1kg', async (t, real) => {
  const products = await realCatalogue(t, real);
  t.true(products.length > 2_000, `${products.length} products`);
  const pairs = await sameProductOtherSize.generate(products, { embedder: 'auto' });
  t.true(has(pairs, byName(products, 'BERG', 'Short Cut Bacon 500g'), byName(products, 'BERG', 'Short Cut Bacon 1kg')));
});

realDataTest(test.serial, 'LVL2 on the real Aldi catalogue: the rice pouches and sparkling waters pair, the wraps (88) do not', async (t, real) => {
  const products = await realCatalogue(t, real);
  const pairs = await nearIdenticalName.generate(products, { embedder: 'auto' });
  t.true(has(pairs, byName(products, 'IMPERIAL GRAIN', 'Microwave Rice Pouch Basmati 250g'), byName(products, 'IMPERIAL GRAIN', 'Microwave Rice Pouch Jasmine 250g')));
  t.true(
    has(
      pairs,
      byName(products, 'NORTHBROOK', 'Sparkling Water with Passionfruit 8 Pack 330ml'),
      byName(products, 'NORTHBROOK', 'Sparkling Water with Lime 8 Pack 330ml'),
    ),
  );
  t.is(tokenSetRatio('Mini White Wraps 8 Pack 360g', 'Mini Wholegrain Wraps 8 Pack 360g'), 88);
  t.false(has(pairs, byName(products, 'BAKERS LIFE', 'Mini White Wraps 8 Pack 360g'), byName(products, 'BAKERS LIFE', 'Mini Wholegrain Wraps 8 Pack 360g')));
  t.true(pairs.every((p) => p.level === 2 && p.score === 0.95 && p.a < p.b));
});

realDataTest(test.serial, 'LVL2 blocked by brand and size set gives exactly the all-pairs result on the real Aldi catalogue', async (t, real) => {
  const products = await realCatalogue(t, real);
  const blocked = (await nearIdenticalName.generate(products, { embedder: 'auto' })).map((p) => `${p.a}-${p.b}`).sort();
  const brute: string[] = [];
  for (let i = 0; i < products.length; i++) {
    for (let j = i + 1; j < products.length; j++) {
      const x = products[i]!;
      const y = products[j]!;
      if (x.brandKey === '' || x.brandKey !== y.brandKey || x.sizes.length === 0 || sizeSetKey(x) !== sizeSetKey(y)) continue;
      if (isNearIdenticalName(tokenSetRatio(x.name, y.name))) brute.push(`${Math.min(x.id, y.id)}-${Math.max(x.id, y.id)}`);
    }
  }
  t.true(brute.length > 10, `${brute.length} pairs`);
  t.deepEqual(blocked, brute.sort());
});
