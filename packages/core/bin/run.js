#!/usr/bin/env node
import { execute, settings } from '@oclif/core';

// trolley and its plugins always run their compiled JavaScript; never try to transpile a linked plugin.
settings.enableAutoTranspile = false;

await execute({ dir: import.meta.url });
