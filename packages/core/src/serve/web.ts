/**
 * The web page at `/`: static files from the package's `web/` folder and uPlot's browser build from
 * its npm package, read once at start and served from memory (nothing is fetched from elsewhere).
 * The page needs no key; the API routes it calls answer without one when the server runs --public.
 */
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { notFound, PAGE, type RouteFamily } from './params.js';

const WEB = fileURLToPath(new URL('../../../web/', import.meta.url));
const TYPES: Record<string, string> = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8' };

function assetFiles(): Map<string, string> {
  const uplot = path.join(path.dirname(createRequire(import.meta.url).resolve('uplot/package.json')), 'dist');
  return new Map([
    ['app.js', path.join(WEB, 'app.js')],
    ['app.css', path.join(WEB, 'app.css')],
    ['uPlot.iife.min.js', path.join(uplot, 'uPlot.iife.min.js')],
    ['uPlot.min.css', path.join(uplot, 'uPlot.min.css')],
  ]);
}

export const webRoutes: RouteFamily = async (app) => {
  const assets = new Map([...assetFiles()].map(([name, file]) => [name, fs.readFileSync(file)]));
  const index = fs.readFileSync(path.join(WEB, 'index.html'));
  const headers = { 'content-security-policy': "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'", 'x-content-type-options': 'nosniff' };
  app.get('/', { config: PAGE, schema: { hide: true } }, async (_request, reply) => reply.headers(headers).type(TYPES['.html']!).send(index));
  app.get<{ Params: { name: string } }>(
    '/assets/:name',
    { config: PAGE, schema: { hide: true, params: { type: 'object', properties: { name: { type: 'string', maxLength: 100 } }, required: ['name'] } } },
    async (request, reply) => {
      const body = assets.get(request.params.name);
      if (!body) throw notFound(`No asset ${request.params.name}.`);
      return reply.headers({ ...headers, 'cache-control': 'public, max-age=3600' }).type(TYPES[path.extname(request.params.name)] ?? 'application/octet-stream').send(body);
    },
  );
};
