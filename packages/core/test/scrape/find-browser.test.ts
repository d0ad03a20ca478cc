import test from 'ava';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { findBrowser } from '../../src/commands/scrape/session.js';
import { isTrolleyError } from '../../src/errors.js';

test('the browser: the one named, else the first installed candidate; none is one sentence with the fix (exit 3), never a download', (t) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'browser-'));
  t.teardown(() => fs.rmSync(dir, { recursive: true, force: true }));
  const chromium = path.join(dir, 'chromium');
  fs.writeFileSync(chromium, '#!/bin/sh\n', { mode: 0o755 });
  const notExecutable = path.join(dir, 'chrome');
  fs.writeFileSync(notExecutable, '', { mode: 0o644 });
  t.is(findBrowser(undefined, [path.join(dir, 'missing'), notExecutable, chromium]), chromium, 'the first that exists and runs');
  t.is(findBrowser(chromium, []), chromium);
  const none = t.throws(() => findBrowser(undefined, [path.join(dir, 'missing'), notExecutable]));
  t.true(isTrolleyError(none) && none.exitCode === 3);
  t.is(none!.message, `No Chromium is installed (looked for ${path.join(dir, 'missing')}, ${notExecutable}): install Debian's chromium package (apt-get install chromium) or name a Chromium or Chrome executable with --browser; trolley does not download one.`);
  const named = t.throws(() => findBrowser(dir, []));
  t.regex(named!.message, /^No browser at .*: name the Chromium or Chrome executable with --browser \(or TROLLEY_CHROMIUM\)/, 'a folder is not a browser');
});
