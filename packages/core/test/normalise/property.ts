/** Runs a fast-check property inside an ava test, so a counterexample is a failed assertion with its report. */
import type { ExecutionContext } from 'ava';
import fc from 'fast-check';

export function holds<Ts>(t: ExecutionContext, property: fc.IProperty<Ts>, params: fc.Parameters<Ts> = {}): void {
  const details = fc.check(property, { numRuns: 300, ...params });
  t.false(details.failed, fc.defaultReportMessage(details) ?? 'property failed');
}
