/**
 * The HTTP client the crawler fetches product pages with (crawlee's `httpClient` option), in place
 * of crawlee's got-scraping client, whose per-request option merging, hooks and validation were the
 * largest share of the scraper's CPU time per page.
 *
 * What the site sees is kept the same as through got-scraping (test/page-client.test.ts compares
 * the two against loopback servers):
 * - https: the same TLS settings, taken from got-scraping's own `tlsHook` for the user agent
 *   (ciphers, signature algorithms, curves, TLS versions, OCSP request), the same
 *   ALPN offer (`h2`, `http/1.1`) and HTTP/2 when the server picks it, through the same library
 *   (http2-wrapper's `auto`, which got-scraping uses); `rejectUnauthorized` as crawlee asks.
 * - HTTP/1.1 request heads go through got-scraping's `TransformHeadersAgent` (browser header
 *   casing and order), on keep-alive agents owned by the client (closed by {@link close}).
 * - `Accept-Encoding: gzip, deflate, br` and decompression as got-scraping does it; redirects
 *   (at most `maxRedirects`, 10) with crawlee's redirect handler called on each, so cookies set by
 *   a redirect go into the session and the next request carries them; got's rules for a redirect to
 *   another origin (no `Cookie`, `Authorization`, `Host`) and got-scraping's `Referer` rule.
 *   crawlee's handler replaces the Cookie header with the session's cookies alone; the crawl's own
 *   cookies (a browser session's, the site's store cookie) are merged back for the next address
 *   through {@link PageHttpClientOptions.redirectCookies}.
 * - `timeout.request` covers the whole exchange, body included: when it passes, the request and
 *   its body stream fail with a timeout error, which crawlee retries.
 */
import http from 'node:http';
import https from 'node:https';
import { PassThrough, pipeline, type Readable } from 'node:stream';
import zlib from 'node:zlib';
import type { BaseHttpClient, HttpRequest, HttpResponse, RedirectHandler, ResponseTypes, StreamingHttpResponse } from '@crawlee/http';
import { hooks as gotScrapingHooks, TransformHeadersAgent } from 'got-scraping';
import http2 from 'http2-wrapper';
import { mergeCookieHeaders } from './cookie-header.js';

type Headers = Record<string, string | string[] | undefined>;

/** got's default when decompressing (Node 20 has no zstd in zlib). */
export const ACCEPT_ENCODING = 'gzip, deflate, br';
const REDIRECT_CODES = new Set([300, 301, 302, 303, 304, 307, 308]);
const DEFAULT_MAX_REDIRECTS = 10;

/**
 * TLS options got-scraping uses for this user agent, from its own hook. Its `secureOptions` (no
 * encrypt-then-MAC, padding) are left out because got drops them too (they are overwritten by
 * got's own undefined `secureOptions`), and the aim is the ClientHello the site sees today.
 */
export function browserTlsOptions(userAgent: string | undefined): https.RequestOptions {
  const options = { https: {} as Record<string, unknown>, headers: userAgent === undefined ? {} : { 'user-agent': userAgent }, _unixOptions: {} as Record<string, unknown> };
  (gotScrapingHooks.tlsHook as unknown as (o: typeof options) => void)(options);
  const tls = options.https;
  return {
    ciphers: tls.ciphers as string,
    sigalgs: tls.signatureAlgorithms as string,
    ecdhCurve: tls.ecdhCurve as string,
    minVersion: tls.minVersion as https.RequestOptions['minVersion'],
    maxVersion: tls.maxVersion as https.RequestOptions['maxVersion'],
    ...({ requestOCSP: options._unixOptions.requestOCSP } as object),
  };
}

export interface PageHttpClientOptions {
  /**
   * The cookies the crawl itself sends to `to`, redirected there from `from`, besides the ones the
   * site set in the session (which crawlee's redirect handler puts in the header): a browser
   * session's cookies scoped to `to`, and the site's own cookies when `to` is on the same site.
   */
  readonly redirectCookies?: (to: URL, from: URL) => string;
}

export class PageHttpClient implements BaseHttpClient {
  constructor(private readonly options: PageHttpClientOptions = {}) {}

  private readonly httpAgent = new http.Agent({ keepAlive: true });
  private readonly httpsAgent = new https.Agent({ keepAlive: true });
  private readonly agents = {
    http: new TransformHeadersAgent(this.httpAgent),
    https: new TransformHeadersAgent(this.httpsAgent),
    http2: new http2.Agent(),
  };
  private readonly tlsByUserAgent = new Map<string, https.RequestOptions>();

  /** Closes the kept-alive connections. */
  close(): void {
    this.httpAgent.destroy();
    this.httpsAgent.destroy();
    this.agents.http2.destroy();
  }

  async sendRequest<T extends keyof ResponseTypes = 'text'>(request: HttpRequest<T>): Promise<HttpResponse<T>> {
    const response = await this.stream(request as HttpRequest);
    const chunks: Buffer[] = [];
    for await (const chunk of response.stream) chunks.push(chunk as Buffer);
    const buffer = Buffer.concat(chunks);
    const text = () => buffer.toString(request.encoding ?? 'utf8');
    const body = request.responseType === 'buffer' ? buffer : request.responseType === 'json' ? (JSON.parse(text()) as unknown) : text();
    const { stream: _stream, ...rest } = response;
    return { ...rest, body } as unknown as HttpResponse<T>;
  }

  async stream(request: HttpRequest, onRedirect?: RedirectHandler): Promise<StreamingHttpResponse> {
    let url = new URL(String(request.url));
    let method = (request.method ?? 'GET').toUpperCase();
    let headers = requestHeaders(request.headers);
    const body = request.body;
    if (body !== undefined && typeof body !== 'string' && !Buffer.isBuffer(body)) throw new Error('PageHttpClient sends string or Buffer bodies only');
    const timeoutMs = request.timeout && 'request' in request.timeout ? request.timeout.request : undefined;
    const maxRedirects = request.maxRedirects ?? DEFAULT_MAX_REDIRECTS;
    const redirectUrls: URL[] = [];
    const exchange = new Exchange(timeoutMs, request.signal);
    try {
      for (;;) {
        const response = await exchange.send(() => this.request(url, method, headers, body, request));
        const location = response.headers.location;
        const statusCode = response.statusCode ?? 0;
        const follow = typeof request.followRedirect === 'function' ? request.followRedirect(response) : request.followRedirect !== false;
        if (location && REDIRECT_CODES.has(statusCode) && follow) {
          response.resume();
          if (redirectUrls.length >= maxRedirects) throw new Error(`Redirected more than ${maxRedirects} times, last to ${location}`);
          const next = new URL(Buffer.from(location, 'binary').toString(), url);
          headers = { ...headers };
          if (next.hostname !== url.hostname || next.port !== url.port) {
            for (const name of Object.keys(headers)) if (['host', 'cookie', 'authorization'].includes(name.toLowerCase())) delete headers[name];
          }
          if (statusCode === 303 && method !== 'GET' && method !== 'HEAD') method = 'GET';
          (gotScrapingHooks.refererHook as unknown as (o: { url: URL; headers: Headers }, r: { url: string; headers: Headers }) => void)({ url: next, headers }, { url: url.href, headers: response.headers });
          redirectUrls.push(next);
          const updated = { url: next as string | URL, headers };
          onRedirect?.(responseData(response, url, redirectUrls), updated);
          const own = this.options.redirectCookies?.(new URL(String(updated.url)), url);
          if (own) updated.headers = withCookie(updated.headers, mergeCookieHeaders([headerValue(updated.headers, 'cookie'), own]));
          url = new URL(String(updated.url));
          headers = updated.headers;
          continue;
        }
        const stream = exchange.body(decompressed(response));
        const data = responseData(response, url, redirectUrls);
        Object.assign(stream, { url: data.url, statusCode, statusMessage: response.statusMessage, headers: response.headers, redirectUrls, ip: data.ip });
        return {
          ...data,
          stream,
          request,
          get downloadProgress() {
            const total = Number(response.headers['content-length']) || undefined;
            return { percent: response.complete ? 1 : 0, transferred: response.complete ? (total ?? 0) : 0, ...(total ? { total } : {}) };
          },
          get uploadProgress() {
            return { percent: 1, transferred: 0 };
          },
        };
      }
    } catch (error) {
      exchange.fail(error as Error);
      throw error;
    }
  }

  private request(url: URL, method: string, headers: Headers, body: string | Buffer | undefined, request: HttpRequest): Promise<http.ClientRequest> | http.ClientRequest {
    const common = { method, headers: definedHeaders(headers), insecureHTTPParser: request.insecureHTTPParser ?? true };
    if (url.protocol === 'http:') return finish(http.request(url, { ...common, agent: this.agents.http }), body);
    if (url.protocol !== 'https:') throw new Error(`Cannot fetch ${url.href}: only http and https`);
    const userAgent = headerValue(headers, 'user-agent') ?? '';
    let tls = this.tlsByUserAgent.get(userAgent);
    if (!tls) this.tlsByUserAgent.set(userAgent, (tls = browserTlsOptions(userAgent || undefined)));
    const rejectUnauthorized = (request.https as { rejectUnauthorized?: boolean } | undefined)?.rejectUnauthorized ?? false;
    return http2
      .auto(url, { ...common, ...tls, rejectUnauthorized, ALPNProtocols: ['h2', 'http/1.1'], agent: this.agents } as unknown as http2.AutoRequestOptions)
      .then((req) => finish(req as unknown as http.ClientRequest, body));
  }
}

/** One request and its redirects under one deadline: every request and the final body stream fail when it passes. */
class Exchange {
  private current: http.ClientRequest | undefined;
  private stream: Readable | undefined;
  private timer: NodeJS.Timeout | undefined;
  private failure: Error | undefined;
  private reject: ((error: Error) => void) | undefined;

  constructor(
    timeoutMs: number | undefined,
    private readonly signal: AbortSignal | undefined,
  ) {
    if (timeoutMs !== undefined && Number.isFinite(timeoutMs)) {
      this.timer = setTimeout(() => this.fail(Object.assign(new Error(`Timeout awaiting the response after ${timeoutMs} ms`), { code: 'ETIMEDOUT', name: 'TimeoutError' })), timeoutMs);
    }
    signal?.addEventListener('abort', this.onAbort, { once: true });
  }

  private readonly onAbort = () => this.fail(Object.assign(new Error('The request was aborted'), { name: 'AbortError' }));

  async send(start: () => Promise<http.ClientRequest> | http.ClientRequest): Promise<http.IncomingMessage> {
    if (this.failure) throw this.failure;
    const req = await start();
    this.current = req;
    if (this.failure) {
      req.destroy(this.failure);
      throw this.failure;
    }
    return new Promise<http.IncomingMessage>((resolve, reject) => {
      this.reject = reject;
      req.once('response', (response: http.IncomingMessage) => {
        this.reject = undefined;
        resolve(response);
      });
      req.on('error', (error) => reject(this.failure ?? error));
    });
  }

  /** The final body: the deadline goes on until it ends. */
  body(stream: Readable): Readable {
    this.stream = stream;
    const done = () => this.done();
    stream.once('end', done);
    stream.once('close', done);
    if (this.failure) stream.destroy(this.failure);
    return stream;
  }

  fail(error: Error): void {
    if (this.failure) return;
    this.failure = error;
    this.done();
    this.current?.destroy(error);
    this.stream?.destroy(error);
    this.reject?.(error);
  }

  private done(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.signal?.removeEventListener('abort', this.onAbort);
  }
}

function finish(req: http.ClientRequest, body: string | Buffer | undefined): http.ClientRequest {
  req.end(body);
  return req;
}

function requestHeaders(headers: Headers | undefined): Headers {
  const result: Headers = { ...headers };
  if (headerValue(result, 'accept-encoding') === undefined) result['accept-encoding'] = ACCEPT_ENCODING;
  return result;
}

/** `headers` with `cookie` as its one Cookie header, whatever the case of the one it replaces. */
function withCookie(headers: Headers, cookie: string): Headers {
  const result: Headers = {};
  for (const [name, value] of Object.entries(headers)) if (name.toLowerCase() !== 'cookie') result[name] = value;
  if (cookie !== '') result.Cookie = cookie;
  return result;
}

function definedHeaders(headers: Headers): Record<string, string | string[]> {
  const result: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(headers)) if (value !== undefined) result[name] = value;
  return result;
}

function headerValue(headers: Headers, name: string): string | undefined {
  for (const [key, value] of Object.entries(headers)) if (key.toLowerCase() === name && value !== undefined) return Array.isArray(value) ? value.join(', ') : value;
  return undefined;
}

function responseData(response: http.IncomingMessage, url: URL, redirectUrls: URL[]) {
  return {
    url: url.href,
    redirectUrls,
    ip: response.socket?.remoteAddress,
    statusCode: response.statusCode ?? 0,
    statusMessage: response.statusMessage,
    headers: response.headers,
    trailers: response.trailers,
    complete: response.complete,
  };
}

/**
 * The body, decoded as got-scraping decodes it: gzip; deflate with or without a zlib header (told by
 * the first byte); br; lenient about a cut-off end (sync flush); an empty body stays empty.
 */
function decompressed(response: http.IncomingMessage): Readable {
  const encoding = response.headers['content-encoding']?.toLowerCase().trim();
  if (!['gzip', 'x-gzip', 'deflate', 'x-deflate', 'br'].includes(encoding ?? '')) return response;
  delete response.headers['content-encoding'];
  const flush = { flush: zlib.constants.Z_SYNC_FLUSH, finishFlush: zlib.constants.Z_SYNC_FLUSH };
  const out = new PassThrough();
  let started = false;
  response.once('data', (chunk: Buffer) => {
    started = true;
    response.unshift(chunk);
    const decoder =
      encoding === 'br'
        ? zlib.createBrotliDecompress()
        : encoding === 'gzip' || encoding === 'x-gzip'
          ? zlib.createGunzip(flush)
          : (chunk[0]! & 15) === 8
            ? zlib.createInflate(flush)
            : zlib.createInflateRaw(flush);
    pipeline(response, decoder, out, (error) => {
      if (error) out.destroy(error);
    });
  });
  response.once('end', () => {
    if (!started) out.end();
  });
  response.once('error', (error) => {
    if (!started) out.destroy(error);
  });
  return out;
}
