import type { MultiPolygon, Polygon, Position } from 'geojson';
import type { Crs } from './geo-types.ts';
import type { StreetCollection, StreetFeature, StreetInfo } from './jurisdiction-data-types.ts';
import { toWgs84 } from './coord-transform-fns.ts';
import { geometryProblems, rewindPolygon } from './polygon-validate-fns.ts';

/*
 * Turns an official street boundary file into prisma/data/streets.geojson: identifies the
 * 12 streets by name or code (花楼街 and 水塔街 merge into 花楼水塔街道), validates the
 * polygons, converts them to WGS-84 and marks them `approximate: false`.
 */

export interface ImportOptions {
  crs: Crs;
  source: string;
  streets: readonly StreetInfo[];
  resolveStreet(nameOrCode: string): StreetInfo | null;
}

export interface ImportResult {
  collection: StreetCollection;
  warnings: string[];
}

export class StreetImportError extends Error {
  constructor(readonly problems: string[]) {
    super(`official street boundaries rejected:\n- ${problems.join('\n- ')}`);
    this.name = 'StreetImportError';
  }
}

const NAME_KEYS = ['name', 'NAME', 'Name', '街道', '名称', 'street', 'STREET', 'xzqmc', 'XZQMC'];
const CODE_KEYS = ['code', 'CODE', 'adcode', 'ADCODE', 'xzqdm', 'XZQDM', 'gb', 'GB', 'id'];

/** A street from whatever the file calls it; 12-digit codes are cut to the street's 9. */
function identify(props: Record<string, unknown>, opts: ImportOptions): StreetInfo | null {
  for (const key of [...NAME_KEYS, ...CODE_KEYS]) {
    const raw = props[key];
    if (raw === undefined || raw === null) continue;
    const v = String(raw).trim();
    const hit = opts.resolveStreet(v) ?? (/^\d{12}$/.test(v) ? opts.resolveStreet(v.slice(0, 9)) : null);
    if (hit) return hit;
  }
  return null;
}

function polygonsOf(g: Polygon | MultiPolygon): Position[][][] {
  return g.type === 'Polygon' ? [g.coordinates] : g.coordinates;
}

function convert(rings: Position[][], crs: Crs): Position[][] {
  return rings.map((r) =>
    r.map(([lng, lat]) => {
      const p = toWgs84({ lng: lng!, lat: lat! }, crs);
      return [+p.lng.toFixed(7), +p.lat.toFixed(7)];
    }),
  );
}

export function importOfficialStreets(input: unknown, opts: ImportOptions): ImportResult {
  const fc = input as { type?: unknown; features?: unknown };
  if (!fc || fc.type !== 'FeatureCollection' || !Array.isArray(fc.features)) {
    throw new StreetImportError(['the file is not a GeoJSON FeatureCollection']);
  }
  const problems: string[] = [];
  const warnings: string[] = [];
  const parts = new Map<string, Position[][][]>();
  (fc.features as Array<{ properties?: Record<string, unknown>; geometry?: unknown }>).forEach((f, i) => {
    const props = f?.properties ?? {};
    const street = identify(props, opts);
    const label = `feature ${i} (${String(props.name ?? props.NAME ?? props.code ?? '?')})`;
    if (!street) {
      warnings.push(`${label}: not one of the 12 streets by name or code, skipped`);
      return;
    }
    const geomProblems = geometryProblems(f.geometry, label);
    if (geomProblems.length > 0) {
      problems.push(...geomProblems);
      return;
    }
    const polys = polygonsOf(f.geometry as Polygon | MultiPolygon).map((rings) =>
      rewindPolygon(convert(rings, opts.crs)),
    );
    parts.set(street.name, [...(parts.get(street.name) ?? []), ...polys]);
  });
  for (const s of opts.streets)
    if (!parts.has(s.name)) problems.push(`missing street ${s.name} (${s.codes.join('/')})`);
  if (problems.length > 0) throw new StreetImportError(problems);

  const features: StreetFeature[] = opts.streets.map((s) => {
    const polys = parts.get(s.name)!;
    return {
      type: 'Feature',
      properties: {
        name: s.name,
        code: s.code,
        ...(s.staff ? { staff: s.staff } : {}),
        approximate: false,
        source: opts.source,
      },
      geometry:
        polys.length === 1 ? { type: 'Polygon', coordinates: polys[0]! } : { type: 'MultiPolygon', coordinates: polys },
    };
  });
  return {
    collection: {
      type: 'FeatureCollection',
      note: `Official street boundaries (WGS-84). Source: ${opts.source}`,
      features,
    },
    warnings,
  };
}
