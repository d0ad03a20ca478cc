/**
 * A chain's site stand-in on a free loopback port, for tests and benchmarks: a route function
 * answers each request, and one-shot faults (429 with Retry-After, 5xx, a block page, a slow or
 * broken body) can be put in front of any request. Every request is recorded with its time.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import net from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';

export interface FixtureRequest {
  readonly method: string;
  readonly path: string;
  readonly query: URLSearchParams;
  readonly headers: http.IncomingHttpHeaders;
  readonly cookies: Readonly<Record<string, string>>;
  readonly body: string;
  /** ms since the epoch when the request arrived. */
  readonly at: number;
}

export interface FixtureReply {
  readonly status?: number;
  readonly headers?: Readonly<Record<string, string>>;
  /** An object is sent as JSON. */
  readonly body: string | object;
  /** Wait this long before answering. */
  readonly delayMs?: number;
}

export type Route = (request: FixtureRequest) => FixtureReply | undefined;

export interface Fault {
  readonly match: (request: FixtureRequest) => boolean;
  /** How many matching requests get the fault (then it is spent). */
  times: number;
  readonly reply: FixtureReply;
}

/** The page Imperva answers a client without its session cookies. */
export const INCAPSULA_PAGE = `<html><head><META NAME="robots" CONTENT="noindex,nofollow"><script src="/_Incapsula_Resource?SWJIYLWA=5074a744e2e3d891814e9a2dace20bd4"></script></head><body>Request unsuccessful. Incapsula incident ID: 0-12345</body></html>`;

/**
 * Imperva's JavaScript challenge as a stand-in: the page computes the session cookie's value from
 * numbers in the page (so only a client that runs the script has it), sets it with
 * `document.cookie` and reloads; the answer also sets the HttpOnly visitor cookie.
 */
export function challengePage(a: number, b: number, name: string): string {
  return `<html><head><META NAME="robots" CONTENT="noindex,nofollow"><script>(function(){var a=${a},b=${b};document.cookie="${name}="+(a*b+7).toString(36)+"; path=/";setTimeout(function(){location.reload();},50);})();</script></head><body>Request unsuccessful. Incapsula incident ID: 0-${a}</body></html>`;
}

export class FixtureSite {
  readonly requests: FixtureRequest[] = [];
  readonly faults: Fault[] = [];
  /** When set, a request without this cookie gets the Imperva challenge (403). */
  requireCookie: { name: string; value: string } | undefined;
  /** Set by {@link requireJsChallenge}: the challenge page's numbers and the visitor cookie it sets. */
  private jsChallenge: { a: number; b: number; visitor: { name: string; value: string } } | undefined;
  /** Called on every request with its number (1-based), before it is answered. */
  onRequest: ((request: FixtureRequest, count: number) => void) | undefined;
  private server: http.Server | undefined;
  origin = '';

  constructor(private readonly route: Route) {}

  async start(): Promise<this> {
    this.server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => void this.answer(req, Buffer.concat(chunks).toString('utf8'), res));
    });
    this.server.keepAliveTimeout = 60_000;
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.origin = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  /**
   * Like Imperva: a request without the session cookie `name` (and the visitor cookie) gets a 403
   * page whose script sets the cookie and reloads. `passes: false` makes a challenge that never
   * passes (its script sets a wrong value).
   */
  requireJsChallenge(name: string, options: { passes?: boolean } = {}): void {
    const a = 1000 + Math.floor(Math.random() * 9000);
    const b = 1000 + Math.floor(Math.random() * 9000);
    this.requireCookie = { name, value: (a * b + 7).toString(36) };
    this.jsChallenge = { a: options.passes === false ? a + 1 : a, b, visitor: { name: 'visid_incap_2800112', value: `v${b}${a}` } };
  }

  /** One-shot fault for the next `times` requests that match. */
  fault(match: (request: FixtureRequest) => boolean, reply: FixtureReply, times = 1): void {
    this.faults.push({ match, times, reply });
  }

  /** Requests whose path starts with `prefix`. */
  count(prefix: string): number {
    return this.requests.filter((r) => r.path.startsWith(prefix)).length;
  }

  async close(): Promise<void> {
    if (!this.server) return;
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server!.close(() => resolve()));
  }

  private async answer(req: http.IncomingMessage, body: string, res: http.ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const request: FixtureRequest = { method: req.method ?? 'GET', path: url.pathname, query: url.searchParams, headers: req.headers, cookies: cookiesOf(req.headers.cookie), body, at: Date.now() };
    this.requests.push(request);
    this.onRequest?.(request, this.requests.length);
    let reply: FixtureReply | undefined;
    const fault = this.faults.find((f) => f.times > 0 && f.match(request));
    if (fault) {
      fault.times--;
      reply = fault.reply;
    } else if (this.jsChallenge && (request.cookies[this.requireCookie!.name] !== this.requireCookie!.value || request.cookies[this.jsChallenge.visitor.name] !== this.jsChallenge.visitor.value)) {
      const { a, b, visitor } = this.jsChallenge;
      reply = { status: 403, headers: { 'content-type': 'text/html', 'set-cookie': `${visitor.name}=${visitor.value}; Path=/; HttpOnly; Max-Age=31536000` }, body: challengePage(a, b, this.requireCookie!.name) };
    } else if (this.requireCookie && request.cookies[this.requireCookie.name] !== this.requireCookie.value) {
      reply = { status: 403, headers: { 'content-type': 'text/html' }, body: INCAPSULA_PAGE };
    } else {
      reply = this.route(request) ?? { status: 404, headers: { 'content-type': 'application/json' }, body: { error: 'not found' } };
    }
    if (reply.delayMs) await sleep(reply.delayMs);
    const isJson = typeof reply.body !== 'string';
    const text = isJson ? JSON.stringify(reply.body) : (reply.body as string);
    if (res.destroyed) return;
    res.writeHead(reply.status ?? 200, { 'content-type': isJson ? 'application/json; charset=utf-8' : 'text/html; charset=utf-8', ...(reply.headers ?? {}) });
    res.end(text);
  }
}

function cookiesOf(header: string | undefined): Record<string, string> {
  const cookies: Record<string, string> = {};
  for (const part of (header ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0) cookies[part.slice(0, eq).trim()] = part.slice(eq + 1).trim();
  }
  return cookies;
}

/** A loopback port nothing listens on (bound, then closed): a site that refuses every connection. */
export async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** Starts `server` on a free loopback port, closed (its open sockets with it) when the test ends. */
export async function listenOnLoopback<T extends net.Server>(t: { teardown(fn: () => unknown): void }, server: T): Promise<number> {
  const sockets = new Set<net.Socket>();
  server.on('connection', (socket: net.Socket) => sockets.add(socket));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.teardown(() => {
    for (const socket of sockets) socket.destroy();
    server.close();
  });
  return (server.address() as AddressInfo).port;
}
