import test from 'ava';
import { PassThrough } from 'node:stream';
import { pino } from 'pino';
import { createProgressReporter, etaReady, formatDuration, formatProgress } from '../src/context/progress.js';
import { createLogger } from '../src/context/logger.js';
import { statusLineOf } from '../src/context/status-line.js';
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

test('formats count, rate and ETA; work without a count shows its elapsed time', (t) => {
  t.is(formatProgress('import', 1200, 5000, 4000), 'import 1,200/5,000 300/s ETA 13s');
  t.is(formatProgress('fetch', 3, undefined, 2000), 'fetch 3 1.5/s');
  t.is(formatProgress('fetch', 0, 10, 0), 'fetch 0/10 0.0/s');
  t.is(formatProgress('opening the database', 0, undefined, 4200), 'opening the database 4s');
  t.is(formatDuration(61_000), '1m01s');
  t.is(formatDuration(3_720_000), '1h02m');
});

test('the ETA waits for enough samples: a few seconds and several counts (or a share of the work)', (t) => {
  // A slow first file of 80 must not promise minutes: no ETA before 3 s…
  t.is(formatProgress('import', 1, 80, 1_500, 1), 'import 1/80 0.7/s');
  // …nor on one count of 80 after 3 s,
  t.is(formatProgress('import', 1, 80, 3_500, 1), 'import 1/80 0.3/s');
  // …but with 5% of the work done or 10 counts seen it is said.
  t.regex(formatProgress('import', 4, 80, 3_500, 4), /ETA 1m07s$/);
  t.regex(formatProgress('fetch', 10, 10_000, 20_000, 10), /ETA 5h33m$/);
  t.false(etaReady(80, 80, 10_000, 80), 'nothing left: no ETA');
});

test('on a terminal: one line redrawn in place, cleared when the task ends, its summary one log line', (t) => {
  const out = capture(true);
  const { logger, lines } = logCapture();
  const task = createProgressReporter({ logger, clock: steppingClock(1000), stream: out.stream, throttleMs: 0, heartbeatMs: 0 }).start('import', 10);
  task.tick(3);
  task.tick(2);
  task.done();
  const text = out.text();
  t.false(text.includes('\n'), 'the line is never ended: it is cleared');
  t.true(text.endsWith('\r\u001b[K'), 'the last thing written clears the line');
  const frames = text.split('\r\u001b[K').filter(Boolean);
  t.is(frames[0], 'import 0/10 0.0/s');
  t.regex(frames[1]!, /^import 3\/10 1\.5\/s$/);
  t.regex(frames.at(-1)!, /^import 5\/10 /);
  t.true(lines.some((l) => l.task === 'import' && l.done === 5 && l.msg === 'import finished: 5 in 4s'));
});

test('a log line or a result first clears the progress line, which comes back at the next draw', async (t) => {
  const out = capture(true);
  const logger = await createLogger({ logLevel: 'info', logFormat: 'pretty' }, { destination: out.stream });
  const task = createProgressReporter({ logger, clock: steppingClock(1000), stream: out.stream, throttleMs: 0, heartbeatMs: 0 }).start('import', 4);
  task.tick();
  logger.warn({ file: 'a.jsonl', detail: 'x' }, 'a.jsonl is stale');
  task.tick();
  statusLineOf(out.stream).clear();
  out.stream.write('result\n');
  task.done();
  const text = out.text();
  t.regex(text, /import 1\/4 [^\r]*\r\u001b\[K\[\d\d:\d\d:\d\d\] WARN: a\.jsonl is stale\n/, JSON.stringify(text));
  t.regex(text, /import 2\/4 [^\r]*\r\u001b\[Kresult\n/, JSON.stringify(text));
  t.false(text.includes('detail'), 'fields of an event stay out of the terminal at info level');
});

test('a task of no count redraws its elapsed time while it waits (heartbeat)', async (t) => {
  const out = capture(true);
  const { logger } = logCapture();
  const task = createProgressReporter({ logger, clock: { now: () => new Date() }, stream: out.stream, heartbeatMs: 20 }).start('opening the database');
  await new Promise((resolve) => setTimeout(resolve, 300));
  task.done();
  const frames = out.text().split('\r\u001b[K').filter(Boolean);
  t.true(frames.length >= 2, JSON.stringify(frames));
  t.true(frames.every((f) => /^opening the database \d+s$/.test(f)));
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
  const task = createProgressReporter({ logger, clock: steppingClock(1), stream: out.stream, throttleMs: 1000, heartbeatMs: 0 }).start('many', 100_000);
  for (let i = 0; i < 100_000; i++) task.tick();
  task.done();
  const frames = out.text().split('\r').length;
  t.true(frames < 300, `${frames} frames for 100,000 ticks`);
});

test('JSON logs carry one level key: an event field named level is written as lvl', async (t) => {
  const out = capture(false);
  const logger = await createLogger({ logLevel: 'info', logFormat: 'json' }, { destination: out.stream });
  logger.info({ id: 'lvl1', level: 1, pairs: 588 }, 'lvl1: 588 pair(s)');
  await new Promise((resolve) => setImmediate(resolve));
  const line = out.text().trim();
  t.is(line.match(/"level":/g)?.length, 1, line);
  const event = JSON.parse(line) as Record<string, unknown>;
  t.is(event.level, 30);
  t.is(event.lvl, 1);
});
