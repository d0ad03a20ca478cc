import fs from 'node:fs';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { cliSandbox, type CliSandbox } from '@trolley/core/testing';
import { ColesFixtureServer, scrapeLine, writeScrapeFile, type FixtureOptions, type FixtureProduct, type ScrapeLineOptions } from './fixture-server.js';

export const database = process.env.TEST_DATABASE_URL ? 'server' : 'embedded';

interface Teardown {
  teardown(fn: () => unknown): void;
}

export interface Scene {
  readonly cli: CliSandbox;
  readonly server: ColesFixtureServer;
  readonly inbox: string;
  readonly outbox: string;
  readonly source: string;
  /** `scrape barcodes` arguments for the source, the outbox and the fixture, no delay, quick retries. */
  readonly args: (...extra: string[]) => string[];
}

export async function scene(
  t: Teardown,
  products: readonly FixtureProduct[],
  options: { server?: FixtureOptions; lines?: (p: FixtureProduct) => ScrapeLineOptions; name?: string } = {},
): Promise<Scene> {
  const cli = cliSandbox(t, { database });
  const server = await new ColesFixtureServer(products, options.server).start();
  t.teardown(() => server.close());
  const work = path.dirname(cli.home);
  const inbox = path.join(work, 'inbox');
  const outbox = path.join(work, 'outbox');
  fs.mkdirSync(inbox, { recursive: true });
  const source = path.join(inbox, options.name ?? 'coles-0584-2025-09-28.jsonl');
  writeScrapeFile(
    source,
    products.map((p) => scrapeLine(p, options.lines?.(p) ?? {})),
  );
  return {
    cli,
    server,
    inbox,
    outbox,
    source,
    args: (...extra) => ['scrape', 'barcodes', source, '--outbox', outbox, '--delay', '0', '--retry-backoff', '10ms', '--base-url', server.origin, '--log-format', 'json', ...extra],
  };
}

export function readLines(file: string): string[] {
  const bytes = fs.readFileSync(file);
  const text = file.endsWith('.gz') ? gunzipSync(bytes).toString('utf8') : bytes.toString('utf8');
  return text.split('\n').filter((line) => line !== '');
}

/** Re-fetches counted by the server: requests beyond the first, per page. */
export function refetches(server: ColesFixtureServer): number {
  let extra = 0;
  for (const n of server.paths.values()) extra += Math.max(0, n - 1);
  return extra;
}

export { sandboxDatabase } from '@trolley/core/testing';
