import test from 'ava';
import { PolitenessGate } from '../src/politeness.js';

test('the gate keeps the delay plus a random jitter between a response and the next start', async (t) => {
  let now = 1_000;
  const randoms = [0, 0.5, 1];
  const gate = new PolitenessGate(200, () => now, 100, () => randoms.shift() ?? 0);
  const starts: number[] = [];
  const clockRunner = setInterval(() => (now += 10), 1);
  try {
    for (let i = 0; i < 3; i++) {
      await gate.acquire();
      starts.push(now);
      gate.release();
    }
  } finally {
    clearInterval(clockRunner);
  }
  // Each release sets the next start at least delay + jitter×random after it: 200+0, 200+50 after the first two.
  t.true(starts[1]! - starts[0]! >= 200, `${starts[1]! - starts[0]!}`);
  t.true(starts[2]! - starts[1]! >= 250, `${starts[2]! - starts[1]!}`);
});

