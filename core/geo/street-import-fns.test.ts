import type { Position } from 'geojson';
import { describe, expect, it } from 'vitest';
import { fromWgs84 } from './coord-transform-fns.ts';
import { distanceM } from './geo-measure-fns.ts';
import { createJurisdiction } from './jurisdiction.ts';
import { createBundledJurisdiction } from '../../config/jurisdiction-data-file.ts';
import { loadBundledJurisdictionData } from '../../config/jurisdiction-data-file.ts';
import { importOfficialStreets, StreetImportError } from './street-import-fns.ts';

const data = loadBundledJurisdictionData();
const j = createBundledJurisdiction();
const opts = {
  crs: 'gcj02' as const,
  source: 'test: official file',
  streets: j.streets,
  resolveStreet: j.resolveStreet,
};

/** The bundled areas as an "official" GCJ-02 file, with 花楼水塔 split into 花楼街 and 水塔街. */
interface LooseFeature {
  type: 'Feature';
  properties: Record<string, string>;
  geometry: unknown;
}

function officialGcjFile(): { type: 'FeatureCollection'; features: LooseFeature[] } {
  const toGcj = (rings: Position[][]) =>
    rings.map((r) =>
      r.map(([lng, lat]) => {
        const g = fromWgs84({ lng: lng!, lat: lat! }, 'gcj02');
        return [g.lng, g.lat];
      }),
    );
  const features = data.streets.features.flatMap((f): LooseFeature[] => {
    const g = f.geometry;
    const polys = g.type === 'Polygon' ? [g.coordinates] : g.coordinates;
    const geometry = { type: 'MultiPolygon', coordinates: polys.map(toGcj) };
    if (f.properties.name !== '花楼水塔街道')
      return [{ type: 'Feature', properties: { XZQDM: `${f.properties.code}000` }, geometry }];
    return [
      { type: 'Feature', properties: { name: '花楼街街道' }, geometry },
      {
        type: 'Feature',
        properties: { name: '水塔街道' },
        geometry: {
          type: 'Polygon',
          coordinates: [
            [
              [114.28, 30.58],
              [114.281, 30.58],
              [114.281, 30.581],
              [114.28, 30.58],
            ],
          ],
        },
      },
    ];
  });
  const zone: LooseFeature = { type: 'Feature', properties: { name: '江汉经济开发区' }, geometry: null };
  return { type: 'FeatureCollection', features: [...features, zone] };
}

describe('importOfficialStreets', () => {
  it('identifies the 12 streets by name or code, merges 花楼街+水塔街, converts to WGS-84', () => {
    const { collection, warnings } = importOfficialStreets(officialGcjFile(), opts);
    expect(collection.features.map((f) => f.properties.name)).toEqual(j.streets.map((s) => s.name));
    expect(
      collection.features.every(
        (f) => f.properties.approximate === false && f.properties.source === 'test: official file',
      ),
    ).toBe(true);
    expect(warnings.join()).toContain('江汉经济开发区');
    const hualou = collection.features.find((f) => f.properties.name === '花楼水塔街道')!;
    expect(hualou.geometry.type).toBe('MultiPolygon');
    const before = data.streets.features.find((f) => f.properties.name === '万松街道')!.geometry;
    const after = collection.features.find((f) => f.properties.name === '万松街道')!.geometry;
    const p0 = (before.type === 'Polygon' ? before.coordinates[0]! : before.coordinates[0]![0]!)[0]!;
    const p1 = (after.type === 'Polygon' ? after.coordinates[0]! : after.coordinates[0]![0]!)[0]!;
    expect(distanceM({ lng: p0[0]!, lat: p0[1]! }, { lng: p1[0]!, lat: p1[1]! })).toBeLessThan(0.5);
  });

  it('yields data createJurisdiction uses, with approximate no longer set', () => {
    const { collection } = importOfficialStreets(officialGcjFile(), opts);
    const official = createJurisdiction({ ...data, streets: collection });
    const r = official.locatePoint({ lng: 114.288, lat: 30.58 });
    expect(r.street).toBe('花楼水塔街道');
    expect(r.approximate).toBe(false);
    expect(r.reason).not.toContain('近似');
  });

  it('rejects a file with a street missing or a self-intersecting polygon, listing why', () => {
    const file = officialGcjFile();
    const missing = { ...file, features: file.features.filter((f) => f.properties.XZQDM !== '420103010000') };
    expect(() => importOfficialStreets(missing, opts)).toThrow(/missing street 北湖街道/);
    const bowtie = structuredClone(file);
    bowtie.features[0]!.geometry = {
      type: 'Polygon',
      coordinates: [
        [
          [114.25, 30.6],
          [114.26, 30.61],
          [114.26, 30.6],
          [114.25, 30.61],
          [114.25, 30.6],
        ],
      ],
    };
    try {
      importOfficialStreets(bowtie, opts);
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(StreetImportError);
      expect((err as StreetImportError).problems.join()).toMatch(/self-intersection/);
    }
    expect(() => importOfficialStreets({ type: 'Feature' }, opts)).toThrow(/FeatureCollection/);
  });
});
