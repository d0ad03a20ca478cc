/** What a chain's store locator needs besides the crawl: the grid it is asked over, and its stores cleaned. */
import type { ListedStore } from '@trolley/core';
import { num, text } from './json-body.js';

/**
 * A store as a locator's body gives it, cleaned the one way every chain's is: text trimmed (blank
 * is absent), the state upper-case, coordinates as numbers.
 */
export function listedStore(storeId: string, fields: { name: unknown; suburb: unknown; state: unknown; postcode: unknown; latitude: unknown; longitude: unknown }): ListedStore {
  return {
    store_id: storeId,
    name: text(fields.name) ?? '',
    suburb: text(fields.suburb),
    state: text(fields.state)?.toUpperCase() ?? null,
    postcode: text(fields.postcode),
    latitude: num(fields.latitude),
    longitude: num(fields.longitude),
  };
}

/** Points every `step` degrees over a box (a store locator answers for the stores near a point). */
export function grid(box: { south: number; north: number; west: number; east: number }, step: number): Array<{ latitude: number; longitude: number }> {
  const points: Array<{ latitude: number; longitude: number }> = [];
  for (let latitude = box.south; latitude <= box.north + 1e-9; latitude += step) {
    for (let longitude = box.west; longitude <= box.east + 1e-9; longitude += step) points.push({ latitude: round(latitude), longitude: round(longitude) });
  }
  return points;
}

/** Australia, the box the chains' store locators are asked over. */
export const AUSTRALIA = { south: -44, north: -10, west: 112, east: 154 };

function round(n: number): number {
  return Math.round(n * 1e4) / 1e4;
}
