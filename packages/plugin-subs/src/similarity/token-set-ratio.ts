/**
 * `token_set_ratio` exactly as SPEC §5 defines it, the score LVL2 is decided on. The longest common
 * subsequence comes from cmpstr's LCS metric; everything around it (the token sets, the three
 * candidate ratios, the rounding) is the SPEC's and lives here.
 */
import { MetricRegistry } from 'cmpstr/root';

type LcsResult = { res: number; raw?: { lcs: number } };
type LcsMetric = new (a: string, b: string) => { run(): void; getResults(): LcsResult };

const Lcs = MetricRegistry.get('lcs') as unknown as LcsMetric;

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

/** ratio(x, y) = 100·(1 − indel/(|x|+|y|)) = 100·2·LCS/(|x|+|y|), kept as a fraction until rounded. */
function ratio(x: string, y: string): Ratio {
  return new Ratio(2 * lcs(x, y), x.length + y.length);
}

function lcs(x: string, y: string): number {
  if (x === y) return x.length;
  if (x.length === 0 || y.length === 0) return 0;
  const metric = new Lcs(x, y);
  metric.run();
  const result = metric.getResults();
  // cmpstr answers strings shorter than two characters without computing: they share nothing here.
  return result.raw?.lcs ?? 0;
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
