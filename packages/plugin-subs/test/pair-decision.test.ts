import test from 'ava';
import fc from 'fast-check';
import type { CatalogueProduct } from '@trolley/core';
import { compileTagger, attributeTagger, perItemGrams } from '../src/decision/attribute-tags.js';
import { PAIR_FEATURES, PairModel, pairModel } from '../src/decision/pair-model.js';
import { contentWords, productFeatures, singular } from '../src/decision/product-features.js';
import { compileTypes, productType, shippedTypes } from '../src/decision/product-types.js';

const product = (id: number, name: string, sizes: string[] = [], brand: string | null = null): CatalogueProduct => ({
  id,
  name,
  brand,
  brandKey: brand ? brand.toLowerCase().replace(/[^a-z0-9]/g, '') : '',
  nameKey: name.toLowerCase().replace(/\b\d+(?:\.\d+)?\s?(?:g|kg|ml|l|pack)\b/g, '').replace(/[^\p{L}\p{N}]+/gu, ' ').trim(),
  sizes,
  categoryIds: [1],
});

/** The `subtypeDiffers` feature of products `x` and `y` of `features`, as LVL3 reads it (cosine 0.9). */
const subtypeDiffers = (model: PairModel, features: ReturnType<typeof productFeatures>, x: number, y: number) =>
  model.features(features, x, y, 0.9, { level: 3, linkScore: 0 })[PAIR_FEATURES.indexOf('subtypeDiffers')];

test('attribute tags from the shipped table: dietary variants, baby ages, nappy sizes, pets, treats and capsule sizes; hot dogs are not dogs', (t) => {
  const tags = (name: string, sizes: string[] = []) => attributeTagger().tags({ name, sizes });
  t.deepEqual(tags('Bakehouse Gluten Free White Bread 440g'), ['gluten free']);
  t.deepEqual(tags('Lactose Free Full Cream Milk 2L'), ['lactose free']);
  t.deepEqual(tags('Unsweetened Almond Milk 1L'), ['plant milk']);
  // A nut in a dairy milk chocolate is not a plant milk; a dairy-free "mylk" chocolate stays apart from milk chocolate.
  t.deepEqual(tags('Ritter Sport Honey Salt Almond Milk Chocolate'), []);
  t.deepEqual(tags('Cadbury Dairy Milk Hazelnut Milk Chocolate Block'), []);
  t.deepEqual(tags("Whittaker's Coconut Slab Milk Chocolate"), []);
  t.deepEqual(tags('Loving Earth Creamy Coconut Mylk Chocolate'), ['plant milk']);
  t.deepEqual(tags('Barista Oat Milk 1L'), ['plant milk']);
  t.deepEqual(tags('Full Cream Milk 2L'), []);
  t.deepEqual(tags('Evaporated Milk 375ml'), ['milk form=evaporated']);
  t.deepEqual(tags('Sweetened Condensed Milk 395g'), ['milk form=condensed']);
  t.deepEqual(tags('Full Cream Milk Powder 1kg'), ['milk form=powder']);
  t.deepEqual(tags('Milk Chocolate Powder 400g'), [], 'a drink powder is not powdered milk');
  t.deepEqual(tags('Decaffi Coffee Capsules 16 Pack 124g', ['124g', '16pk']), ['capsule size=large', 'decaf']);
  t.deepEqual(tags('Espresso Supremo Coffee Capsules 10 Pack 55g', ['10pk', '55g']), ['capsule size=small']);
  t.deepEqual(tags('Apple & Raisin Fruit & Oat Bars 12+ Months 6 Pack 90g'), ['baby age=12']);
  t.deepEqual(tags('Size 5 Nappy Pants 12-17kg 26 Pack'), ['nappy size=5']);
  t.deepEqual(tags('Dog Dental Treats 7 Pack'), ['pet treat', 'pet=dog']);
  t.deepEqual(tags('Adult Dog Food Homestyle with Lamb 700g'), ['pet=dog']);
  t.deepEqual(tags('Premium Kangaroo Chunks for Kittens'), ['pet=cat']);
  t.deepEqual(tags('Hot Dog Rolls 6 Pack 450g'), []);
  t.deepEqual(tags('No Added Sugar Frozen Dessert Vanilla'), ['sugar free']);
  t.deepEqual(tags('Non Alcoholic Sparkling Wine'), ['alcohol free']);
  t.is(attributeTagger().signature({ name: 'Gluten Free Pasta', sizes: [] }) === attributeTagger().signature({ name: 'Pasta Spaghetti 500g', sizes: [] }), false);
});

test('a tag table is data: compileTagger reads patterns, values, aliases, when and unless', (t) => {
  const tagger = compileTagger([{ tag: 'pet', patterns: ['\\b(dog|pupp)'], value: '$1', aliases: { pupp: 'dog' }, when: 'food', unless: 'hot dog' }]);
  t.deepEqual(tagger.tags({ name: 'Puppy Food', sizes: [] }), ['pet=dog']);
  t.deepEqual(tagger.tags({ name: 'Dog Bed', sizes: [] }), []);
  t.deepEqual(tagger.tags({ name: 'Hot Dog Food Truck', sizes: [] }), []);
  t.is(perItemGrams(['10pk', '55g']), 5.5);
  t.is(perItemGrams(['55g']), undefined);
});

test('name words: sizes, brand words and words that say nothing are left out; the head noun ends before with / in', (t) => {
  t.deepEqual(contentWords('tuna chunks in springwater'), { words: ['tuna', 'chunk', 'springwater'], headEnd: 2 });
  t.deepEqual(contentWords('cadbury dairy milk chocolate block', 'Cadbury').words, ['dairy', 'milk', 'chocolate', 'block']);
  // Brand words are left out while they lead the name; after it they say what the product is.
  t.deepEqual(contentWords('tony s chocolate hazelnut milk chocolate', "Tony's Chocolate").words, ['hazelnut', 'milk', 'chocolate']);
  t.deepEqual(contentWords('byron bay cookies white choc macadamia cookies', 'Byron Bay Cookies').words, ['white', 'choc', 'macadamia', 'cooky']);
  t.deepEqual(contentWords('premium strawberry jam').words, ['strawberry', 'jam']);
  t.is(singular('berries'), 'berry');
  t.is(singular('glass'), 'glass');
  t.is(singular('chips'), 'chip');
});

test('the pair model: a flavour variant of one product scores above another product type at the same cosine; differing tags are never paired', (t) => {
  const catalogue = [
    product(1, 'Chunky Beef Soup 505g', ['505g']),
    product(2, 'Chunky Chicken Soup 505g', ['505g']),
    product(3, 'Fruit & Nut Muesli 500g', ['500g']),
    product(4, 'Fruit & Nut Premium Muesli Bar 6 Pack 270g', ['270g', '6pk']),
    product(5, 'Muesli Bars Chewy Choc Chip 15 Pack', ['15pk']),
    product(6, 'Gluten Free Chunky Beef Soup 505g', ['505g']),
    product(7, 'Ground Coffee Dark Roast 500g', ['500g']),
    product(8, 'Instant Coffee Dark Roast 500g', ['500g']),
    product(9, 'Ground Coffee Dark Roast 1kg', ['1000g']),
    product(10, 'Ground Coffee Medium Roast 1kg', ['1000g']),
    product(11, 'Full Cream Milk 2L', ['2000ml']),
    product(12, 'Evaporated Milk 375ml', ['375ml']),
    product(13, 'Rolled Oats 750g', ['750g']),
    product(14, 'Organic Australian Rolled Oats 500g', ['500g']),
    product(15, 'Assorted Cellulose Sponge Scourers 3 Pack', ['3pk']),
    product(16, 'Thick Sponges 4 Pack', ['4pk']),
    product(17, 'Green Sponge Scourers 10 Pack', ['10pk']),
  ];
  const features = productFeatures(catalogue);
  const { model } = pairModel('use-lite');
  const context = { level: 3, linkScore: 0 };
  t.true(model.probability(features, 0, 1, 0.85, context) > model.probability(features, 2, 4, 0.85, context), 'soup flavours against muesli and muesli bars');
  t.true(model.probability(features, 0, 1, 0.95, context) > model.probability(features, 0, 1, 0.8, context), 'a higher cosine, a higher probability');
  t.is(model.probability(features, 0, 5, 0.99, context), -1, 'gluten free against regular');
  t.true(model.probability(features, 6, 7, 0.9, context) < model.probability(features, 8, 9, 0.9, context), 'ground against instant coffee, below two ground coffees');
  t.is(model.probability(features, 10, 11, 0.99, context), -1, 'full cream milk against evaporated milk');
  t.is(model.probability(features, 0, 1, model.data.cosineFloor - 0.01, context), -1, 'below the cosine floor');
  t.true(model.floor(4) > model.floor(3), 'LVL4 has a higher floor of its own');
  t.is(model.probability(features, 14, 15, model.floor(4) - 0.01, { level: 4, linkScore: 0.5 }), -1, 'below the LVL4 floor');
  t.true(model.probability(features, 14, 15, model.floor(4) - 0.01, context) > 0, 'the same cosine is a LVL3 candidate');
  // Names ending in the same two words (`sponge scourer`) have LVL4's lower floor for such pairs.
  const between = (model.floor(4, true) + model.floor(4)) / 2;
  t.true(model.floor(4, true) < model.floor(4), 'a lower LVL4 floor for names ending in the same two words');
  t.true(model.floor(4, true) >= model.floor(3), 'never below the floor of all pairs');
  t.true(model.probability(features, 14, 16, between, { level: 4, linkScore: 0.5 }) > 0, 'sponge scourers ~ sponge scourers between the two floors');
  t.is(model.probability(features, 14, 15, between, { level: 4, linkScore: 0.5 }), -1, 'sponge scourers ~ sponges (no type, other words) between the two floors');
  // Two products of one type (two soups) have LVL4's floor for such pairs, the lowest.
  t.true(model.floor(4, false, true) < model.floor(4, true), 'a lower LVL4 floor still for two products of one type');
  t.true(model.probability(features, 0, 1, between, { level: 4, linkScore: 0.5 }) > 0, 'beef soup ~ chicken soup between the two floors');
  t.is(model.probability(features, 0, 1, model.floor(4, false, true) - 0.01, { level: 4, linkScore: 0 }), -1, 'below the type floor');
  t.is(model.probability(features, 14, 16, model.floor(4, true) - 0.01, { level: 4, linkScore: 0.5 }), -1, 'below the lower floor');
  t.is(model.minCosine(4), Math.max(model.floor(4, true, true), model.minCosine(4)), 'the kernel reports the pairs the lower floors let in');
  t.true(model.minCosine(4) <= model.floor(4));
});

test('sub-type words of one group that the names do not share make another product: milk against white chocolate, chicken breast against wings, parmesan against tasty cheese', (t) => {
  const catalogue = [
    product(1, 'Milk Chocolate Raspberry Bites 120g', ['120g']),
    product(2, 'White Chocolate Raspberry Bites 120g', ['120g']),
    product(3, 'Milk Chocolate Hazelnut Bites 120g', ['120g']),
    product(4, 'Free Range Chicken Breast Fillets', []),
    product(5, 'Free Range Chicken Wings', []),
    product(6, 'Parmesan Cheese Block 200g', ['200g']),
    product(7, 'Tasty Cheese Block 500g', ['500g']),
    product(8, 'Dark Milk Chocolate Raspberry Bites 120g', ['120g']),
  ];
  const features = productFeatures(catalogue);
  const { model } = pairModel('use-lite');
  const context = { level: 3, linkScore: 0 };
  const subtype = (x: number, y: number) => subtypeDiffers(model, features, x, y);
  t.is(subtype(0, 1), 1, 'milk ~ white chocolate');
  t.is(subtype(0, 2), 0, 'two milk chocolates');
  t.is(subtype(3, 4), 1, 'breast ~ wings');
  t.is(subtype(5, 6), 1, 'parmesan ~ tasty');
  t.is(subtype(0, 7), 0, 'milk ~ dark milk chocolate: a sub-type word in common');
  t.is(subtype(1, 7), 1, 'white ~ dark milk chocolate');
  t.true(model.data.weights.subtypeDiffers < 0, 'the fit holds it against a pair');
  t.true(model.probability(features, 0, 1, 0.9, context) < model.probability(features, 0, 2, 0.9, context));
  // Sub-types of deli meats, legumes, tea and flour (borderline or no in every labelled pair of the development set).
  const more = productFeatures([
    product(1, 'Prosciutto Sliced 100g', ['100g']),
    product(2, 'Pastrami Sliced 100g', ['100g']),
    product(3, 'Black Beans 420g', ['420g']),
    product(4, 'Red Kidney Beans 420g', ['420g']),
    product(5, 'Organic Green Tea Bags 50 Pack 75g', ['75g']),
    product(6, 'Organic Black Tea Bags 50 Pack 100g', ['100g']),
    product(7, 'Plain Flour 2kg', ['2000g']),
    product(8, 'Self Raising Flour 2kg', ['2000g']),
    product(9, 'Organic Red Kidney Beans 425g', ['425g']),
    product(10, 'Tasty Cheese Block 250g', ['250g']),
    product(11, 'Tasty Cheese Slices 500g', ['500g']),
    product(12, 'Pineapple Slices 432g', ['432g']),
    product(13, 'Pineapple Sliced In Juice 440g', ['440g']),
  ]);
  const moreSubtype = (x: number, y: number) => subtypeDiffers(model, more, x, y);
  t.deepEqual([moreSubtype(0, 1), moreSubtype(2, 3), moreSubtype(4, 5), moreSubtype(6, 7), moreSubtype(3, 8)], [1, 1, 1, 1, 0], 'prosciutto ~ pastrami, black ~ kidney beans, green ~ black tea, plain ~ self raising flour; two kidney beans alike');
  t.deepEqual([moreSubtype(9, 10), moreSubtype(11, 12)], [1, 0], 'a cheese block ~ slices: another cut form; pineapple slices ~ sliced: one');
});

test('sub-type groups scoped to product types: protein ~ oat bars and brownie ~ pancake mix differ, oat and cake in other names do not', (t) => {
  const features = productFeatures([
    product(1, 'Gourmet Protein Bars Dark Choc 5 Pack 200g', ['200g']),
    product(2, 'Oat Bars Choc Chip 6 Pack 240g', ['240g']),
    product(3, 'Protein Oat Bars Peanut Butter 5 Pack 200g', ['200g']),
    product(4, 'Triple Choc Fudge Brownie Mix 500g', ['500g']),
    product(5, 'Buttermilk Pancake Mix & Shake 375g', ['375g']),
    product(6, 'Rolled Oats 750g', ['750g']),
    product(7, 'Protein Pancakes 400g', ['400g']),
    product(8, 'Chocolate Mud Cake 600g', ['600g']),
    product(9, 'Chocolate Brownie 400g', ['400g']),
  ]);
  const { model } = pairModel('use-lite');
  const subtype = (x: number, y: number) => subtypeDiffers(model, features, x, y);
  t.is(subtype(0, 1), 1, 'protein bars ~ oat bars: two cereal bars of two lines');
  t.is(subtype(1, 2), 0, 'oat bars ~ protein oat bars: a word of the group in common');
  t.is(subtype(3, 4), 1, 'brownie mix ~ pancake mix');
  t.is(subtype(1, 5), 0, 'oat bars ~ rolled oats: the group is read between cereal bars only');
  t.is(subtype(0, 6), 0, 'protein bars ~ protein pancakes: not of the group\'s types');
  t.is(subtype(7, 8), 0, 'mud cake ~ brownie: cakes, not baking mixes');
  t.is(features.subtypeScope[0]! & features.subtypeScope[3]!, features.subtypeScope[5]! & features.subtypeScope[6]!, 'products of other types share only the groups read in any name');
});

test('minCosine is a true bound: no feature vector reaches the threshold below it (the floor, or where the other features cannot make up for the cosine)', (t) => {
  const shipped = pairModel('use-lite').model;
  // A model whose cosine matters more than its floor: the bound comes from the weights.
  const model = new PairModel({ ...shipped.data, levels: undefined, intercept: -20, weights: { ...shipped.data.weights, cosine: 20 } });
  t.true(model.minCosine(3) > model.data.cosineFloor, `${model.minCosine(3)}`);
  fc.assert(
    fc.property(fc.constantFrom(3, 4), fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: PAIR_FEATURES.length, maxLength: PAIR_FEATURES.length }), fc.double({ min: -1, max: 1, noNaN: true }), (level, values, cosine) => {
      const f = Float64Array.from(values);
      f[0] = cosine;
      f[1] = Math.max(0, cosine - 0.85);
      f[PAIR_FEATURES.indexOf('lvl4')] = level === 4 ? 1 : 0;
      return !(cosine < model.minCosine(level) && model.probabilityOf(f, level) >= model.threshold(level));
    }),
    { numRuns: 2_000 },
  );
  // The same with a level of its own weights (the shipped LVL4's): the bound holds per level.
  // (An intercept low enough that the bound of its weights lies above the floor at the shipped LVL4 cut.)
  const own = new PairModel({ ...model.data, levels: { 4: { intercept: -25, weights: { ...shipped.data.weights, cosine: 25, tokenJaccard: 2 } } } });
  t.not(own.minCosine(4), model.minCosine(4));
  fc.assert(
    fc.property(fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: PAIR_FEATURES.length, maxLength: PAIR_FEATURES.length }), fc.double({ min: -1, max: 1, noNaN: true }), (values, cosine) => {
      const f = Float64Array.from(values);
      f[0] = cosine;
      f[1] = Math.max(0, cosine - 0.85);
      return !(cosine < own.minCosine(4) && own.probabilityOf(f, 4) >= own.threshold(4));
    }),
    { numRuns: 2_000 },
  );
  // A model whose other features could lift anything: the bound falls to the floor.
  const loose = new PairModel({ ...shipped.data, levels: undefined, weights: { ...shipped.data.weights, tokenJaccard: 50 } });
  t.is(loose.minCosine(3), shipped.data.cosineFloor);
});

test('product types: a table read with the name-word rules; the phrase ending last in the head part wins, the longer on a tie; weak words only when nothing else matches', (t) => {
  const normalise = (phrase: string) => contentWords(phrase.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, ' ').trim()).words;
  const table = compileTypes({ weakTypes: ['vegetables'], types: { steak: ['steak', 'rump'], 'stewing beef': ['gravy beef'], soup: ['soup'], vegetables: ['tomato', 'mushroom'], 'pasta sauce': ['pasta sauce', 'passata'], tuna: ['tuna'], oil: ['oil'] } }, normalise);
  const typeOf = (name: string) => {
    const { words, headEnd } = contentWords(name.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, ' ').trim());
    const k = productType(table, words, headEnd, (w) => w === 'chicken');
    return k < 0 ? undefined : table.names[k];
  };
  t.is(typeOf('Beef Rump Steak 250g'), 'steak');
  t.is(typeOf('Gravy Beef'), 'stewing beef');
  t.is(typeOf('Tomato Onion & Garlic Pasta Sauce'), 'pasta sauce', 'the longer phrase ending on the same word');
  t.is(typeOf('Yellowfin Tuna Chunks in Oil with Chilli'), 'tuna', 'the head part first');
  t.is(typeOf('Creamy Mushroom with a hint of Thyme Soup'), 'soup', 'a weak word in the head part yields to a phrase after it');
  t.is(typeOf('Canned Soup Creamy Tomato'), 'soup', 'a weak word at the end yields');
  t.is(typeOf('Gourmet Tomatoes'), 'vegetables', 'a weak word alone counts');
  t.is(typeOf('Sponge Scourers'), undefined);
  t.throws(() => compileTypes({ types: { a: ['pasta sauce'], b: ['Pasta Sauces'] } }, normalise), { message: /under both a and b/ });
  t.throws(() => compileTypes({ weakTypes: ['c'], types: { a: ['x'] } }, normalise), { message: /weak type "c"/ });
  t.throws(() => compileTypes({ flavourTypes: ['c'], types: { a: ['x'] } }, normalise), { message: /flavour type "c"/ });

  // Flavour types (sauces, oils, cream … that also name a flavour) yield to the product's own type; a phrase inside a longer one is not read alone.
  const flavoured = compileTypes({ weakTypes: ['vegetables'], flavourTypes: ['chilli sauce', 'cream', 'oil'], types: { 'chilli sauce': ['sweet chilli'], cream: ['cream', 'sour cream'], oil: ['oil', 'olive oil'], chips: ['potato chip'], 'chicken breast': ['chicken breast'], pickles: ['olive'], tuna: ['tuna'], salmon: ['salmon'], vegetables: ['onion'] } }, normalise);
  const flavouredType = (name: string) => {
    const { words, headEnd } = contentWords(name.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, ' ').trim());
    const k = productType(flavoured, words, headEnd, (w) => w === 'salmon');
    return k < 0 ? undefined : flavoured.names[k];
  };
  t.is(flavouredType('Potato Chips Sour Cream & Onion'), 'chips', 'a flavour type at the end yields to the product before it');
  t.is(flavouredType('Chicken Breast Tenders Sweet Chilli'), 'chicken breast');
  t.is(flavouredType('Sweet Chilli Sauce'), 'chilli sauce', 'a flavour type alone counts');
  t.is(flavouredType('Sour Cream 300ml'), 'cream');
  t.is(flavouredType('Tuna in Olive Oil'), 'tuna');
  t.is(flavouredType('Salmon in Olive Oil'), 'salmon', 'after the head part, a flavour type yields even to a weak word within it');
  t.is(flavouredType('Extra Virgin Olive Oil'), 'oil', '`olive` inside `olive oil` is not read on its own');

  // The shipped table: the same kind across brands and words, and the kinds the issue found paired wrongly.
  const catalogue = [
    product(1, 'Beef Scotch Fillet Steak'),
    product(2, 'Beef Porterhouse Steak'),
    product(3, 'Organic Bolognese Pasta Sauce 500g', ['500g']),
    product(4, 'Sweet Soy Sauce 500ml', ['500ml']),
    product(5, 'Triple Cream Brie Cheese 200g', ['200g']),
    product(6, 'Halloumi Cheese 225g', ['225g']),
    product(7, 'Chicken Grain Free Dry Dog Food 2.5kg', ['2500g']),
    product(8, 'Dog Dental Treats 7 Pack', ['7pk']),
    product(9, 'Beef Rump Steak 250g', ['250g']),
    product(10, 'Gravy Beef'),
  ];
  const features = productFeatures(catalogue);
  const names = Object.keys(shippedTypes().types);
  const type = (i: number) => names[features.type[i]!];
  t.is(type(0), 'steak');
  t.is(type(1), 'steak');
  t.is(type(2), 'pasta sauce');
  t.is(type(3), 'soy sauce');
  t.is(type(4), 'soft cheese');
  t.is(type(5), 'fresh cheese');
  t.is(type(6), 'dog food');
  t.is(type(7), 'pet treats');
  t.is(type(9), 'stewing beef');
  // Names that put the flavour last, typed by the flavour before flavour types (chilli sauce, cream, salt, oil).
  const flavours = productFeatures([
    product(1, 'Chicken Breast Tenders Sweet Chilli 1kg', ['1000g']),
    product(2, "Smith's Thinly Cut Potato Chips Sour Cream & Onion"),
    product(3, 'Cobs Popcorn Sea Salt'),
    product(4, 'Black & Gold Skipjack Tuna In Oil'),
    product(5, 'Australian Extra Virgin Olive Oil 2L', ['2000ml']),
    product(6, 'Rice Bran Oil 1L', ['1000ml']),
  ]);
  t.deepEqual(
    [0, 1, 2, 3, 4, 5].map((i) => names[flavours.type[i]!]),
    ['schnitzel', 'potato chips', 'popcorn', 'canned tuna', 'oil', 'oil'],
  );
  // Peanut butter and yoghurt name a flavour or coating of bars too; `choc chip` is a flavour type of
  // its own, so `chip` (potato chips) is not read inside it; a brand word after the brand names the
  // product (`Tony's Chocolate … Milk Chocolate`).
  const bars = productFeatures([
    product(1, 'Protein Oat Bars Peanut Butter 5 Pack 200g', ['200g']),
    product(2, 'Protein Oat Bars Choc Chip Coconut 5 Pack 200g', ['200g']),
    product(3, 'Gourmet Protein Bars Roasted Nuts, Coconut & Yoghurt 5 Pack 200g', ['200g']),
    product(4, 'Smooth Peanut Butter 375g', ['375g']),
    product(5, 'Greek Style Natural Yoghurt 1kg', ['1000g']),
    product(6, "Tony's Chocolate Hazelnut Milk Chocolate", [], "Tony's Chocolate"),
    product(7, 'Crumbed Chicken Tenders 400g', ['400g']),
    product(8, 'Choc Chip Cookies 500g', ['500g']),
    product(9, 'Kettle Sea Salt Chips', [], 'Kettle'),
    product(10, 'Nut Butter Bars Peanut Butter & Almond 5 Pack 175g', ['175g']),
  ]);
  t.deepEqual(
    [0, 1, 2, 3, 4, 5, 6, 7, 8, 9].map((i) => names[bars.type[i]!]),
    ['cereal bars', 'cereal bars', 'cereal bars', 'peanut butter', 'yoghurt', 'chocolate', 'schnitzel', 'biscuits', 'potato chips', 'cereal bars'],
  );
  // Weak phrases (`weakPhrases`): a pack form or flavour that also names a product types a name only
  // when nothing else does, and the words inside it are not read alone (`bean` in `vanilla bean`).
  const weakPhrases = productFeatures([
    product(1, 'Organic Vanilla Bean Yogurt 1kg', ['1000g']),
    product(2, "Mayver's Dark Roast Smooth Peanut Butter", [], "Mayver's"),
    product(3, 'Cream Cheese Block 250g', ['250g']),
    product(4, 'Darrell Lea Caramel Craving Block', [], 'Darrell Lea'),
    product(5, 'Ground Coffee Dark Roast 500g', ['500g']),
    product(6, 'Four Bean Mix 400g', ['400g']),
    product(7, 'Lamb Leg Roast 1.5kg', ['1500g']),
    product(8, 'Red Grapes Cluster'),
    product(9, 'Chocolate Peanut Clusters 100g', ['100g']),
    product(10, 'Nerds Clusters Pouch 226g', ['226g'], 'Nerds'),
  ]);
  t.deepEqual(
    [0, 1, 2, 3, 4, 5, 6, 7, 8, 9].map((i) => names[weakPhrases.type[i]!]),
    ['yoghurt', 'peanut butter', 'cream cheese', 'chocolate', 'coffee beans and ground', 'beans and legumes', 'roast', 'fresh fruit', 'chocolate confectionery', 'chocolate confectionery'],
  );
  // Toilet paper, facial tissues and paper towels are three types (`Toilet Paper` ~ `Paper Towel` is no).
  const paper = productFeatures([
    product(1, 'Sorbent Toilet Paper 3 Ply 32 Pack'),
    product(2, 'Toilet Tissue Double Length 3 Ply 8 Pack'),
    product(3, 'Paper Towel Double Length 3 Ply 3 Pack'),
    product(4, 'Large & Thick Facial Tissues 95 Pack'),
  ]);
  t.deepEqual([0, 1, 2, 3].map((i) => names[paper.type[i]!]), ['toilet paper', 'toilet paper', 'paper towels', 'tissues']);
  // Muffin bars are cakes (labelled yes against muffins, no against protein bars).
  const muffins = productFeatures([product(1, 'Choc Chip Muffin Bars 10 Pack 420g', ['420g']), product(2, 'Chocolate Chip Muffins 4 Pack 420g', ['420g']), product(3, 'Protein Bars Salted Caramel 5 Pack 200g', ['200g'])]);
  t.deepEqual([0, 1, 2].map((i) => names[muffins.type[i]!]), ['cakes', 'cakes', 'cereal bars']);
  // `Bread & Butter` names a kind of pickle (as `sweet & sour cucumber`); `handwash` is hand wash in one word (as `bodywash`).
  const pickles = productFeatures([
    product(1, 'Westmont Pickles Bread & Butter', [], 'Westmont'),
    product(2, 'Bread & Butter Pickles 500g', ['500g']),
    product(3, 'Always Fresh Cucumbers Bread & Butter', [], 'Always Fresh'),
    product(4, 'Handwash Refill  Sweet Orange & Mandarin 1L', ['1000ml']),
    product(5, 'Liquid Hand Wash Refill 1L', ['1000ml']),
  ]);
  t.deepEqual([0, 1, 2, 3, 4].map((i) => names[pickles.type[i]!]), ['pickles', 'pickles', 'pickles', 'body wash', 'body wash']);
  const weakTable = compileTypes({ weakTypes: ['fruit'], weakPhrases: ['block'], types: { chocolate: ['chocolate', 'block'], 'cream cheese': ['cream cheese'], fruit: ['grape'] } }, normalise);
  const weakType = (name: string) => {
    const { words, headEnd } = contentWords(name.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, ' ').trim());
    const k = productType(weakTable, words, headEnd, () => false);
    return k < 0 ? undefined : weakTable.names[k];
  };
  t.is(weakType('Cream Cheese Block'), 'cream cheese', 'a weak phrase yields to another type');
  t.is(weakType('Caramel Block'), 'chocolate', 'a weak phrase alone counts');
  t.is(weakType('Grape Block'), 'fruit', 'a weak phrase yields even to a weak word before it');
  t.throws(() => compileTypes({ weakPhrases: ['slab'], types: { chocolate: ['block'] } }, normalise), { message: /weak phrase "slab"/ });
  const { model } = pairModel('use-lite');
  const f = (x: number, y: number) => model.features(features, x, y, 0.85, { level: 3, linkScore: 0 });
  const equal = PAIR_FEATURES.indexOf('typeEqual');
  const differs = PAIR_FEATURES.indexOf('typeDiffers');
  t.deepEqual([f(0, 1)[equal], f(0, 1)[differs]], [1, 0], 'scotch fillet ~ porterhouse: one type');
  for (const [x, y] of [[2, 3], [4, 5], [6, 7], [8, 9]]) t.deepEqual([f(x!, y!)[equal], f(x!, y!)[differs]], [0, 1], `${catalogue[x!]!.name} ~ ${catalogue[y!]!.name}: two types`);
  t.true(model.data.weights.typeEqual > 0 && model.data.weights.typeDiffers < 0, 'the LVL3 fit holds one type for a pair and two against it');
  t.true(model.probability(features, 0, 1, 0.85, { level: 3, linkScore: 0 }) > model.probability(features, 8, 9, 0.85, { level: 3, linkScore: 0 }), 'two steaks above rump ~ gravy beef');
});

test('pair features of the products themselves: one company (LVL4), the same sizes, sizes far apart', (t) => {
  const catalogue = [
    product(1, 'Silver Scoop Boysenberry Ice Cream 2L', ['2000ml']),
    product(2, 'Silver Scoop Choc Chip Ice Cream 2L', ['2000ml']),
    product(3, 'Ice Cream Vanilla 200ml', ['200ml']),
    product(4, 'Ice Cream Vanilla 20L', ['20000ml']),
    product(5, 'Ice Cream Cones'),
  ];
  const features = productFeatures(catalogue);
  const { model } = pairModel('use-lite');
  const at = (name: (typeof PAIR_FEATURES)[number], x: number, y: number, level = 3, sameCompany?: boolean) => model.features(features, x, y, 0.85, { level, linkScore: 0, sameCompany })[PAIR_FEATURES.indexOf(name)];
  t.is(at('sameSize', 0, 1), 1);
  t.is(at('sameSize', 0, 2), 0);
  t.is(at('sameSize', 4, 4), 0, 'no sizes: not the same sizes');
  t.is(at('sizeFar', 0, 1), 0);
  t.is(at('sizeFar', 0, 2), 1, '2L ~ 200ml: a power of ten apart');
  t.is(at('sizeFar', 2, 3), 1, 'capped at one');
  t.true(Math.abs(at('sizeFar', 0, 3)! - 1) < 1e-9);
  t.is(at('sizeFar', 0, 4), 0, 'one without a size');
  t.is(at('sameCompany', 0, 1), 1, 'LVL3: one category, one company');
  t.is(at('sameCompany', 0, 1, 4, false), 0);
  t.is(at('sameCompany', 0, 1, 4, true), 1);
  const lvl4 = model.data.levels?.['4']?.weights;
  t.true(lvl4 !== undefined && lvl4.sameCompany < 0, 'LVL4: two categories of one company say the retailer keeps the products apart');
  t.true(lvl4!.cosine > 0, 'LVL4: a higher cosine never lowers the probability');
  t.is(lvl4!.typeDiffers, 0, 'LVL4 is fitted without typeDiffers');
  t.true(model.data.weights.sameSize > 0 && model.data.weights.sizeFar < 0);
  const p = (x: number, y: number, sameCompany: boolean) => model.probability(features, x, y, 0.9, { level: 4, linkScore: 0.5, sameCompany });
  t.true(p(0, 1, false) > p(0, 1, true), 'LVL4: a pair of two companies above the same pair within one');
  // Grams against millilitres: another kind of size, unless one product type near in quantity (sauces sold by either).
  const kinds = productFeatures([
    product(1, 'Lee Kum Kee Panda Oyster Sauce', ['255g'], 'Lee Kum Kee'),
    product(2, 'Maggi Oyster Sauce', ['275ml'], 'Maggi'),
    product(3, 'Beef Flavour Stock Powder 168g', ['168g']),
    product(4, 'Real Beef Liquid Stock 1L', ['1000ml']),
    product(5, 'Oyster Sauce Jumbo 2.27kg', ['2270g']),
    product(6, 'Sweet Soy Sauce 250ml', ['250ml']),
  ]);
  const kindConflict = (x: number, y: number) => model.features(kinds, x, y, 0.85, { level: 4, linkScore: 0 })[PAIR_FEATURES.indexOf('sizeKindConflict')];
  t.deepEqual([kindConflict(0, 1), kindConflict(2, 3), kindConflict(4, 1), kindConflict(0, 5)], [0, 1, 1, 1], 'oyster sauce 255g ~ 275ml: one kind; stock powder ~ liquid stock, 2.27kg ~ 275ml, oyster ~ soy sauce: two');
});
