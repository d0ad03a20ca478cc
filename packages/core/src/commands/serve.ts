import { randomBytes } from 'node:crypto';
import { Flags } from '@oclif/core';
import { TrolleyCommand } from '../cli/base-command.js';
import { DatabaseUnavailableError, UsageError } from '../errors.js';
import { pricingStoreResolver } from '../prices/resolved.js';
import { buildServer } from '../export/server.js';
import { storeIdForms } from '../scrape/scraper-lookup.js';

export interface ServeResult {
  url: string;
  auth: boolean;
}

const LOOPBACK = new Set(['127.0.0.1', '::1', 'localhost']);

export default class Serve extends TrolleyCommand<typeof Serve> {
  static override summary = 'Serve the web page, the read API (search, prices, history, substitutes, bargains, basket split) and the export API over HTTP.';
  static override description =
    'The web page is at /, the OpenAPI document at /api/openapi.json. Read routes: GET /api/products?q=, /api/products/{id}, /api/products/{id}/prices?store_ids=, /api/products/{id}/history?store_id=, /api/products/{id}/substitutes?store_ids=, /api/bargains?store_ids=, /api/stores, POST /api/basket/split; --public lets them answer without a key. On the embedded database, other trolley commands keep working while serve runs (it lends them the database over a local socket). Export routes: GET /api/export/products, GET /api/export/prices?store_ids=&scraped_since=, POST /api/products/barcodes, GET /healthz. Pages are keyset-paginated (500 rows, ?limit= up to 5,000) and carry a next link until the end. Every route but /healthz needs the key in TROLLEY_API_KEY, sent as Authorization: Bearer KEY or X-API-Key: KEY; --no-auth is allowed on a loopback address only. Stops on Ctrl-C.';
  static override examples = ['TROLLEY_API_KEY=secret <%= config.bin %> serve', '<%= config.bin %> serve --public --host 0.0.0.0', '<%= config.bin %> serve --no-auth --port 8787'];
  static override flags = {
    port: Flags.integer({ description: 'Port to listen on (0: any free port).', default: 8787, min: 0, max: 65535 }),
    host: Flags.string({ description: 'Address to listen on.', default: '127.0.0.1' }),
    'no-auth': Flags.boolean({ description: 'Serve without an API key (loopback addresses only).' }),
    'search-threads': Flags.integer({ description: 'Worker threads that score search queries on a catalogue of 5,000 products or more (0: score on the main thread; default: 2, or 0 on a machine of one core).', min: 0, max: 16 }),
    public: Flags.boolean({ description: 'Let the read routes (search, prices, history, substitutes, bargains, basket split, stores) and the web page answer without a key; the export routes keep it.' }),
  };

  async run(): Promise<ServeResult> {
    const apiKey = process.env.TROLLEY_API_KEY;
    const host = this.flags.host;
    if (this.flags['no-auth'] && !LOOPBACK.has(host)) throw new UsageError(`--no-auth is allowed on a loopback address only, not ${host}; set TROLLEY_API_KEY instead.`);
    if (!this.flags['no-auth'] && apiKey !== undefined && apiKey.trim() === '') throw new UsageError('TROLLEY_API_KEY is blank, so no client could ever send it; set it to a real key (or use --no-auth on 127.0.0.1).');
    if (!this.flags['no-auth'] && !apiKey && !this.flags.public) throw new UsageError('Set TROLLEY_API_KEY to the key clients must send (or use --no-auth on 127.0.0.1, or --public to open only the read routes).');
    const kernel = await this.kernel();
    // Other trolley commands keep working on the embedded database while this one serves it.
    kernel.database.shareWithOtherProcesses();
    const knex = await kernel.knex();
    const extensions = await kernel.extensions();
    const resolver = await pricingStoreResolver(extensions, kernel.container);
    const storeIdForm = await storeIdForms(extensions, kernel.container);
    // --public without a key: the export routes stay closed behind a key nobody knows.
    const key = this.flags['no-auth'] ? undefined : (apiKey ?? randomBytes(32).toString('hex'));
    const app = await buildServer({ knex, resolver, apiKey: key, publicReads: this.flags.public, logger: kernel.logger, storeIdForm, searchThreads: this.flags['search-threads'] });
    const address = await listenOn(app, this.flags.port, host);
    const url = address;
    kernel.logger.info({ url, auth: !this.flags['no-auth'] }, `serving the export API at ${url}`);
    const access = this.flags['no-auth'] ? 'no key' : this.flags.public ? (apiKey ? 'read routes public, export routes need the API key' : 'read routes public, export routes closed (no TROLLEY_API_KEY)') : 'API key required';
    this.log(`Serving trolley at ${url} (${access}); the web page is at ${url}/ and the API is described at ${url}/api/openapi.json. Ctrl-C stops.`);
    if (this.jsonEnabled()) process.stdout.write(JSON.stringify({ url, auth: !this.flags['no-auth'] }) + '\n');
    await new Promise<void>((resolve) => {
      const stop = () => resolve();
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });
    await app.close();
    return { url, auth: !this.flags['no-auth'] };
  }
}

/** Listens, or says in one sentence why the address cannot be used (a usage error, not a bug). */
async function listenOn(app: Awaited<ReturnType<typeof buildServer>>, port: number, host: string): Promise<string> {
  try {
    return await app.listen({ port, host });
  } catch (error) {
    await app.close().catch(() => undefined);
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE') throw new DatabaseUnavailableError(`Port ${port} on ${host} is in use by another program; stop it or pick another port with --port (0 takes any free one).`, 'port-in-use', error);
    if (code === 'EACCES') throw new UsageError(`Port ${port} needs privileges this user lacks; pick a port above 1023 with --port.`, 'port-denied');
    if (code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND' || code === 'EAI_AGAIN' || code === 'EINVAL') {
      throw new UsageError(`--host ${host} is not an address of this machine (${code}); use 127.0.0.1, ::1, or an address the machine has (0.0.0.0 for all).`, 'bad-host');
    }
    throw error;
  }
}
