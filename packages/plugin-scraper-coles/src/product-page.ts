/**
 * Reading a Coles product page (docs/barcodes.md): the barcode candidates in the order docs/barcodes.md gives them
 * (JSON-LD `Product` gtin13/gtin/gtin14/gtin12/gtin8, then `__NEXT_DATA__` at
 * `props.pageProps.product.gtin`, or `pageProps.product.gtin` for the `_next/data` JSON route),
 * and whether the answer is a block page instead (Imperva/Incapsula challenge, 401/403, or an HTML
 * page with neither `__NEXT_DATA__` nor product JSON-LD). A product page that merely carries an
 * injected Imperva script is still a product page. Pure: no I/O.
 */

export type BarcodeSource = 'json-ld' | 'next-data' | 'next-data-route';

export interface BarcodeCandidate {
  readonly value: unknown;
  readonly via: BarcodeSource;
}

export type PageReading =
  /** A product page; candidates may be empty (the page shows no barcode). */
  | { readonly kind: 'product'; readonly candidates: readonly BarcodeCandidate[] }
  /** The product does not exist (404, 410, Next.js `notFound`). */
  | { readonly kind: 'not-found' }
  /** Not a product page: the session is blocked. */
  | { readonly kind: 'blocked'; readonly reason: string }
  /** Something unexpected that a retry may fix (a truncated page). */
  | { readonly kind: 'broken'; readonly reason: string };

const GTIN_FIELDS = ['gtin13', 'gtin', 'gtin14', 'gtin12', 'gtin8'] as const;
const JSON_LD = /<script\b[^>]*\btype\s*=\s*["']?application\/ld\+json["']?[^>]*>([\s\S]*?)<\/script\s*>/gi;
const NEXT_DATA = /<script\b[^>]*\bid\s*=\s*["']?__NEXT_DATA__["']?[^>]*>([\s\S]*?)<\/script\s*>/i;

/** True when the body is an Imperva/Incapsula challenge or incident page. */
export function isImpervaChallenge(body: string): boolean {
  return /_Incapsula_Resource|Incapsula incident ID|incap_ses_|window\.__imperva/i.test(body);
}

export function readProductPage(status: number, contentType: string, body: string): PageReading {
  if (status === 401 || status === 403) return { kind: 'blocked', reason: isImpervaChallenge(body) ? `an Imperva/Incapsula challenge (HTTP ${status})` : `HTTP ${status}` };
  if (status === 404 || status === 410) return { kind: 'not-found' };
  if (status < 200 || status >= 300) return { kind: 'broken', reason: `unexpected HTTP ${status}` };
  const trimmed = body.trimStart();
  if (/json/i.test(contentType) || (!/html|xml/i.test(contentType) && trimmed.startsWith('{'))) return readDataRoute(trimmed);
  return readHtml(body);
}

/** A page that is not what was asked for: an Imperva challenge, or some other page. */
function notAProduct(body: string, otherwise: string): PageReading {
  return { kind: 'blocked', reason: isImpervaChallenge(body) ? 'an Imperva/Incapsula challenge page' : otherwise };
}

/** `/_next/data/<build>/en/product/<slug>.json`: `{"pageProps": {"product": {..., "gtin": ...}}}`. */
function readDataRoute(body: string): PageReading {
  let data: unknown;
  try {
    data = JSON.parse(body);
  } catch {
    return isImpervaChallenge(body) ? notAProduct(body, '') : { kind: 'broken', reason: 'the data route answered with JSON that does not parse' };
  }
  if (!isObject(data)) return { kind: 'blocked', reason: 'the data route answered with something other than page data' };
  if (data.notFound === true) return { kind: 'not-found' };
  const pageProps = data.pageProps;
  if (!isObject(pageProps)) return { kind: 'blocked', reason: 'the data route answered without pageProps' };
  return productOf(pageProps, 'next-data-route', []);
}

function readHtml(body: string): PageReading {
  const fromJsonLd: BarcodeCandidate[] = [];
  let productLd = false;
  for (const match of body.matchAll(JSON_LD)) {
    let data: unknown;
    try {
      data = JSON.parse(decodeEntities(match[1]!));
    } catch {
      continue;
    }
    for (const product of jsonLdProducts(data)) {
      productLd = true;
      for (const field of GTIN_FIELDS) if (product[field] !== undefined && product[field] !== null && product[field] !== '') fromJsonLd.push({ value: product[field], via: 'json-ld' });
    }
  }
  const next = NEXT_DATA.exec(body);
  if (!next && /id\s*=\s*["']?__NEXT_DATA__/.test(body)) return { kind: 'broken', reason: '__NEXT_DATA__ is cut short (a truncated page?)' };
  if (!next) {
    if (productLd) return { kind: 'product', candidates: fromJsonLd };
    return notAProduct(body, 'a page without __NEXT_DATA__ (not a product page)');
  }
  let data: unknown;
  try {
    data = JSON.parse(next[1]!);
  } catch {
    return { kind: 'broken', reason: '__NEXT_DATA__ does not parse (a truncated page?)' };
  }
  const props = isObject(data) && isObject(data.props) ? data.props : undefined;
  const pageProps = props && isObject(props.pageProps) ? props.pageProps : undefined;
  if (isObject(data) && (data.page === '/404' || data.page === '/_error' || pageProps?.notFound === true || props?.notFound === true)) return { kind: 'not-found' };
  if (!pageProps) return productLd ? { kind: 'product', candidates: fromJsonLd } : notAProduct(body, '__NEXT_DATA__ without props.pageProps');
  return productOf(pageProps, 'next-data', fromJsonLd);
}

function productOf(pageProps: Record<string, unknown>, via: BarcodeSource, before: readonly BarcodeCandidate[]): PageReading {
  const product = pageProps.product;
  const candidates = [...before];
  if (isObject(product) && product.gtin !== undefined && product.gtin !== null && product.gtin !== '') candidates.push({ value: product.gtin, via });
  return { kind: 'product', candidates };
}

/** Every object typed `Product` in a JSON-LD document (top level, arrays, `@graph`). */
function jsonLdProducts(data: unknown): Array<Record<string, unknown>> {
  const found: Array<Record<string, unknown>> = [];
  const visit = (node: unknown, depth: number) => {
    if (depth > 4) return;
    if (Array.isArray(node)) {
      for (const item of node) visit(item, depth + 1);
      return;
    }
    if (!isObject(node)) return;
    const type = node['@type'];
    if (type === 'Product' || (Array.isArray(type) && type.includes('Product'))) found.push(node);
    if (node['@graph'] !== undefined) visit(node['@graph'], depth + 1);
  };
  visit(data, 0);
  return found;
}

function decodeEntities(text: string): string {
  return text.includes('&quot;') ? text.replace(/&quot;/g, '"').replace(/&amp;/g, '&') : text;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
