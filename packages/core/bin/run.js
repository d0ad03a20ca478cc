#!/usr/bin/env node
import { execute, settings } from '@oclif/core';

// trolley and its plugins always run their compiled JavaScript; never try to transpile a linked plugin.
settings.enableAutoTranspile = false;

// Ctrl-C or a kill ends trolley at once, by Node's own handlers (they reset the terminal and die of
// the signal: 130 and 143 in a shell). No JavaScript listener: the embedded database runs its
// queries synchronously, so a listener would wait for the query in hand (seconds, on a large
// import). PostgreSQL, embedded or not, recovers an interrupted transaction on next open, and the
// next command takes over the embedded database's lock of a process that is gone. Commands that
// must give something back first (serve, scrape run) listen for the signals themselves.

await execute({ dir: import.meta.url });
