/**
 * A chain's site stand-in on a free loopback port, for tests and benchmarks: a route function
 * answers each request, and one-shot faults (429 with Retry-After, 5xx, a block page, a slow or
 * broken body) can be put in front of any request. Every request is recorded with its time.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
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

export class FixtureSite {
  readonly requests: FixtureRequest[] = [];
  readonly faults: Fault[] = [];
  /** When set, a request without this cookie gets the Imperva challenge (403). */
  requireCookie: { name: string; value: string } | undefined;
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
