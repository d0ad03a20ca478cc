/**
 * A stand-in for www.coles.com.au on a free loopback port. Product pages are built from the real
 * product data response kept in core's test/fixtures/real/coles/ (same nesting: `__NEXT_DATA__` →
 * `props.pageProps.product.gtin`, the `_next/data` route → `pageProps.product.gtin`), in the
 * variants the scraper must handle, and every request is logged so tests measure from the server's
 * side: hits per page, arrival times, requests in flight, headers.
 */
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { gunzipSync, gzipSync } from 'node:zlib';
import { realFixture } from '@trolley/core/testing';

export const ROOT = fileURLToPath(new URL('../../../../', import.meta.url));
export const BUILD_ID = 'fixture-build';

export type Variant =
  | 'next-data' // __NEXT_DATA__ with product.gtin, as the real page
  | 'json-ld' // JSON-LD Product gtin13; __NEXT_DATA__ without gtin
  | 'data-route' // the record URL is the _next/data JSON route
  | 'no-barcode' // product page without any gtin
  | 'bad-check' // gtin with a wrong check digit
  | 'not-found' // 404
  | 'server-error' // always 500
  | 'flaky' // 500 for the first `flakyFailures` hits, then the page
  | 'rate-limited' // 429 with Retry-After on the first hit, then the page
  | 'slow' // the page after `slowMs`
  | 'no-next-data'; // a 200 HTML page that is not a product page (a block)

export interface FixtureProduct {
  readonly sku: string;
  readonly name: string;
  readonly brand: string;
  readonly size: string;
  readonly slug: string;
  /** The barcode the page shows (for bad-check: the wrong one). */
  readonly gtin: string | null;
  readonly variant: Variant;
}

export interface Hit {
  readonly path: string;
  readonly arrivedAt: number;
  finishedAt?: number;
  status: number;
  readonly userAgent: string | undefined;
  readonly cookie: string | undefined;
  /** The requests still unanswered when this one arrived. */
  readonly overlapping: readonly Hit[];
  /** The client closed the connection before the response was sent (it gave up, say on a timeout). */
  abandoned?: boolean;
}

export interface FixtureOptions {
  /** Requests after this many get an Imperva challenge instead of the page. */
  blockAfter?: number | undefined;
  /** HTTP status of the challenge page (Imperva sends 200 or 403). */
  blockStatus?: number;
  /** A request carrying this cookie (name=value) is never blocked: "a browser session". */
  passCookie?: string | undefined;
  flakyFailures?: number;
  retryAfterSeconds?: number;
  slowMs?: number;
  /** Called on every request as it arrives (tests kill the scraper from here). */
  onRequest?: (hit: Hit, count: number) => void;
  /** The client's request timeout, when the test knows it (see maxInFlight). */
  clientTimeoutMs?: number | undefined;
}

/** A GTIN-13 with a correct GS1 check digit, derived from the SKU. */
export function gtinFor(sku: string): string {
  const body = `93${sku.padStart(10, '0')}`.slice(-12);
  return body + checkDigit(body);
}

export function checkDigit(body: string): string {
  let sum = 0;
  for (let i = body.length - 1, weight = 3; i >= 0; i--, weight = 4 - weight) sum += Number(body[i]) * weight;
  return String((10 - (sum % 10)) % 10);
}

export function wrongCheckDigit(gtin: string): string {
  return gtin.slice(0, -1) + String((Number(gtin.at(-1)) + 1) % 10);
}

export function fixtureProduct(sku: string, variant: Variant = 'next-data'): FixtureProduct {
  const name = `Fixture Product ${sku}`;
  const slug = `fixture-brand-fixture-product-${sku}-500g-${sku}`;
  const good = gtinFor(sku);
  const gtin = variant === 'no-barcode' || variant === 'not-found' || variant === 'no-next-data' ? null : variant === 'bad-check' ? wrongCheckDigit(good) : good;
  return { sku, name, brand: 'Fixture Brand', size: '500g', slug, gtin, variant };
}

/** The page address as a Coles scrape file holds it (data-route products hold the JSON route). */
export function recordUrl(product: FixtureProduct, origin = 'https://www.coles.com.au'): string {
  return product.variant === 'data-route' ? `${origin}/_next/data/${BUILD_ID}/en/product/${product.slug}.json` : `${origin}/product/${product.slug}`;
}

/** A string as Python's json.dumps writes it, so lines look like the real scraper's. */
function py(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(py).join(', ')}]`;
  if (typeof value === 'string') return JSON.stringify(value).replace(/[\u0080-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  return JSON.stringify(value);
}

function pyObject(entries: Record<string, unknown>): string {
  return `{${Object.entries(entries)
    .map(([k, v]) => `"${k}": ${typeof v === 'object' && v !== null && !Array.isArray(v) ? pyObject(v as Record<string, unknown>) : py(v)}`)
    .join(', ')}}`;
}

export interface ScrapeLineOptions {
  readonly barcode?: string | null;
  readonly url?: string | null;
  readonly date?: string;
}

/** One line of a Coles scrape file (docs/input-format.md) for a fixture product. */
export function scrapeLine(product: FixtureProduct, options: ScrapeLineOptions = {}): string {
  return pyObject({
    product: {
      sku: Number(product.sku),
      name: product.name,
      brand: product.brand,
      barcode: options.barcode ?? null,
      size: product.size,
      url: options.url === undefined ? recordUrl(product) : options.url,
      category_path: ['Pantry', 'Tea & Coffee'],
      price_current: 3.5,
      price_was: 4.2,
      is_on_special: true,
      per_unit_price_string: '$0.70 per 100g',
      is_available: true,
    },
    metadata: { company: 'Coles', store_id: '0584', store_name: 'Coles Fixture Town', state: 'NSW', scraped_date: options.date ?? '2025-09-28' },
  });
}

export function writeScrapeFile(file: string, lines: readonly string[]): void {
  const text = `${lines.join('\n')}\n`;
  fs.writeFileSync(file, file.endsWith('.gz') ? gzipSync(text) : text);
}

/** The body of a real Coles product data response (product 3984766, gtin 9310631635078). */
export function realProductBody(): string {
  return gunzipSync(fs.readFileSync(realFixture('coles/product-3984766-next-data.json.gz'))).toString('utf8');
}

let realData: { pageProps: Record<string, unknown> } | undefined;

/** The real `_next/data` response body, with the product's id, names and gtin replaced. */
export function dataRouteBody(product: FixtureProduct, withGtin: boolean): Record<string, unknown> {
  realData ??= JSON.parse(realProductBody()) as { pageProps: Record<string, unknown> };
  const data = structuredClone(realData);
  const real = data.pageProps.product as Record<string, unknown>;
  Object.assign(real, { id: Number(product.sku), name: product.name, brand: product.brand, size: product.size });
  if (withGtin && product.gtin !== null) real.gtin = product.gtin;
  else delete real.gtin;
  return data;
}

export function productHtml(product: FixtureProduct): string {
  const data = dataRouteBody(product, product.variant !== 'json-ld');
  const nextData = { props: { pageProps: data.pageProps, __N_SSP: true }, page: '/product/[slug]', query: { slug: product.slug }, buildId: BUILD_ID, isFallback: false, gssp: true, scriptLoader: [] };
  const jsonLd =
    product.variant === 'json-ld'
      ? `<script type="application/ld+json">${JSON.stringify({ '@context': 'https://schema.org', '@type': 'Product', name: product.name, sku: product.sku, brand: { '@type': 'Brand', name: product.brand }, gtin13: product.gtin })}</script>`
      : '';
  return `<!DOCTYPE html><html lang="en"><head><meta charSet="utf-8"/><title>${product.name} | Coles</title>${jsonLd}<script src="/_Incapsula_Resource?SWJIYLWA=719d34d31c8e3a6e6fffd425f7e032f3&amp;ns=1&amp;cb=1" async></script></head><body><div id="__next"><h1>${product.name}</h1></div><script id="__NEXT_DATA__" type="application/json">${JSON.stringify(nextData).replace(/</g, '\\u003c')}</script></body></html>`;
}

export const IMPERVA_CHALLENGE = `<html style="height:100%"><head><META NAME="ROBOTS" CONTENT="NOINDEX, NOFOLLOW"><meta name="format-detection" content="telephone=no"><meta name="viewport" content="initial-scale=1.0"><meta http-equiv="X-UA-Compatible" content="IE=edge,chrome=1"></head><body style="margin:0px;height:100%"><iframe id="main-iframe" src="/_Incapsula_Resource?CWUDNSAI=24&xinfo=0-12345678-0%200NNN%20RT%281700000000000%20123%29&incident_id=0-123456789&edet=15&cinfo=ffffffff&pe=631&rpinfo=0&mth=GET" frameborder=0 width="100%" height="100%" marginheight="0px" marginwidth="0px">Request unsuccessful. Incapsula incident ID: 0-123456789</iframe></body></html>`;

export class ColesFixtureServer {
  readonly hits: Hit[] = [];
  readonly bySlug = new Map<string, FixtureProduct>();
  private readonly perPath = new Map<string, number>();
  private readonly open = new Set<Hit>();
  private server: http.Server | undefined;
  origin = '';

  constructor(
    products: readonly FixtureProduct[],
    readonly options: FixtureOptions = {},
  ) {
    for (const product of products) this.bySlug.set(product.slug, product);
  }

  async start(): Promise<this> {
    this.server = http.createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.origin = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  async close(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  /** How often each page was requested. */
  count(pathname: string): number {
    return this.perPath.get(pathname) ?? 0;
  }

  get paths(): ReadonlyMap<string, number> {
    return this.perPath;
  }

  get total(): number {
    return this.hits.length;
  }

  /**
   * The most requests the site was answering at once. A request the client gave up on (its
   * connection closed before the answer) stops counting against a request that arrived at least
   * half the client's timeout after it: on a busy machine the server can see the next request
   * before it sees that connection close (and late), while a client running two requests at once
   * starts them together. Without `clientTimeoutMs` every unanswered request counts.
   */
  get maxInFlight(): number {
    const timeout = this.options.clientTimeoutMs;
    const counts = (hit: Hit, other: Hit) => !(other.abandoned && timeout !== undefined && hit.arrivedAt - other.arrivedAt >= timeout / 2);
    return this.hits.reduce((most, hit) => Math.max(most, 1 + hit.overlapping.filter((other) => counts(hit, other)).length), 0);
  }

  unblock(): void {
    this.options.blockAfter = undefined;
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const pathname = new URL(req.url ?? '/', 'http://x').pathname;
    const n = (this.perPath.get(pathname) ?? 0) + 1;
    this.perPath.set(pathname, n);
    const cookie = req.headers.cookie;
    const overlapping = [...this.open].filter((other) => other.finishedAt === undefined);
    const hit: Hit = { path: pathname, arrivedAt: Date.now(), status: 0, userAgent: req.headers['user-agent'], cookie, overlapping };
    this.hits.push(hit);
    this.open.add(hit);
    // The response is finished when its last byte is handed over: the time is taken just before
    // res.end(), so no client can have the whole response earlier (an event fired afterwards can
    // run late on a busy test process and make a gap look shorter than the client waited).
    const end = res.end.bind(res) as (...args: unknown[]) => http.ServerResponse;
    res.end = ((...args: unknown[]) => {
      hit.finishedAt ??= Date.now();
      return end(...args);
    }) as typeof res.end;
    res.on('close', () => {
      hit.abandoned = hit.finishedAt === undefined;
      hit.finishedAt ??= Date.now();
      this.open.delete(hit);
    });
    this.options.onRequest?.(hit, this.hits.length);
    const reply = (status: number, type: string, body: string, headers: Record<string, string> = {}) => {
      hit.status = status;
      if (res.destroyed) return;
      res.writeHead(status, { 'content-type': type, ...headers });
      res.end(body);
    };
    const passes = this.options.passCookie !== undefined && (cookie ?? '').split(/;\s*/).includes(this.options.passCookie);
    if (this.options.blockAfter !== undefined && this.hits.length > this.options.blockAfter && !passes) {
      reply(this.options.blockStatus ?? 403, 'text/html', IMPERVA_CHALLENGE);
      return;
    }
    const route = /^\/_next\/data\/[^/]+\/en\/product\/(.+)\.json$/.exec(pathname);
    const page = /^\/product\/(.+)$/.exec(pathname);
    const product = this.bySlug.get((route ?? page)?.[1] ?? '');
    if (!product) {
      reply(404, 'text/html', '<!DOCTYPE html><html><body>Not found</body></html>');
      return;
    }
    switch (product.variant) {
      case 'not-found':
        return reply(404, 'text/html', `<!DOCTYPE html><html><body><script id="__NEXT_DATA__" type="application/json">{"props":{"pageProps":{}},"page":"/404","buildId":"${BUILD_ID}"}</script></body></html>`);
      case 'server-error':
        return reply(500, 'text/html', '<html><body>Internal Server Error</body></html>');
      case 'flaky':
        if (n <= (this.options.flakyFailures ?? 2)) return reply(500, 'text/html', '<html><body>Internal Server Error</body></html>');
        break;
      case 'rate-limited':
        if (n === 1) return reply(429, 'text/html', '<html><body>Too Many Requests</body></html>', { 'retry-after': String(this.options.retryAfterSeconds ?? 1) });
        break;
      case 'slow':
        await new Promise((resolve) => setTimeout(resolve, this.options.slowMs ?? 1000));
        break;
      case 'no-next-data':
        return reply(200, 'text/html', '<!DOCTYPE html><html><body><h1>We are doing some maintenance</h1></body></html>');
      default:
        break;
    }
    if (route) return reply(200, 'application/json', JSON.stringify(dataRouteBody(product, true)));
    return reply(200, 'text/html; charset=utf-8', productHtml(product));
  }
}
