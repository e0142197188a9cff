import { booleanPointInPolygon } from '@turf/boolean-point-in-polygon';
import { describe, expect, it } from 'vitest';
import { ringAreaKm2, distanceToRingsM } from './geo-measure-fns.ts';
import { createBundledJurisdiction } from '../../config/jurisdiction-data-file.ts';
import { loadBundledJurisdictionData } from '../../config/jurisdiction-data-file.ts';
import { ringsOf } from './point-locate-fns.ts';
import type { StreetFeature } from './jurisdiction-data-types.ts';

const data = loadBundledJurisdictionData();
const j = createBundledJurisdiction();
const outline = data.outline.features[0]!;

function areaKm2(f: StreetFeature): number {
  const g = f.geometry;
  const polys = g.type === 'Polygon' ? [g.coordinates] : g.coordinates;
  return polys.reduce(
    (sum, rings) => sum + ringAreaKm2(rings[0]!) - rings.slice(1).reduce((h, r) => h + ringAreaKm2(r), 0),
    0,
  );
}

/** The grid point inside the feature farthest from its edges: a safe interior sample. */
function interiorPoint(f: StreetFeature): { lng: number; lat: number } {
  const rings = ringsOf(f);
  const xs = rings.flat().map((p) => p[0]!);
  const ys = rings.flat().map((p) => p[1]!);
  let best = { lng: 0, lat: 0 };
  let bestD = -1;
  for (let i = 1; i < 40; i++) {
    for (let k = 1; k < 40; k++) {
      const lng = Math.min(...xs) + ((Math.max(...xs) - Math.min(...xs)) * i) / 40;
      const lat = Math.min(...ys) + ((Math.max(...ys) - Math.min(...ys)) * k) / 40;
      if (!booleanPointInPolygon([lng, lat], f)) continue;
      const d = distanceToRingsM({ lng, lat }, rings);
      if (d > bestD) [best, bestD] = [{ lng, lat }, d];
    }
  }
  return best;
}

describe('bundled street areas', () => {
  it('has one approximate feature per street, named and coded like the gazetteer', () => {
    expect(data.streets.features).toHaveLength(12);
    expect(data.streets.note).toMatch(/APPROXIMATE/);
    for (const s of j.streets) {
      const f = data.streets.features.find((x) => x.properties.name === s.name);
      expect(f, s.name).toBeDefined();
      expect(f!.properties.code).toBe(s.code);
      expect(f!.properties.approximate).toBe(true);
      expect(f!.properties.source).toBeTruthy();
    }
  });

  it('maps an interior point of every street back to that street', () => {
    for (const f of data.streets.features) {
      expect(j.locatePoint(interiorPoint(f)).street, f.properties.name).toBe(f.properties.name);
    }
  });

  it('tiles the district outline: areas add up, and grid points fall in exactly one street', () => {
    const total = data.streets.features.reduce((a, f) => a + areaKm2(f), 0);
    const outlineKm2 = ringsOf(outline as never).reduce((a, r) => a + ringAreaKm2(r), 0);
    expect(Math.abs(total - outlineKm2) / outlineKm2).toBeLessThan(0.002);
    let inside = 0;
    let bad = 0;
    for (let lng = 114.218; lng < 114.3; lng += 0.0013) {
      for (let lat = 30.564; lat < 30.646; lat += 0.0011) {
        if (!booleanPointInPolygon([lng, lat], outline as never)) continue;
        inside++;
        const n = data.streets.features.filter((f) => booleanPointInPolygon([lng, lat], f)).length;
        if (n !== 1) bad++;
      }
    }
    expect(inside).toBeGreaterThan(1500);
    expect(bad / inside).toBeLessThan(0.002);
  });

  it('keeps the known areas plausible (北湖 1.78 km², 前进 0.32 km²)', () => {
    const km2 = (name: string) => areaKm2(data.streets.features.find((f) => f.properties.name === name)!);
    expect(km2('北湖街道')).toBeGreaterThan(1.5);
    expect(km2('北湖街道')).toBeLessThan(2.1);
    expect(km2('前进街道')).toBeGreaterThan(0.25);
    expect(km2('前进街道')).toBeLessThan(0.4);
  });

  it('keeps neighbour anchors outside the district', () => {
    for (const n of data.gazetteer.neighbours) {
      for (const [lng, lat] of n.anchors) {
        expect(booleanPointInPolygon([lng, lat], outline as never), `${n.name} ${lng},${lat}`).toBe(false);
      }
    }
  });

  it('puts every gazetteer landmark with coordinates inside its street', () => {
    for (const l of data.gazetteer.landmarks) {
      if (l.lng === undefined || l.lat === undefined || !l.street) continue;
      expect(j.locatePoint({ lng: l.lng, lat: l.lat }).street, l.name).toBe(l.street);
    }
  });
});
