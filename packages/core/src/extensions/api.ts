/**
 * The extension points of the trolley kernel. A plugin imports these as types only and answers the
 * `trolley:register` hook with a list of declarations; the kernel creates the extensions on demand.
 *
 * The API is versioned as a whole: every declaration carries the `apiVersion` it was built for, and
 * the kernel refuses a declaration whose major version differs from {@link EXTENSION_API_VERSION}.
 */
import type { DependencyContainer } from 'tsyringe';
import type { Knex } from 'knex';
import type { Logger } from 'pino';
import type { KernelTokens } from '../context/tokens.js';
import type { BarcodeResult } from '../normalise/barcode.js';

/**
 * 1.1.0 added the `PriceCountBreakdown` kind and the optional `barcodes` capability of a
 * {@link Scraper} ({@link BarcodeFetcher}); 1.2.0 the optional `stage` of a {@link Generator} and
 * `changes` of its report, which `trolley pipeline` reads; 1.3.0 the optional `products` and
 * `stores` capabilities of a {@link Scraper} ({@link ProductLister}, {@link StoreLister}) and the
 * `ScrapeQueue` kind that `trolley scrape run` claims stores from; 1.4.0 the optional `session`
 * capability of a {@link Scraper} ({@link BrowserSessionStarter}, `trolley scrape session`) and the
 * optional `companies` of a {@link ScrapeQueue} claim; 1.5.0 the optional `storeId` of a
 * {@link Scraper} (one form of a company's store ids). A plugin built for 1.0.0 is still accepted
 * (only the major version must match).
 */
export const EXTENSION_API_VERSION = '1.5.0';

/** Identifiers are database ids (bigint in SQL, number in JavaScript). */
export type ProductId = number;
export type StoreId = number;

/** A product as the substitution generators see it: names and the normalised keys of docs/normalisation.md. */
export interface CatalogueProduct {
  readonly id: ProductId;
  readonly name: string;
  readonly brand: string | null;
  /** Brand key (docs/normalisation.md): `SWEET VINE` → `sweetvine`. Empty when the product has no brand. */
  readonly brandKey: string;
  /** Name lower-cased with size expressions and punctuation removed (docs/substitutions.md, LVL1). */
  readonly nameKey: string;
  /** Standardised sizes (docs/normalisation.md), sorted, e.g. `['2pk', '500ml']`. */
  readonly sizes: readonly string[];
  /** Leaf categories the product is linked to, one per company at most. */
  readonly categoryIds: readonly number[];
}

/** One unordered product pair. The same record shape is produced by generators and stored. */
export interface SubstitutionPair {
  /** The smaller product id of the pair. */
  readonly a: ProductId;
  /** The larger product id of the pair. */
  readonly b: ProductId;
  readonly level: number;
  /** In [0, 1]. */
  readonly score: number;
}

/** What `subs generate` hands every generator besides the catalogue. */
export interface GenerateOptions {
  /** The embedder chosen by `--embedder`: an Embedder extension id, or `auto`. Generators that embed use it. */
  readonly embedder: string;
}

export interface SubstitutionGenerator {
  readonly id: string;
  /** LVL1 is the strongest; a pair produced at several levels is kept at the lowest number. */
  readonly level: number;
  generate(catalogue: readonly CatalogueProduct[], options: GenerateOptions): Promise<readonly SubstitutionPair[]> | readonly SubstitutionPair[];
}

export type ScraperCapability = 'barcodes' | 'products' | 'stores' | 'session';

export interface Scraper {
  readonly id: string;
  /** Company name, lower case (`coles`). */
  readonly company: string;
  readonly capabilities: readonly ScraperCapability[];
  /**
   * The `barcodes` capability (API 1.1): fetches product pages and reads their barcodes. The
   * kernel's `scrape barcodes` owns everything else (input validation, work list, prefill, the
   * progress file, output and import), so a scraper only fetches and reads pages.
   */
  readonly barcodes?: BarcodeFetcher;
  /**
   * The `products` capability (API 1.3): discovers a store's categories and fetches and cleans their
   * listing pages. The kernel's `scrape products` owns the rest (which categories, the state file
   * that makes a rerun resume, duplicates, the record file, partial marking, exit codes).
   */
  readonly products?: ProductLister;
  /** The `stores` capability (API 1.3): the company's store locations (`scrape stores`). */
  readonly stores?: StoreLister;
  /**
   * The `session` capability (API 1.4): a browser session on a site whose bot defence sets its
   * cookies from JavaScript (`trolley scrape session`). The kernel finds the browser, writes the
   * cookies to a scoped cookie jar file, and the company's later scrapes send them.
   */
  readonly session?: BrowserSessionStarter;
  /**
   * A store id in the form the company's store list and the store registry hold, from any form a
   * user may give (API 1.5): Coles' `COL:584` for `0584`, `584` or `col:584`. Undefined when the
   * text is not a store id of the company. The kernel writes this form into record files and looks
   * stores up by it; without it, ids are taken as given.
   */
  storeId?(given: string): string | undefined;
}

/** One cookie of a browser session, as the browser holds it. */
export interface BrowserCookie {
  readonly name: string;
  readonly value: string;
  /** `www.coles.com.au` for a host-only cookie, `.coles.com.au` for one its subdomains get too. */
  readonly domain: string;
  readonly path: string;
  /** Unix seconds; -1 (or 0) for a session cookie. */
  readonly expires: number;
  readonly httpOnly: boolean;
  readonly secure: boolean;
}

export interface BrowserSessionOptions {
  /** The Chromium (or Chrome) executable; the kernel has checked that it exists. */
  readonly executablePath: string;
  /** Load the site from this origin instead of its own (a mirror or a test server). */
  readonly baseUrl?: string | undefined;
  /** The user agent the browser presents (the one the later scrapes send, so the session matches them). */
  readonly userAgent?: string | undefined;
  /** Give up when the site's check has not passed after this long (ms). */
  readonly timeoutMs: number;
  /** Show the browser window (a person may have to solve a captcha). */
  readonly headed: boolean;
  readonly logger: Logger;
}

export interface BrowserSessionResult {
  /** The address the browser ended on, its check passed. */
  readonly url: string;
  /** Every cookie the browser holds for the site. */
  readonly cookies: readonly BrowserCookie[];
  /** Set when the site's check did not pass within the time: what the page still showed. */
  readonly blocked?: string;
}

export interface BrowserSessionStarter {
  readonly defaultBaseUrl: string;
  start(options: BrowserSessionOptions): Promise<BrowserSessionResult>;
}

/** How a scraper fetches: the same politeness for every capability, set by the kernel's flags. */
export interface FetchPoliteness {
  /** Least pause between a response and the next request (ms); 0 = none. */
  readonly delayMs: number;
  /** A random extra pause of up to this many ms is added to each delay (0 = none). */
  readonly jitterMs: number;
  /** Retries of a request after a network error, a timeout, a 5xx or a 429. */
  readonly maxRetries: number;
  /** First retry waits this long (ms), doubling each time, unless the server sent Retry-After. */
  readonly retryBackoffMs: number;
  /** A single request gives up after this long (ms). */
  readonly requestTimeoutMs: number;
  readonly userAgent: string;
  /**
   * The `Cookie` header value of a browser session for a request to `url`, or undefined when none
   * applies: the kernel's cookie jar matches domain, path, `Secure` and expiry. Ask for every request.
   */
  readonly cookiesFor?: ((url: string) => string | undefined) | undefined;
  /** Fetch from this origin instead of the site's (a mirror or a test server). */
  readonly baseUrl?: string | undefined;
  /** A scratch directory the scraper may use for its own state; the caller removes it. */
  readonly storageDir: string;
  readonly logger: Logger;
}

/** One category of a store's listing: `key` is what the site's listing request takes. */
export interface ListingCategory {
  readonly key: string;
  /** Display name, for messages. */
  readonly name: string;
}

/**
 * A product as a scraper cleans it from a listing: the fields of a scrape record that come from the
 * site. The kernel adds the derived ones (sizes, product key, unit price per kg/l/each, the checked
 * barcode) with its own normalisation, so every chain's records agree.
 */
export interface ListedProduct {
  readonly sku: string | number;
  readonly name: string;
  readonly brand: string | null;
  /** As the site gives it; the kernel keeps only a code that passes the GS1 check. */
  readonly barcode: string | null;
  readonly size: string | null;
  /** Absolute page address, or null. */
  readonly url: string | null;
  readonly image_url: string | null;
  /** Root first. */
  readonly category_path: readonly string[];
  /** Dollars. */
  readonly price_current: number | null;
  /** Dollars; null when there is none. */
  readonly price_was: number | null;
  readonly is_on_special: boolean;
  /** The site's unit price text (`$1.68 per 100 g`), which the kernel converts per kg, l or each. */
  readonly per_unit_price_string: string | null;
  /** A unit price value in dollars per `per_unit_price_measure` (`100g`), when the site gives them apart. */
  readonly per_unit_price_value: number | null;
  readonly per_unit_price_measure: string | null;
  readonly is_available: boolean | null;
  /** Retailer extras kept in the record as they are. */
  readonly extras?: Readonly<Record<string, unknown>>;
}

/**
 * What became of one category. `done`: paged to its end. `failed`: a page could not be had after
 * the retries, or its body could not be read; `products` holds what its earlier pages gave.
 */
export type CategoryOutcome =
  | { readonly status: 'done'; readonly category: ListingCategory; readonly products: readonly ListedProduct[]; readonly pages: number }
  | { readonly status: 'failed'; readonly category: ListingCategory; readonly products: readonly ListedProduct[]; readonly pages: number; readonly reason: string };

export interface ProductListOptions extends FetchPoliteness {
  /** The company's own store id (`G147`, `1044`). */
  readonly storeId: string;
  /**
   * Given the categories the site lists, returns the ones to fetch, in order (the kernel leaves out
   * those an earlier run finished and those not asked for).
   */
  readonly selectCategories: (discovered: readonly ListingCategory[]) => readonly ListingCategory[] | Promise<readonly ListingCategory[]>;
  /** Called once per finished category, in order; awaited, so the kernel makes it durable first. */
  readonly onCategory: (outcome: CategoryOutcome) => void | Promise<void>;
}

export interface ScrapeSummary {
  /** Set when the site blocked the session: the scraper stopped, nothing after it was fetched. */
  readonly blocked?: { readonly url: string; readonly reason: string };
  /** Set when the scraper could not start at all (the category list could not be had or read). */
  readonly failed?: { readonly url: string; readonly reason: string };
  /** The crawler's own statistics (requests finished and failed, retries, durations). */
  readonly statistics: Readonly<Record<string, unknown>>;
}

export interface ProductListSummary extends ScrapeSummary {
  /** Every category the site listed for the store (empty when discovery failed). */
  readonly discovered: readonly ListingCategory[];
}

export interface ProductLister {
  /** The site's origin (`https://api.aldi.com.au`). */
  readonly defaultBaseUrl: string;
  list(options: ProductListOptions): Promise<ProductListSummary>;
}

/** One store location as a scraper reads it from the site's store locator. */
export interface ListedStore {
  readonly store_id: string;
  readonly name: string;
  readonly suburb: string | null;
  readonly state: string | null;
  readonly postcode: string | null;
  readonly latitude: number | null;
  readonly longitude: number | null;
}

export interface StoreListOptions extends FetchPoliteness {
  /** Degrees between the points a locator is asked at, where it is asked over a grid (the scraper's default otherwise). */
  readonly gridStep?: number | undefined;
  /** Called with each page of stores as it arrives (duplicates across pages are the kernel's to drop). */
  readonly onStores: (stores: readonly ListedStore[]) => void | Promise<void>;
}

export interface StoreLister {
  readonly defaultBaseUrl: string;
  list(options: StoreListOptions): Promise<ScrapeSummary>;
}

/** One product page to fetch: `key` is the record's SKU, `url` the absolute page address. */
export interface BarcodeWorkItem {
  readonly key: string;
  readonly url: string;
}

/**
 * What became of one work item. `found`: a barcode that passed the kernel's GS1 check. `none`: the
 * page was read and has no (valid) barcode — `rejected` holds a code whose check digit was wrong.
 * `failed`: the page could not be had (network, 5xx, timeouts) after the retries; the kernel keeps
 * it out of the progress file so the next run tries again.
 */
export type BarcodeOutcome =
  | { readonly status: 'found'; readonly key: string; readonly url: string; readonly barcode: string; readonly via: string }
  | { readonly status: 'none'; readonly key: string; readonly url: string; readonly reason: string; readonly rejected?: string }
  | { readonly status: 'failed'; readonly key: string; readonly url: string; readonly reason: string };

export interface BarcodeFetchOptions {
  /** Minimum pause between requests (ms); 0 = none. */
  readonly delayMs: number;
  /** Requests in flight at once. */
  readonly concurrency: number;
  /** Retries of a page after a network error, a timeout, a 5xx or a 429. */
  readonly maxRetries: number;
  /** First retry waits this long (ms), doubling each time, unless the server sent Retry-After. */
  readonly retryBackoffMs: number;
  /** A single request gives up after this long (ms). */
  readonly requestTimeoutMs: number;
  readonly userAgent: string;
  /**
   * The user's cookies for a request to `url` (a `Cookie` header value), or undefined when none
   * applies: the kernel's cookie jar matches domain, path, `Secure` and expiry. Ask for every request.
   */
  readonly cookiesFor?: ((url: string) => string | undefined) | undefined;
  /** Aborted by the kernel to stop the fetch (e.g. every page so far failed the same way): start no new request, resolve. */
  readonly signal?: AbortSignal | undefined;
  /** A scratch directory the fetcher may use for its own state (request queue); the caller removes it. */
  readonly storageDir: string;
  readonly logger: Logger;
  /** The kernel's GS1 check (docs/normalisation.md): a scraper never stores a barcode this rejects. */
  readonly checkBarcode: (raw: unknown) => BarcodeResult;
  /**
   * Called once per finished item, in completion order. Awaited: the kernel makes the record durable
   * before the fetcher moves on, so a killed run never loses a finished page.
   */
  readonly onOutcome: (outcome: BarcodeOutcome) => void | Promise<void>;
}

export interface BarcodeFetchSummary {
  /** Set when the site blocked the session: the fetcher stopped, the unfinished items were not reported. */
  readonly blocked?: { readonly url: string; readonly reason: string };
  /** The crawler's own statistics (requests finished and failed, retries, durations). */
  readonly statistics: Readonly<Record<string, unknown>>;
}

export interface BarcodeFetcher {
  /** Where relative record URLs point (`https://www.coles.com.au`). */
  readonly defaultBaseUrl: string;
  fetch(items: readonly BarcodeWorkItem[], options: BarcodeFetchOptions): Promise<BarcodeFetchSummary>;
}

/** A store a worker claimed from the {@link ScrapeQueue}: no other worker gets it until `until`. */
export interface ScrapeClaim {
  /** The store's database id. */
  readonly id: StoreId;
  readonly company: string;
  /** The chain's own code of the store (`G147`, `COL:401`). */
  readonly code: string;
  readonly name: string | null;
  readonly state: string | null;
  /** Why this store came first (`flagged`, `never-scraped`, `oldest`). */
  readonly reason: string;
  /** ISO time the claim expires if the worker neither completes nor releases it (a killed worker). */
  readonly until: string;
}

/**
 * The stores to scrape next, shared by workers on several machines through the database, with no
 * coordinator: a claim is one atomic statement, a store is claimed by one worker at a time, and a
 * claim nobody completes expires after `claimMs` (API 1.3).
 */
export interface ScrapeQueue {
  readonly id: string;
  /** The next store for `worker`, or undefined when none is free. */
  claim(options: {
    readonly worker: string;
    readonly company?: string | undefined;
    /** Without `company`: only stores of these companies (those with an installed scraper; API 1.4). */
    readonly companies?: readonly string[] | undefined;
    readonly now: Date;
    readonly claimMs: number;
  }): Promise<ScrapeClaim | undefined>;
  /** The store was scraped: it stays out of the queue for a full claim period from `now`. */
  complete(claim: ScrapeClaim, worker: string, now: Date): Promise<void>;
  /** The worker gives the store back unscraped (it is stopping): any worker may claim it at once. */
  release(claim: ScrapeClaim, worker: string): Promise<void>;
}

/** The stores a retention run looks at: members of one group and the anchor they resolve to. */
export interface RetentionScope {
  readonly anchorStoreId: StoreId;
  readonly memberStoreIds: readonly StoreId[];
}

export interface RetentionPolicy {
  readonly id: string;
  readonly summary: string;
  /**
   * A query selecting the ids of the member price rows that may be deleted because reads resolve
   * them through the anchor (set-based: the caller deletes `WHERE id IN (this query)`).
   */
  deletableRows(knex: Knex, scope: RetentionScope): Knex.QueryBuilder;
  /**
   * True when the policy promises that what a member reads stays exactly what it scraped (only
   * rows identical to the anchor's may go, and the anchor's products the member does not list are
   * marked excluded). Missing or false: a lossy policy, whose members read the anchor's range.
   */
  readonly exact?: boolean;
}

export interface GeneratorReport {
  /** One line for people: what the run did. */
  readonly summary: string;
  /** Figures for the pipeline's summary and `--json` (`groups`, `lvl1`, `bargains`, ...). */
  readonly counts: Readonly<Record<string, number>>;
  /**
   * Rows the run inserted, updated or deleted (API 1.2). 0 means the database is as it was, which
   * is how `trolley pipeline` knows a second run over the same inbox changed nothing; undefined
   * means the generator cannot tell.
   */
  readonly changes?: number;
}

/** Where `trolley pipeline` runs a generator that names no {@link Generator.stage}. */
export const DEFAULT_GENERATOR_STAGE = 500;

/**
 * A job over the imported data that `trolley pipeline` runs after the import, in the order of
 * `stage` (lower first; ties by id). The bundled ones: store groups 100, substitutions 200,
 * bargains 300 — bargains read prices through the groups, so they come after.
 */
export interface Generator {
  readonly id: string;
  readonly summary: string;
  /** Pipeline order (API 1.2); {@link DEFAULT_GENERATOR_STAGE} when absent. */
  readonly stage?: number;
  run(options: { dryRun: boolean }): Promise<GeneratorReport>;
}

/** Maps a store to the store whose prices it reads (identity unless stores are grouped). */
export interface PricingStoreResolver {
  readonly id: string;
  /** Higher wins when several resolvers are installed (the identity resolver has priority 0). */
  readonly priority: number;
  pricingStoreOf(storeIds: readonly StoreId[]): Promise<ReadonlyMap<StoreId, StoreId>>;
}

/** One line of a `prices count --by X` breakdown. */
export interface PriceCountLine {
  readonly label: string;
  readonly company: string;
  /** Stores the line covers. */
  readonly stores: number;
  /** Stored price rows of those stores. */
  readonly rows: number;
  /** Further figures the provider wants to show (`anchorRows`, `memberRows`, ...). */
  readonly details?: Readonly<Record<string, number | string>>;
}

/**
 * A breakdown of `trolley prices count --by ID` that a plugin provides (the grouping plugin adds
 * `--by group`). The core's own breakdowns, `company` and `store`, cannot be replaced.
 */
export interface PriceCountBreakdown {
  /** The value of `--by`. */
  readonly id: string;
  readonly summary: string;
  /** Column headers for the human table: label, stores, rows, then one per detail key, in order. */
  readonly detailColumns?: readonly string[];
  count(knex: Knex): Promise<readonly PriceCountLine[]>;
}

export interface Embedder {
  readonly id: string;
  readonly modelId: string;
  readonly dimensions: number;
  /** Cosine similarity above which two texts are taken to mean the same thing. */
  readonly threshold: number;
  embed(texts: readonly string[]): Promise<Float32Array[]>;
}

export interface Migration {
  /** Unique within its set, sortable: `0001_groups`. */
  readonly name: string;
  up(knex: Knex): Promise<void>;
  down(knex: Knex): Promise<void>;
}

/** The database migrations a plugin ships; the kernel runs the core's first, then each plugin's. */
export interface MigrationSet {
  readonly migrations: readonly Migration[];
}

/** Every kind of extension and the object its factory creates. */
export interface ExtensionKinds {
  SubstitutionGenerator: SubstitutionGenerator;
  Scraper: Scraper;
  RetentionPolicy: RetentionPolicy;
  Generator: Generator;
  PricingStoreResolver: PricingStoreResolver;
  Embedder: Embedder;
  Migrations: MigrationSet;
  PriceCountBreakdown: PriceCountBreakdown;
  ScrapeQueue: ScrapeQueue;
}

export type ExtensionKind = keyof ExtensionKinds;

export const EXTENSION_KINDS: readonly ExtensionKind[] = [
  'SubstitutionGenerator',
  'Scraper',
  'RetentionPolicy',
  'Generator',
  'PricingStoreResolver',
  'Embedder',
  'Migrations',
  'PriceCountBreakdown',
  'ScrapeQueue',
];

/** What a plugin's `trolley:register` hook returns, one per extension. */
export type ExtensionDeclaration<K extends ExtensionKind = ExtensionKind> = {
  [P in K]: {
    readonly kind: P;
    readonly id: string;
    readonly apiVersion: string;
    readonly summary?: string;
    /** Called when the extension is first needed, with the invocation's container. */
    create(container: DependencyContainer): ExtensionKinds[P] | Promise<ExtensionKinds[P]>;
  };
}[K];

/** What the kernel hands every `trolley:register` hook. */
export interface RegisterHookOptions {
  readonly kernel: {
    readonly apiVersion: string;
    readonly tokens: KernelTokens;
  };
}

/**
 * The type of a plugin's `trolley:register` hook. Declare it in the plugin's package.json:
 * `"oclif": { "hooks": { "trolley:register": "./dist/src/hooks/register.js" } }`.
 */
export type RegisterHook = (options: RegisterHookOptions) => Promise<readonly ExtensionDeclaration[]> | readonly ExtensionDeclaration[];
