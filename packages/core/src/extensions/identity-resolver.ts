import type { PricingStoreResolver } from './api.js';

/** The default {@link PricingStoreResolver}: each store is its own pricing store. */
export const identityResolver: PricingStoreResolver = {
  id: 'identity',
  priority: 0,
  async pricingStoreOf(storeIds) {
    return new Map(storeIds.map((id) => [id, id]));
  },
};
