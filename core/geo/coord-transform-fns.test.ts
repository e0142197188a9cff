import { describe, expect, it } from 'vitest';
import {
  bd09ToGcj02,
  bd09ToWgs84,
  fromWgs84,
  gcj02ToBd09,
  gcj02ToWgs84,
  toWgs84,
  wgs84ToBd09,
  wgs84ToGcj02,
} from './coord-transform-fns.ts';
import { distanceM, toLocalM } from './geo-measure-fns.ts';
import { loadBundledJurisdictionData } from '../../config/jurisdiction-data-file.ts';

const { outline } = loadBundledJurisdictionData();

describe('coordinate conversions', () => {
  it('matches the reference values of the standard formulas (coordtransform README)', () => {
    const p = { lng: 116.404, lat: 39.915 };
    const g = wgs84ToGcj02(p);
    expect(g.lng).toBeCloseTo(116.41024449916938, 9);
    expect(g.lat).toBeCloseTo(39.91640428150164, 9);
    const b = gcj02ToBd09(p);
    expect(b.lng).toBeCloseTo(116.41036949371029, 9);
    expect(b.lat).toBeCloseTo(39.92133699351021, 9);
    const back = bd09ToGcj02(p);
    expect(back.lng).toBeCloseTo(116.39762729119315, 9);
    expect(back.lat).toBeCloseTo(39.90865673957631, 9);
  });

  it('reproduces a known WGS/GCJ pair in Wuhan: the district outline centroid', () => {
    // The outline was converted GCJ→WGS; its `centroid` property was left in GCJ-02.
    const geom = outline.features[0]!.geometry;
    const ring = (geom.type === 'MultiPolygon' ? geom.coordinates[0]![0]! : geom.coordinates[0]!).map(([x, y]) => [
      x!,
      y!,
    ]);
    let a = 0,
      cx = 0,
      cy = 0;
    for (let i = 0; i + 1 < ring.length; i++) {
      const [x1, y1] = ring[i]!;
      const [x2, y2] = ring[i + 1]!;
      const c = x1! * y2! - x2! * y1!;
      a += c;
      cx += (x1! + x2!) * c;
      cy += (y1! + y2!) * c;
    }
    const wgs = { lng: cx / (3 * a), lat: cy / (3 * a) };
    const [gLng, gLat] = outline.features[0]!.properties!.centroid as [number, number];
    expect(distanceM(wgs84ToGcj02(wgs), { lng: gLng, lat: gLat })).toBeLessThan(5);
  });

  it('shifts Wuhan points about 520 m east and 270 m (south) in GCJ-02', () => {
    const p = { lng: 114.288, lat: 30.58 };
    const d = toLocalM(p, wgs84ToGcj02(p));
    expect(d.x).toBeGreaterThan(500);
    expect(d.x).toBeLessThan(540);
    // The formula moves Wuhan points south, not north as one note says; the outline data agrees.
    expect(Math.abs(d.y)).toBeGreaterThan(250);
    expect(Math.abs(d.y)).toBeLessThan(290);
  });

  it('inverts GCJ-02 to within 0.5 m (iteratively) and round-trips BD-09', () => {
    for (const p of [
      { lng: 114.288, lat: 30.58 },
      { lng: 114.22, lat: 30.62 },
      { lng: 114.2525, lat: 30.6447 },
    ]) {
      expect(distanceM(gcj02ToWgs84(wgs84ToGcj02(p)), p)).toBeLessThan(0.5);
      expect(distanceM(bd09ToWgs84(wgs84ToBd09(p)), p)).toBeLessThan(0.5);
      expect(distanceM(toWgs84(fromWgs84(p, 'bd09'), 'bd09'), p)).toBeLessThan(0.5);
      expect(distanceM(toWgs84(fromWgs84(p, 'gcj02'), 'gcj02'), p)).toBeLessThan(0.5);
    }
  });

  it('leaves points outside China unshifted', () => {
    expect(wgs84ToGcj02({ lng: 2.35, lat: 48.85 })).toEqual({ lng: 2.35, lat: 48.85 });
  });

  it('rejects NaN, infinities and out-of-range values with a RangeError', () => {
    expect(() => wgs84ToGcj02({ lng: Number.NaN, lat: 30 })).toThrow(RangeError);
    expect(() => toWgs84({ lng: 114, lat: 91 }, 'gcj02')).toThrow(/纬度/);
    expect(() => toWgs84({ lng: 181, lat: 30 })).toThrow(/经度/);
    expect(() => toWgs84({ lng: Infinity, lat: 30 })).toThrow(RangeError);
    expect(() => toWgs84({ lng: 114, lat: 30 }, 'mars' as never)).toThrow(RangeError);
    expect(() => toWgs84({ lng: '114' as unknown as number, lat: 30 })).toThrow(RangeError);
  });
});
