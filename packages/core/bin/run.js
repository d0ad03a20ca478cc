#!/usr/bin/env node
import { execute, settings } from '@oclif/core';

// trolley and its plugins always run their compiled JavaScript; never try to transpile a linked plugin.
settings.enableAutoTranspile = false;

// Ctrl-C or a kill: leave through process.exit so exit handlers run (the embedded database's lock
// file is removed); PostgreSQL, embedded or not, recovers an interrupted transaction on next open.
process.once('SIGINT', () => process.exit(130));
process.once('SIGTERM', () => process.exit(143));

await execute({ dir: import.meta.url });
