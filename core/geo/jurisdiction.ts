import type { Crs, Jurisdiction, LatLng, StreetLocation } from './geo-types.ts';
import type { JurisdictionData, StreetInfo } from './jurisdiction-data-types.ts';
import { toWgs84 } from './coord-transform-fns.ts';
import { buildGazetteerIndex } from './gazetteer-index-fns.ts';
import { locateWgsPoint, shapeOf, type PointIndex } from './point-locate-fns.ts';
import { locateInText } from './text-locate-fns.ts';
import { normaliseText } from './text-matcher-fns.ts';

export type { JurisdictionData, StreetInfo } from './jurisdiction-data-types.ts';

/** The Jurisdiction contract plus the street list and name/code resolution. */
export interface JurisdictionService extends Jurisdiction {
  /** The 12 streets, in official code order. */
  readonly streets: readonly StreetInfo[];
  /**
   * A street's name, alias or official code → the street (花楼街, 水塔街道, 420103003 →
   * 花楼水塔街道); null when unknown.
   */
  resolveStreet(nameOrCode: string): StreetInfo | null;
}

/**
 * Builds the street jurisdiction from the given data, or from the bundled files in
 * prisma/data/ (loaded once). Everything is precompiled here; lookups are pure and fast.
 */
export function createJurisdiction(data: JurisdictionData): JurisdictionService {
  const { gazetteer, streets: streetAreas, outline } = data;
  const streets = [...gazetteer.streets].sort((a, b) => a.code.localeCompare(b.code));

  const byKey = new Map<string, StreetInfo>();
  for (const s of streets) {
    for (const key of [s.name, ...s.aliases, ...s.codes, s.code]) byKey.set(normaliseText(key), s);
  }
  const resolveStreet = (nameOrCode: string): StreetInfo | null =>
    byKey.get(normaliseText(String(nameOrCode ?? ''))) ?? null;
  const codeOf = (street: string): string | null => resolveStreet(street)?.code ?? null;

  const textIndex = buildGazetteerIndex(gazetteer);
  const pointIndex: PointIndex = {
    streets: streetAreas.features.map((f) => {
      const info = resolveStreet(f.properties.name) ?? resolveStreet(f.properties.code);
      return shapeOf(info?.name ?? f.properties.name, info?.code ?? f.properties.code ?? null, f);
    }),
    outline: outline.features.map((f) => shapeOf(gazetteer.district.name, gazetteer.district.adcode, f)),
    neighbours: gazetteer.neighbours,
    approximate: streetAreas.features.some((f) => f.properties.approximate !== false),
  };

  return {
    streets,
    resolveStreet,
    locatePoint(point: LatLng, crs: Crs = 'wgs84'): StreetLocation {
      return locateWgsPoint(pointIndex, toWgs84(point, crs));
    },
    locateText(text: string): StreetLocation {
      return locateInText(textIndex, codeOf, text);
    },
  };
}
