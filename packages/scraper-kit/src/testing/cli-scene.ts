/**
 * A `trolley scrape products` scene for a chain plugin's tests: the real CLI in a sandbox (embedded
 * database, or a schema on TEST_DATABASE_URL), a fixture site, an outbox, and readers of the record
 * file it writes.
 */
import fs from 'node:fs';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { cliSandbox, type CliSandbox } from '@trolley/core/testing';
import type { FixtureSite } from './fixture-site.js';

interface Teardown {
  teardown(fn: () => unknown): void;
}

export const testDatabaseKind = process.env.TEST_DATABASE_URL ? 'server' : 'embedded';

export interface ScrapeScene {
  readonly cli: CliSandbox;
  readonly site: FixtureSite;
  readonly outbox: string;
  /** `scrape products` for the store, no delay, quick retries, from the fixture site. */
  readonly args: (...extra: string[]) => string[];
  /** The record files written for the company. */
  readonly files: () => string[];
  /** The lines of the one record file, parsed. */
  readonly records: () => Array<{ product: Record<string, unknown>; metadata: Record<string, unknown> }>;
}

export async function scrapeScene(t: Teardown, company: string, store: string, site: FixtureSite): Promise<ScrapeScene> {
  const cli = cliSandbox(t, { database: testDatabaseKind });
  await site.start();
  t.teardown(() => site.close());
  const outbox = path.join(path.dirname(cli.home), 'outbox');
  const files = () => {
    const dir = path.join(outbox, company);
    return fs.existsSync(dir) ? fs.readdirSync(dir).filter((f) => f.endsWith('.jsonl.gz')).map((f) => path.join(dir, f)) : [];
  };
  return {
    cli,
    site,
    outbox,
    args: (...extra) => ['scrape', 'products', '--company', company, '--store', store, '--outbox', outbox, '--delay', '0', '--retry-backoff', '10ms', '--base-url', site.origin, '--log-format', 'json', ...extra],
    files,
    records: () => {
      const [file, ...more] = files();
      if (!file || more.length > 0) throw new Error(`expected one record file, found ${files().length}`);
      return readRecords(file);
    },
  };
}

export function readRecords(file: string): Array<{ product: Record<string, unknown>; metadata: Record<string, unknown> }> {
  const bytes = fs.readFileSync(file);
  const text = (file.endsWith('.gz') ? gunzipSync(bytes) : bytes).toString('utf8');
  return text
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as { product: Record<string, unknown>; metadata: Record<string, unknown> });
}

/** Requests beyond the first for the same method, path, query and body. */
export function refetches(site: FixtureSite): number {
  const seen = new Map<string, number>();
  for (const r of site.requests) {
    const key = `${r.method} ${r.path}?${r.query.toString()} ${r.body}`;
    seen.set(key, (seen.get(key) ?? 0) + 1);
  }
  let extra = 0;
  for (const n of seen.values()) extra += n - 1;
  return extra;
}
