/**
 * What the database would refuse, checked on the line first so that a file fails with a sentence
 * naming its line instead of an SQL error: NUL characters and broken Unicode in text, text too long
 * for an index entry, category paths too deep, unit prices beyond the stored precision, impossible
 * dates, and dates more than a day ahead of the clock (unless the user accepts them).
 */

/** The longest text, in UTF-8 bytes, each field may hold: well under PostgreSQL's ~2.7 KB index-entry limit. */
export const FIELD_BYTES = {
  'metadata.company': 100,
  'metadata.store_id': 100,
  'metadata.store_name': 500,
  'metadata.state': 50,
  'product.sku': 200,
  'product.name': 1_000,
  'product.brand': 200,
  'product.size': 200,
  'product.category_path': 200,
} as const;

export type LimitedField = keyof typeof FIELD_BYTES;

/** Category paths deeper than this are not a retailer's category tree. */
export const MAX_CATEGORY_DEPTH = 20;
/** Unit prices are stored with 4 decimals and 10 whole digits. */
export const MAX_UNIT_PRICE = 1e10;
/** Scrapes of Australian supermarkets start long after this. */
export const EARLIEST_DATE = '2000-01-01';

/** With the u flag, a surrogate that is not half of a pair. */
const LONE_SURROGATE = /[\uD800-\uDFFF]/u;
/** Without it, any surrogate: a cheaper test that most text fails, so the one above rarely runs. */
const ANY_SURROGATE = /[\uD800-\uDFFF]/;

/** Why a text field cannot be stored, phrased to follow "line N ", or undefined when it can. */
export function textProblem(field: LimitedField, value: string | null | undefined): string | undefined {
  if (value === null || value === undefined) return undefined;
  if (value.includes('\u0000')) return `has a NUL character in ${field}`;
  if (ANY_SURROGATE.test(value) && LONE_SURROGATE.test(value)) return `has a broken Unicode character (a lone surrogate) in ${field}`;
  // A UTF-16 unit is at most 3 UTF-8 bytes: short text need not be counted.
  if (value.length * 3 <= FIELD_BYTES[field]) return undefined;
  const bytes = Buffer.byteLength(value, 'utf8');
  if (bytes > FIELD_BYTES[field]) return `has a ${field} of ${bytes.toLocaleString('en-AU')} bytes, longer than the ${FIELD_BYTES[field].toLocaleString('en-AU')} allowed`;
  return undefined;
}

/** Why a category path cannot be stored, or undefined. */
export function categoryProblem(parts: readonly string[]): string | undefined {
  if (parts.length > MAX_CATEGORY_DEPTH) return `has a category_path ${parts.length.toLocaleString('en-AU')} levels deep, deeper than the ${MAX_CATEGORY_DEPTH} allowed`;
  for (const part of parts) {
    const problem = textProblem('product.category_path', part);
    if (problem) return problem;
  }
  return undefined;
}

/** Why a unit price cannot be stored, or undefined. */
export function unitPriceProblem(value: number | null | undefined, unit: string | null | undefined): string | undefined {
  if (value === null || value === undefined) return undefined;
  if (!Number.isFinite(value) || value < 0 || value >= MAX_UNIT_PRICE) {
    return `has a unit price of ${Number.isFinite(value) ? value.toExponential(2) : 'a number too large to hold'} per ${unit ?? 'unit'}, beyond the ${MAX_UNIT_PRICE.toExponential(0)} a unit price may be`;
  }
  return undefined;
}

const DAY_MS = 86_400_000;

/** The last day asked of {@link latestAcceptedDate} and its answer: every line of an import asks. */
let latestFor = { day: Number.NaN, date: '' };

/** The latest scraped date accepted now: a day ahead of the clock (UTC), for scrapes in later time zones. */
export function latestAcceptedDate(now = Date.now()): string {
  const day = Math.floor(now / DAY_MS);
  if (day !== latestFor.day) latestFor = { day, date: new Date((day + 1) * DAY_MS).toISOString().slice(0, 10) };
  return latestFor.date;
}

/** Answers of {@link dateProblem} by date and latest date: a file's lines share one date. */
const dateAnswers = new Map<string, string | undefined>();
const DATE_ANSWERS_KEPT = 1_000;
/** The last question and answer, asked again by the next line of the same file. */
let lastAsked: { date: string; latest: string | undefined; answer: string | undefined } = { date: '', latest: undefined, answer: undefined };

/**
 * Why a `YYYY-MM-DD` date cannot be a scrape's date, or undefined: a day that does not exist, one
 * before {@link EARLIEST_DATE}, or one after `latest` (when given).
 */
export function dateProblem(date: string, latest: string | undefined): string | undefined {
  if (date === lastAsked.date && latest === lastAsked.latest) return lastAsked.answer;
  const key = `${date} ${latest ?? ''}`;
  let answer: string | undefined;
  if (dateAnswers.has(key)) answer = dateAnswers.get(key);
  else {
    if (dateAnswers.size >= DATE_ANSWERS_KEPT) dateAnswers.clear();
    answer = checkDate(date, latest);
    dateAnswers.set(key, answer);
  }
  lastAsked = { date, latest, answer };
  return answer;
}

function checkDate(date: string, latest: string | undefined): string | undefined {
  const parsed = Date.parse(`${date}T00:00:00Z`);
  if (Number.isNaN(parsed) || new Date(parsed).toISOString().slice(0, 10) !== date) return `has scraped_date ${date}, a day that does not exist`;
  if (date < EARLIEST_DATE) return `has scraped_date ${date}, before ${EARLIEST_DATE}`;
  if (latest !== undefined && date > latest) return `has scraped_date ${date}, more than a day ahead of the clock (import it with --allow-future-dates if that is right)`;
  return undefined;
}
