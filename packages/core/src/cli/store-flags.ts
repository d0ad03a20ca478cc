/**
 * The one way a command takes stores: `--stores 12,aldi:G467` (comma-separated, or the flag
 * repeated), each a database id or a store code with or without its company; resolved with
 * `resolveStoreRefs`.
 */
import { Flags } from '@oclif/core';

const STORES = 'database ids or codes (aldi:G467, or G467 when no other company has it), comma-separated';

export const storesFlag = (what: string, aliases?: string[]) => Flags.string({ description: `${what}: ${STORES}.`, aliases, multiple: true, delimiter: ',' });

export const requiredStoresFlag = (what: string) => Flags.string({ description: `${what}: ${STORES}.`, required: true, multiple: true, delimiter: ',' });
