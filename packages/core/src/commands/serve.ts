import { Flags } from '@oclif/core';
import { TrolleyCommand } from '../cli/base-command.js';
import { UsageError } from '../errors.js';
import { pricingStoreResolver } from '../prices/resolved.js';
import { buildServer } from '../export/server.js';

export interface ServeResult {
  url: string;
  auth: boolean;
}

const LOOPBACK = new Set(['127.0.0.1', '::1', 'localhost']);

export default class Serve extends TrolleyCommand<typeof Serve> {
  static override summary = 'Serve the read-only export API (products, prices, barcode lookup) over HTTP.';
  static override description =
    'Routes: GET /api/export/products, GET /api/export/prices?store_ids=&scraped_since=, POST /api/products/barcodes, GET /healthz. Pages are keyset-paginated (500 rows, ?limit= up to 5,000) and carry a next link until the end. Every route but /healthz needs the key in TROLLEY_API_KEY, sent as Authorization: Bearer KEY or X-API-Key: KEY; --no-auth is allowed on a loopback address only. Stops on Ctrl-C.';
  static override examples = ['TROLLEY_API_KEY=secret <%= config.bin %> serve', '<%= config.bin %> serve --no-auth --port 8787'];
  static override flags = {
    port: Flags.integer({ description: 'Port to listen on (0: any free port).', default: 8787, min: 0, max: 65535 }),
    host: Flags.string({ description: 'Address to listen on.', default: '127.0.0.1' }),
    'no-auth': Flags.boolean({ description: 'Serve without an API key (loopback addresses only).' }),
  };

  async run(): Promise<ServeResult> {
    const apiKey = process.env.TROLLEY_API_KEY;
    const host = this.flags.host;
    if (this.flags['no-auth'] && !LOOPBACK.has(host)) throw new UsageError(`--no-auth is allowed on a loopback address only, not ${host}; set TROLLEY_API_KEY instead.`);
    if (!this.flags['no-auth'] && apiKey !== undefined && apiKey.trim() === '') throw new UsageError('TROLLEY_API_KEY is blank, so no client could ever send it; set it to a real key (or use --no-auth on 127.0.0.1).');
    if (!this.flags['no-auth'] && !apiKey) throw new UsageError('Set TROLLEY_API_KEY to the key clients must send (or use --no-auth on 127.0.0.1).');
    const kernel = await this.kernel();
    const knex = await kernel.knex();
    const resolver = await pricingStoreResolver(await kernel.extensions(), kernel.container);
    const app = await buildServer({ knex, resolver, apiKey: this.flags['no-auth'] ? undefined : apiKey, logger: kernel.logger });
    const address = await app.listen({ port: this.flags.port, host });
    const url = address;
    kernel.logger.info({ url, auth: !this.flags['no-auth'] }, `serving the export API at ${url}`);
    this.log(`Serving the export API at ${url} (${this.flags['no-auth'] ? 'no key' : 'API key required'}); Ctrl-C stops.`);
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
