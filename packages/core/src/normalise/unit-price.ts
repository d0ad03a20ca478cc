/**
 * Unit prices (docs/normalisation.md): a retailer's unit price expressed per 1 kg, 1 l or 1 each, with 4 decimals.
 */
import { DECIMAL, roundTo } from './decimal.js';
import { toDollars } from './money.js';
import { sizeUnitOf } from './units.js';

export type UnitPrice = { value: number; unit: 'kg' | 'l' | 'ea' };

/** How one measure word converts: price per `perBase` of this unit = price per 1 base unit. */
type Conversion = { unit: UnitPrice['unit']; perBase: number };

/** Count words beyond the size units: Aldi writes `per 100 PAC` for pieces. */
const EXTRA_COUNT_WORDS = new Set(['pac']);

/**
 * The conversion for a measure word: g/kg → kg, ml/l → l, each/ea/pk/pack/pac → ea. Undefined
 * for anything else (`sheets`, `m`): such a price has no per kg, l or each form.
 */
function conversionOf(word: string): Conversion | undefined {
  if (EXTRA_COUNT_WORDS.has(word)) return { unit: 'ea', perBase: 1 };
  switch (sizeUnitOf(word)) {
    case 'g':
      return { unit: 'kg', perBase: 1000 };
    case 'kg':
      return { unit: 'kg', perBase: 1 };
    case 'ml':
      return { unit: 'l', perBase: 1000 };
    case 'l':
      return { unit: 'l', perBase: 1 };
    case 'pk':
    case 'ea':
      return { unit: 'ea', perBase: 1 };
    default:
      return undefined;
  }
}

/** A price for `quantity` of `word`, as a price per 1 base unit; null when the unit has no base or the quantity is zero. */
function perBaseUnit(dollars: number | null, quantity: number, word: string): UnitPrice | null {
  const conversion = conversionOf(word);
  if (dollars === null || conversion === undefined || !(quantity > 0)) return null;
  return { value: roundTo((dollars * conversion.perBase) / quantity, 4), unit: conversion.unit };
}

/** `$2.26/100g`, `$50.00 per 1kg`, `$5.99 per 1 kg`, `$4.50/kg`, `$0.50 each`, `85c per 100g`, `$19,900.00/100g`. */
const PRICE_STRING = new RegExp(
  String.raw`^\s*(?:\$\s*(${DECIMAL})|(${DECIMAL})\s*(?:c|¢))\s*(?:(?:/|per)\s*(${DECIMAL})?\s*([a-z]+)|(each|ea))(?![a-z])`,
);

/** `100g`, `1kg`, `1.0kg`, `each`, `per 100 ml`, `100.0each`. */
const MEASURE = new RegExp(String.raw`^\s*(?:per\s*)?(${DECIMAL})?\s*([a-z]+)\s*$`);

type Parse = { readonly price: UnitPrice | null } | undefined;

/**
 * Answers of {@link parseString} by string: the stores of a company print the same few thousand
 * unit price strings on every line of every file. Bounded: starts over past {@link PARSED_KEPT}.
 */
const parsed = new Map<string, Parse>();
const PARSED_KEPT = 50_000;

/** Parses a unit price string; undefined when it is not one, `{price: null}` when it is one without a kg/l/each form. */
function parseString(text: unknown): Parse {
  if (typeof text !== 'string') return undefined;
  if (parsed.has(text)) return parsed.get(text);
  if (parsed.size >= PARSED_KEPT) parsed.clear();
  const answer = parseFresh(text);
  // Frozen: one answer is handed to every caller that asks with the same string.
  if (answer?.price) Object.freeze(answer.price);
  parsed.set(text, answer === undefined ? undefined : Object.freeze(answer));
  return answer;
}

function parseFresh(text: string): Parse {
  const match = PRICE_STRING.exec(text.toLowerCase().replace(/(?<=\d),(?=\d{3}(?!\d))/g, ''));
  if (!match) return undefined;
  const [, dollarsText, centsText, quantityText, word, eachWord] = match;
  const dollars = dollarsText !== undefined ? toDollars(dollarsText, 'dollars') : toDollars(centsText, 'cents');
  return { price: perBaseUnit(dollars, quantityText === undefined ? 1 : Number(quantityText), word ?? eachWord ?? '') };
}

/** A money value priced per a measure such as `100g` or `1.0each`; null when either does not parse. */
function parseMeasured(value: unknown, measure: unknown): UnitPrice | null {
  if (typeof measure !== 'string') return null;
  const match = MEASURE.exec(measure.toLowerCase());
  if (!match?.[2]) return null;
  return perBaseUnit(toDollars(value, 'dollars'), match[1] === undefined ? 1 : Number(match[1]), match[2]);
}

/**
 * The unit price of a scraped product per 1 kg, 1 l or 1 each, rounded to 4 decimals.
 * `per_unit_price_string` is authoritative when it parses (a string priced per `sheets` or `m`
 * gives null: there is no kg/l/each form); otherwise `per_unit_price_value` per
 * `per_unit_price_measure`; only when neither exists `unit_price` per `unit_of_measure`, which
 * some Aldi files divided by 100 twice at the source (`$5.99 per 1 kg` beside `unit_price` 0.06).
 * Null when nothing parses.
 */
export function unitPrice(p: {
  per_unit_price_string?: unknown;
  per_unit_price_value?: unknown;
  per_unit_price_measure?: unknown;
  unit_price?: unknown;
  unit_of_measure?: unknown;
}): UnitPrice | null {
  const fromString = parseString(p.per_unit_price_string);
  if (fromString !== undefined) return fromString.price;
  return parseMeasured(p.per_unit_price_value, p.per_unit_price_measure) ?? parseMeasured(p.unit_price, p.unit_of_measure);
}
