/**
 * Settings every database session of trolley starts with (each pooled connection to a server, the
 * embedded database once when it opens), so a statement never has to set them first.
 */

/** Product search: query words must share this much of their trigrams with a run of a product's words. */
export const WORD_SIMILARITY_THRESHOLD = 0.5;

/**
 * Named statements (db/prepared.ts: the reads a server repeats per request) keep one plan for any
 * values. Left to choose, PostgreSQL compared that plan's estimate with one made for the values
 * each time and planned again on every run (2–3 ms for a product's prices at 10 stores, against
 * 0.3–0.7 ms to run it; with the kept plan, 0.05 ms to plan). Only named statements and the
 * trigger functions' statements are cached plans; every other statement is planned for its values.
 */
const GENERIC_PLANS = `set plan_cache_mode = force_generic_plan`;

/**
 * pg_trgm's threshold for the `<%` operator (a placeholder until the extension's library loads,
 * which then takes its value), and the plans of named statements.
 */
export const SESSION_SETTINGS = `set pg_trgm.word_similarity_threshold = ${WORD_SIMILARITY_THRESHOLD}; ${GENERIC_PLANS}`;

/**
 * On a server, also: an import batch stages ~50,000 rows in a temporary table, and the default 8 MB
 * of buffers for temporary tables would send every pass over them to disk. JIT compilation is off:
 * trolley runs thousands of statements that each touch a few thousand rows through indexes (one per
 * store merge, per import batch), and on a 10-million-row table the planner's estimates pass
 * jit_above_cost, so each paid tens to hundreds of milliseconds compiling. A random page read is
 * priced close to a sequential one (1.1, the usual figure for SSDs and cached tables, against the
 * default 4, which models spinning disks): with the default, deleting a merged store's 1,000 rows by
 * id from a 200,000-row price table chose a full scan (51 ms) over 1,000 index lookups (2 ms), and
 * `groups maintain` does that once per merge while the table holds millions of rows.
 */
export const SERVER_SESSION_SETTINGS = `set temp_buffers = '128MB'; set jit = off; set random_page_cost = 1.1; ${SESSION_SETTINGS}`;
