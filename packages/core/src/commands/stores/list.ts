import { Flags } from '@oclif/core';
import { TrolleyCommand } from '../../cli/base-command.js';

import { UsageError } from '../../errors.js';
import { listStores, parseRadius, storesNear, type RegistryStore, type StoresNear } from '../../stores/stores-near.js';

export type StoresListResult = { stores: RegistryStore[] } & Partial<Omit<StoresNear, 'stores'>>;

export default class StoresList extends TrolleyCommand<typeof StoresList> {
  static override summary = 'List the stores of the registry, or those near a postcode, nearest first.';
  static override description = `With --near, the distance is the great-circle distance between the postcode's centre (postcodes import) and each store's coordinates (stores import, scrape stores); stores without coordinates are left out.`;
  static override examples = ['<%= config.bin %> stores list --company aldi', '<%= config.bin %> stores list --near 2000 --radius 5km', '<%= config.bin %> stores list --near 3000 --radius 10km --company coles --json'];
  static override flags = {
    company: Flags.string({ description: 'Only stores of this company (case-insensitive).' }),
    near: Flags.string({ description: 'A postcode: stores within --radius of it, nearest first.' }),
    radius: Flags.string({ description: 'With --near: how far (10km, 2.5km, 800m).', default: '10km' }),
    limit: Flags.integer({ description: 'At most this many stores.', min: 1, max: 100_000 }),
  };

  async run(): Promise<StoresListResult> {
    const flags = this.flags;
    const radiusKm = parseRadius(flags.radius);
    if (radiusKm === undefined) throw new UsageError(`--radius ${flags.radius} is not a distance; write it like 10km or 800m.`);
    const kernel = await this.kernel();
    const knex = await kernel.knex();
    const result: StoresListResult = flags.near === undefined ? { stores: await listStores(knex, { company: flags.company, limit: flags.limit }) } : await storesNear(knex, { postcode: flags.near.trim(), radiusKm, company: flags.company, limit: flags.limit });
    const near = flags.near !== undefined;
    if (result.stores.length > 0) {
      await this.logTable(
        [...(near ? ['KM'] : []), 'COMPANY', 'STORE', 'NAME', 'SUBURB', 'STATE', 'POSTCODE', 'LAST SCRAPED'],
        result.stores.map((s) => [...(near ? [s.distanceKm!.toFixed(2)] : []), s.company, s.code, s.name ?? '', s.suburb ?? '', s.state ?? '', s.postcode ?? '', s.lastScrapedDate ?? 'never']),
      );
    }
    this.log(near ? `${result.stores.length.toLocaleString('en-AU')} store(s) within ${radiusKm} km of postcode ${flags.near}.` : `${result.stores.length.toLocaleString('en-AU')} store(s).`);
    return result;
  }
}
