/** The most a read request may ask for at once: enough for a shopper, small enough to answer fast. */
export const MAX_STORES = 100;
export const MAX_BASKET_ITEMS = 200;
export const MAX_SEARCH_PAGE = 100;
export const DEFAULT_SEARCH_PAGE = 20;
export const MAX_QUERY_LENGTH = 200;
