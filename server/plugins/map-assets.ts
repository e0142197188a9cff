import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import fastifyStatic from '@fastify/static';
// esbuild ships with tsx, which `npm start` runs on: no new dependency.
import { transform } from 'esbuild';
import type { FastifyInstance } from 'fastify';
import { loadBundledJurisdictionData } from '../../config/jurisdiction-data-file.ts';

export const LEAFLET_PREFIX = '/vendor/leaflet/';
export const COORD_SCRIPT = '/vendor/coord-transform.js';
export const STREETS_GEOJSON = '/api/map/streets.geojson';

const LEAFLET_DIST = path.join(path.dirname(createRequire(import.meta.url).resolve('leaflet/package.json')), 'dist');
const COORD_SOURCE = path.resolve(import.meta.dirname, '../../core/geo/coord-transform-fns.ts');

let coordScript: Promise<string> | null = null;

/**
 * The browser gets the very formulas the server converts with (core/geo/coord-transform-fns.ts),
 * types stripped, so a GCJ-02 map and the stored WGS-84 points can never disagree.
 */
function buildCoordScript(): Promise<string> {
  coordScript ??= readFile(COORD_SOURCE, 'utf8').then(
    async (src) => (await transform(src, { loader: 'ts', format: 'esm', target: 'es2020' })).code,
  );
  return coordScript;
}

/**
 * Leaflet's dist files (never a CDN), the coordinate script and the street outlines as GeoJSON,
 * for the maps of the web chat, the case pages and the public page.
 */
export async function registerMapAssets(app: FastifyInstance): Promise<void> {
  await app.register(fastifyStatic, {
    root: LEAFLET_DIST,
    prefix: LEAFLET_PREFIX,
    decorateReply: false,
    index: false,
    cacheControl: true,
    maxAge: '1d',
  });

  app.get(COORD_SCRIPT, { schema: { hide: true } }, async (_req, reply) =>
    reply
      .type('text/javascript; charset=utf-8')
      .header('cache-control', 'public, max-age=3600')
      .send(await buildCoordScript()),
  );

  app.get(
    STREETS_GEOJSON,
    {
      schema: {
        tags: ['public'],
        summary: '12 个街道的范围（GeoJSON，WGS-84，近似边界）',
      },
    },
    async (_req, reply) =>
      reply
        .type('application/geo+json; charset=utf-8')
        .header('cache-control', 'public, max-age=3600')
        .send(JSON.stringify(loadBundledJurisdictionData().streets)),
  );
}
