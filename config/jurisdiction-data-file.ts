import { readFileSync } from 'node:fs';
import { createJurisdiction, type JurisdictionService } from '../core/geo/jurisdiction.ts';
import type {
  Gazetteer,
  JurisdictionData,
  OutlineCollection,
  StreetCollection,
} from '../core/geo/jurisdiction-data-types.ts';

/*
 * The bundled data files live in prisma/data/ (replaceable by official ones without code
 * changes). They are read synchronously, relative to this module, and only once per process;
 * core/geo takes them as an argument and never reads a file itself.
 */

const DATA_DIR = new URL('../prisma/data/', import.meta.url);

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

/** The district's jurisdiction over the bundled data: what the app and the tools use. */
export function createBundledJurisdiction(): JurisdictionService {
  return createJurisdiction(loadBundledJurisdictionData());
}
