/**
 * Stores of the registry, optionally near a postcode: the great-circle (haversine) distance from the
 * postcode's coordinates to each store's, computed in SQL, nearest first. The library function
 * behind `trolley stores list` and the HTTP route of the same question.
 */
import type { Knex } from 'knex';
import { InputError } from '../errors.js';

export const EARTH_RADIUS_KM = 6371.0088;

export interface RegistryStore {
  /** The store's database id. */
  readonly id: number;
  readonly company: string;
  /** The company's own store id (G467). */
  readonly code: string;
  readonly name: string | null;
  readonly suburb: string | null;
  readonly state: string | null;
  readonly postcode: string | null;
  readonly latitude: number | null;
  readonly longitude: number | null;
  readonly lastScrapedDate: string | null;
  /** Kilometres from the postcode, 3 decimals (only with `near`). */
  readonly distanceKm?: number;
}

export interface StoresNearQuery {
  /** A four-digit Australian postcode (needs `postcodes import` first). */
  readonly postcode: string;
  /** Kilometres; stores farther away are left out. */
  readonly radiusKm: number;
  readonly company?: string | undefined;
  /** At most this many stores (nearest first). */
  readonly limit?: number | undefined;
}

export interface StoresNear {
  readonly postcode: { readonly postcode: string; readonly state: string; readonly latitude: number; readonly longitude: number };
  readonly radiusKm: number;
  readonly stores: RegistryStore[];
}

const COLUMNS = `s.id, c.name as company, s.store_id, s.name, s.suburb, upper(s.state) as state, s.postcode, s.latitude, s.longitude,
  to_char(s.last_scraped_date, 'YYYY-MM-DD') as last_scraped_date`;

type Row = { id: string | number; company: string; store_id: string; name: string | null; suburb: string | null; state: string | null; postcode: string | null; latitude: number | null; longitude: number | null; last_scraped_date: string | null; distance_km?: number | string };

function storeOf(r: Row): RegistryStore {
  return {
    id: Number(r.id),
    company: r.company,
    code: r.store_id,
    name: r.name,
    suburb: r.suburb,
    state: r.state,
    postcode: r.postcode,
    latitude: r.latitude === null ? null : Number(r.latitude),
    longitude: r.longitude === null ? null : Number(r.longitude),
    lastScrapedDate: r.last_scraped_date,
    ...(r.distance_km !== undefined ? { distanceKm: Math.round(Number(r.distance_km) * 1000) / 1000 } : {}),
  };
}

/** Stores within `radiusKm` of the postcode, nearest first (ties by company and store id). */
export async function storesNear(knex: Knex, query: StoresNearQuery): Promise<StoresNear> {
  if (!/^\d{4}$/.test(query.postcode)) throw new InputError(`${JSON.stringify(query.postcode)} is not an Australian postcode; give four digits, like 2000.`, 'bad-postcode');
  if (!(query.radiusKm > 0)) throw new InputError(`A radius of ${query.radiusKm} km finds nothing; give a positive distance, like 10km.`, 'bad-radius');
  const found = await knex.raw<{ rows: Array<{ postcode: string; state: string; latitude: number; longitude: number }> }>(`select postcode, state, latitude, longitude from postcodes where postcode = ?`, [query.postcode]);
  const origin = found.rows[0];
  if (!origin) {
    const any = await knex.raw<{ rows: unknown[] }>(`select 1 from postcodes limit 1`);
    throw new InputError(
      any.rows.length === 0
        ? `No postcodes are loaded, so postcode ${query.postcode} has no location; run trolley postcodes import first.`
        : `Postcode ${query.postcode} is not in the postcode list; check it, or import a list that has it (trolley postcodes import FILE).`,
      'unknown-postcode',
    );
  }
  const rows = await knex.raw<{ rows: Row[] }>(
    `select * from (
       select ${COLUMNS},
              2 * ?::double precision * asin(least(1, sqrt(power(sin(radians(s.latitude - ?::double precision) / 2), 2)
                             + cos(radians(?::double precision)) * cos(radians(s.latitude)) * power(sin(radians(s.longitude - ?::double precision) / 2), 2)))) as distance_km
       from stores s join companies c on c.id = s.company_id
       where s.latitude is not null and (?::text is null or c.name = lower(?::text))
     ) near
     where distance_km <= ?::double precision
     order by distance_km, company, store_id
     limit ?::int`,
    [EARTH_RADIUS_KM, origin.latitude, origin.latitude, origin.longitude, query.company ?? null, query.company ?? null, query.radiusKm, query.limit ?? 1000],
  );
  return { postcode: { ...origin, latitude: Number(origin.latitude), longitude: Number(origin.longitude) }, radiusKm: query.radiusKm, stores: rows.rows.map(storeOf) };
}

export interface StoreListQuery {
  readonly company?: string | undefined;
  /** A part of the store's name, suburb, code, state or postcode (any case). */
  readonly q?: string | undefined;
  readonly limit?: number | undefined;
  /** Keyset paging: only stores with a larger database id. */
  readonly afterId?: number | undefined;
}

/** The stores of the registry (of one company, matching `q`), by database id. */
export async function listStores(knex: Knex, query: StoreListQuery = {}): Promise<RegistryStore[]> {
  const like = query.q === undefined || query.q.trim() === '' ? null : `%${query.q.trim().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  const rows = await knex.raw<{ rows: Row[] }>(
    `select ${COLUMNS} from stores s join companies c on c.id = s.company_id
     where s.id > ? and (?::text is null or c.name = lower(?::text))
       and (?::text is null or s.name ilike ? or s.suburb ilike ? or s.store_id ilike ? or s.state ilike ? or s.postcode ilike ?)
     order by s.id
     limit ?`,
    [query.afterId ?? 0, query.company ?? null, query.company ?? null, like, like, like, like, like, like, query.limit ?? 100_000],
  );
  return rows.rows.map(storeOf);
}

/** `10km`, `2.5 km`, `800m`, `10` (km) → kilometres. */
export function parseRadius(text: string): number | undefined {
  const match = /^\s*(\d+(?:\.\d+)?)\s*(km|m)?\s*$/i.exec(text);
  if (!match) return undefined;
  const value = Number(match[1]);
  return match[2]?.toLowerCase() === 'm' ? value / 1000 : value;
}
