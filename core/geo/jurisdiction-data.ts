import { readFileSync } from 'node:fs';
import type { Gazetteer, JurisdictionData, OutlineCollection, StreetCollection } from './jurisdiction-data-types.ts';

/*
 * The bundled data files live in prisma/data/ (replaceable by official ones without code
 * changes). They are read synchronously, relative to this module, and only once per process.
 */

const DATA_DIR = new URL('../../prisma/data/', import.meta.url);

let cached: JurisdictionData | null = null;

function readJson<T>(file: string): T {
  const url = new URL(file, DATA_DIR);
  try {
    return JSON.parse(readFileSync(url, 'utf8')) as T;
  } catch (err) {
    throw new Error(`cannot load jurisdiction data ${url.pathname}: ${(err as Error).message}`, { cause: err });
  }
}

export function loadBundledJurisdictionData(): JurisdictionData {
  cached ??= {
    gazetteer: readJson<Gazetteer>('gazetteer.json'),
    streets: readJson<StreetCollection>('streets.geojson'),
    outline: readJson<OutlineCollection>('district-outline.geojson'),
  };
  return cached;
}
