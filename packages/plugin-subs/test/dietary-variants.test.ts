import test from 'ava';
import { fileURLToPath } from 'node:url';
import { EXTENSION_API_VERSION, importFiles, readCatalogue, Tokens, type CatalogueProduct, type SubstitutionGenerator, type SubstitutionPair } from '@trolley/core';
import register from '../src/hooks/register.js';
import { testKernel } from './helpers/kernel.js';

const fixture = (name: string) => fileURLToPath(new URL(`../../test/fixtures/${name}`, import.meta.url));

/**
 * Dietary variants, told apart here by their own patterns (not the plugin's tag table), so a gap in
 * the table shows as a failure: each pattern marks the variant; the regular product lacks it.
 */
const VARIANTS: ReadonlyArray<{ name: string; variant: RegExp; applies?: RegExp }> = [
  { name: 'gluten free', variant: /gluten[ -]?free/i },
  { name: 'lactose free', variant: /lactose[ -]?free/i },
  { name: 'plant milk against dairy milk', variant: /\b(soy|soya|almond|oat|rice|coconut)\b[^,]*\bmilk\b(?! chocolate)/i, applies: /\bmilk\b/i },
  { name: 'dairy free', variant: /dairy[ -]?free/i },
  { name: 'decaf', variant: /decaf/i },
  { name: 'sugar free', variant: /sugar[ -]?free|no added sugar/i },
];

function mixes(x: CatalogueProduct, y: CatalogueProduct): string | undefined {
  for (const { name, variant, applies } of VARIANTS) {
    if (applies && !(applies.test(x.name) && applies.test(y.name))) continue;
    if (variant.test(x.name) !== variant.test(y.name)) return name;
  }
  return undefined;
}

test('LVL3 and LVL4 on the real Aldi 2026 and IGA North Sydney categories that hold dietary variants: no pair mixes a variant with the regular product', async (t) => {
  t.timeout(15 * 60_000);
  const kernel = await testKernel(t, [...(await register({ kernel: { apiVersion: EXTENSION_API_VERSION, tokens: Tokens } }))]);
  const [aldi] = await importFiles(kernel.knex, [fixture('dietary-aldi-catalogue-2026-06-29.jsonl.gz')], { storeId: 'CATALOGUE' });
  const [iga] = await importFiles(kernel.knex, [fixture('dietary-iga-local-grocer-north-sydney-2025-09-19.jsonl.gz')]);
  t.is(aldi?.mode, 'full', aldi?.message);
  t.is(iga?.mode, 'full', iga?.message);
  const catalogue = await readCatalogue(kernel.knex);
  const byId = new Map(catalogue.map((p) => [p.id, p]));
  const pairs: SubstitutionPair[] = [];
  for (const id of ['lvl3', 'lvl4']) {
    const generator = (await kernel.registry.get('SubstitutionGenerator', id, kernel.services.container)) as SubstitutionGenerator;
    pairs.push(...(await generator.generate(catalogue, { embedder: 'use-lite' })));
  }
  const wrong = pairs.flatMap((p) => {
    const why = mixes(byId.get(p.a)!, byId.get(p.b)!);
    return why ? [`LVL${p.level} ${why}: ${byId.get(p.a)!.name} ~ ${byId.get(p.b)!.name}`] : [];
  });
  t.deepEqual(wrong, []);
  // Not vacuous: the variants are there, and are paired among themselves.
  t.true(catalogue.filter((p) => /gluten[ -]?free/i.test(p.name)).length >= 10);
  t.true(pairs.length > 100, `${pairs.length} pairs`);
  const both = (re: RegExp) => pairs.some((p) => re.test(byId.get(p.a)!.name) && re.test(byId.get(p.b)!.name));
  t.true(both(/gluten[ -]?free/i), 'two gluten-free products are paired');
  t.true(both(/lactose[ -]?free/i), 'two lactose-free products are paired');
});
