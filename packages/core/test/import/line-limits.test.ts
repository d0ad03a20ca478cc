/** The date checks every line makes keep their answers, and the answers follow the clock and the date. */
import test from 'ava';
import { dateProblem, latestAcceptedDate } from '../../src/import/line-limits.js';

const DAY = 86_400_000;

test('the latest accepted date is a day ahead of the clock, and moves when the day does', (t) => {
  const noon = Date.parse('2026-03-10T12:00:00Z');
  t.is(latestAcceptedDate(noon), '2026-03-11');
  t.is(latestAcceptedDate(noon + 11 * 3_600_000 + 59 * 60_000), '2026-03-11');
  t.is(latestAcceptedDate(noon + 12 * 3_600_000), '2026-03-12');
  t.is(latestAcceptedDate(noon - DAY), '2026-03-10');
});

test('a date asked again gets the same answer, and a later latest date changes it', (t) => {
  t.is(dateProblem('2026-03-12', '2026-03-11'), dateProblem('2026-03-12', '2026-03-11'));
  t.regex(dateProblem('2026-03-12', '2026-03-11') ?? '', /more than a day ahead of the clock/);
  t.is(dateProblem('2026-03-12', '2026-03-12'), undefined);
  t.is(dateProblem('2026-03-12', undefined), undefined);
  t.regex(dateProblem('2025-02-30', undefined) ?? '', /a day that does not exist/);
  t.regex(dateProblem('1999-12-31', undefined) ?? '', /before 2000-01-01/);
});

test('more dates than are kept still get their own answers', (t) => {
  for (let i = 0; i < 2_500; i++) {
    const date = new Date(Date.parse('2020-01-01T00:00:00Z') + i * DAY).toISOString().slice(0, 10);
    const answer = dateProblem(date, '2024-01-01');
    if (date > '2024-01-01') t.regex(answer ?? '', /more than a day ahead/, date);
    else t.is(answer, undefined, date);
  }
});
