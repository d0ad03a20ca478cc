import test from 'ava';
import { PassThrough } from 'node:stream';
import { pino } from 'pino';
import { createProgressReporter, formatDuration, formatProgress } from '../src/context/progress.js';
import type { Clock } from '../src/context/clock.js';

function steppingClock(stepMs: number): Clock {
  let now = Date.parse('2026-01-01T00:00:00Z');
  return { now: () => new Date((now += stepMs)) };
}

function capture(isTTY: boolean) {
  const stream = new PassThrough() as PassThrough & { isTTY?: boolean; columns?: number };
  stream.isTTY = isTTY;
  stream.columns = 200;
  let text = '';
  stream.on('data', (d: Buffer) => (text += d.toString()));
  return { stream, text: () => text };
}

function logCapture() {
  const lines: Array<Record<string, unknown>> = [];
  const destination = new PassThrough();
  destination.on('data', (d: Buffer) => d.toString().split('\n').filter(Boolean).forEach((l) => lines.push(JSON.parse(l))));
  return { logger: pino({ level: 'info' }, destination), lines };
}

test('formats count, rate and ETA', (t) => {
  t.is(formatProgress('import', 1200, 5000, 4000), 'import 1,200/5,000 300/s ETA 13s');
  t.is(formatProgress('fetch', 3, undefined, 2000), 'fetch 3 1.5/s');
  t.is(formatProgress('fetch', 0, 10, 0), 'fetch 0/10 0.0/s ETA ?');
  t.is(formatDuration(61_000), '1m01s');
  t.is(formatDuration(3_720_000), '1h02m');
});

test('on a terminal: one line redrawn in place with x/y, rate and ETA', (t) => {
  const out = capture(true);
  const { logger, lines } = logCapture();
  const task = createProgressReporter({ logger, clock: steppingClock(1000), stream: out.stream, throttleMs: 0 }).start('import', 10);
  task.tick(3);
  task.tick(2);
  task.done();
  const text = out.text();
  t.false(text.slice(0, -1).includes('\n'), 'no new line until the task is done');
  t.true(text.endsWith('\n'));
  const frames = text.trimEnd().split('\r').filter(Boolean).map((f) => f.replace('\u001b[K', ''));
  t.is(frames[0], 'import 0/10 0.0/s ETA ?');
  t.regex(frames[1]!, /^import 3\/10 1\.5\/s ETA \d+s$/);
  t.regex(frames.at(-1)!, /^import 5\/10 /);
  t.true(lines.some((l) => l.task === 'import' && l.done === 5));
});

test('in a pipe: nothing on the stream, a start and a finish log line', (t) => {
  const out = capture(false);
  const { logger, lines } = logCapture();
  const task = createProgressReporter({ logger, clock: steppingClock(3000), stream: out.stream }).start('embed', 4);
  for (let i = 0; i < 4; i++) task.tick();
  task.done();
  t.is(out.text(), '');
  t.deepEqual(lines.map((l) => l.msg), ['embed started', 'embed finished: 4 in 3s']);
});

test('the terminal line is throttled', (t) => {
  const out = capture(true);
  const { logger } = logCapture();
  const task = createProgressReporter({ logger, clock: steppingClock(1), stream: out.stream, throttleMs: 1000 }).start('many', 100_000);
  for (let i = 0; i < 100_000; i++) task.tick();
  task.done();
  const frames = out.text().split('\r').length;
  t.true(frames < 300, `${frames} frames for 100,000 ticks`);
});
