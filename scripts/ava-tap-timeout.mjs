// Loaded into the ava process by scripts/test.mjs (node --import). ava 7's TAP reporter crashes when
// its inactivity timeout fires (it formats a plain Error as if it were one of its serialised errors:
// avajs/ava#3461), which ends the whole run silently, leaves the timed-out files' workers and their
// children behind, and loses every later result. This module rewrites that one function as it is
// loaded, so a timeout is reported as a failure of each pending test and the run goes on.
import { register } from 'node:module';

const HOOKS = '?hooks';

if (!import.meta.url.endsWith(HOOKS)) register(`${import.meta.url}${HOOKS}`);

const BROKEN = 'originalError.name = name; // Restore the original name.';
const FIXED = `if (originalError === undefined) return {name: 'Error', message: arguments[0].message}; ${BROKEN}`;

/** Module-loader hook (runs in the loader thread). */
export async function load(url, context, nextLoad) {
  const loaded = await nextLoad(url, context);
  if (!url.endsWith('/ava/lib/reporters/tap.js') || loaded.source == null) return loaded;
  const source = typeof loaded.source === 'string' ? loaded.source : new TextDecoder().decode(loaded.source);
  return source.includes(BROKEN) ? { ...loaded, source: source.replace(BROKEN, FIXED) } : loaded;
}
