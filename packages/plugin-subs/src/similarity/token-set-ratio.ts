/**
 * `token_set_ratio` exactly as docs/substitutions.md defines it, the score LVL2 is decided on. The longest common
 * subsequence comes from cmpstr's LCS metric; everything around it (the token sets, the three
 * candidate ratios, the rounding) is the SPEC's and lives here.
 */
import { MetricRegistry } from 'cmpstr/root';

type LcsResult = { raw?: { lcs: number } };
/** cmpstr's LCS metric; `compute` is its dynamic programme without the cache and profiler around `run()`. */
type LcsMetric = new (a: string, b: string) => { compute(a: string, b: string, m: number, n: number, maxLen: number): LcsResult };

const Lcs = MetricRegistry.get('lcs') as unknown as LcsMetric;
const lcsMetric = new Lcs('a', 'b');

/** The tokens of a name: characters 128–255 dropped, lower-cased, non-alphanumerics as spaces; distinct, sorted. */
export function nameTokens(text: string): string[] {
  const cleaned = text
    .replace(/[\u0080-\u00ff]/g, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ');
  return [...new Set(cleaned.split(' ').filter((t) => t !== ''))].sort(byCodeUnit);
}

/** The integer token-set ratio of two names, 0–100. */
export function tokenSetRatio(a: string, b: string): number {
  return tokenSetRatioOfTokens(nameTokens(a), nameTokens(b));
}

/** The same, from tokens already computed with {@link nameTokens} (sorted, distinct). */
export function tokenSetRatioOfTokens(a: readonly string[], b: readonly string[]): number {
  if (a.length === 0 || b.length === 0) return 0;
  const inB = new Set(b);
  const inA = new Set(a);
  const sect = a.filter((t) => inB.has(t));
  const onlyA = a.filter((t) => !inB.has(t));
  const onlyB = b.filter((t) => !inA.has(t));
  if (sect.length > 0 && (onlyA.length === 0 || onlyB.length === 0)) return 100;
  const da = onlyA.join(' ');
  const db = onlyB.join(' ');
  if (sect.length === 0) return ratio(da, db).rounded();
  const s = sect.join(' ');
  const withA = `${s} ${da}`;
  const withB = `${s} ${db}`;
  // `s` is a prefix of both: its common subsequence with either is all of it.
  const candidates = [ratio(withA, withB), new Ratio(2 * s.length, s.length + withA.length), new Ratio(2 * s.length, s.length + withB.length)];
  return candidates.reduce((best, r) => (r.greaterThan(best) ? r : best)).rounded();
}

/**
 * `90 < token_set_ratio < 100` (LVL2), decided without computing a common subsequence when the
 * lengths already decide it: the two prefix ratios are exact from lengths alone, and
 * 2·min(|x|, |y|)/(|x| + |y|) bounds the third. Always equal to testing {@link tokenSetRatioOfTokens}.
 */
export function isNearIdenticalTokens(a: readonly string[], b: readonly string[]): boolean {
  if (a.length === 0 || b.length === 0) return false;
  const inB = new Set(b);
  const inA = new Set(a);
  const sect = a.filter((t) => inB.has(t));
  const onlyA = a.filter((t) => !inB.has(t));
  const onlyB = b.filter((t) => !inA.has(t));
  // A subset scores 100; otherwise both differences are non-empty and no candidate reaches 100.
  if (sect.length > 0 && (onlyA.length === 0 || onlyB.length === 0)) return false;
  const da = onlyA.join(' ');
  const db = onlyB.join(' ');
  const above90 = (r: Ratio) => r.rounded() > 90;
  if (sect.length === 0) return above90(new Ratio(2 * Math.min(da.length, db.length), da.length + db.length)) && above90(ratio(da, db));
  const s = sect.join(' ');
  const withA = s.length + 1 + da.length;
  const withB = s.length + 1 + db.length;
  if (above90(new Ratio(2 * s.length, s.length + withA)) || above90(new Ratio(2 * s.length, s.length + withB))) return true;
  return above90(new Ratio(2 * Math.min(withA, withB), withA + withB)) && above90(ratio(`${s} ${da}`, `${s} ${db}`));
}

/** ratio(x, y) = 100·(1 − indel/(|x|+|y|)) = 100·2·LCS/(|x|+|y|), kept as a fraction until rounded. */
function ratio(x: string, y: string): Ratio {
  return new Ratio(2 * lcs(x, y), x.length + y.length);
}

function lcs(x: string, y: string): number {
  if (x === y) return x.length;
  if (x.length === 0 || y.length === 0) return 0;
  // Called directly: scores are decided once per pair, so cmpstr's result cache would only cost.
  return lcsMetric.compute(x, y, x.length, y.length, Math.max(x.length, y.length)).raw?.lcs ?? 0;
}

/** 100 · numerator / denominator, exact. */
class Ratio {
  constructor(
    private readonly numerator: number,
    private readonly denominator: number,
  ) {}

  greaterThan(other: Ratio): boolean {
    return this.numerator * other.denominator > other.numerator * this.denominator;
  }

  /** Rounded half to even, in integers: no float can turn 37.5 into 37.4999. */
  rounded(): number {
    if (this.denominator === 0) return 0;
    const scaled = 100 * this.numerator;
    const whole = Math.floor(scaled / this.denominator);
    const twice = 2 * (scaled - whole * this.denominator);
    if (twice > this.denominator) return whole + 1;
    if (twice < this.denominator) return whole;
    return whole % 2 === 0 ? whole : whole + 1;
  }
}

function byCodeUnit(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
