import { describe, expect, it } from 'vitest';
import { createBundledJurisdiction } from '../../config/jurisdiction-data-file.ts';
import { checkResolutionPhotos } from './verification-fns.ts';

const settings = { farM: 200, jurisdiction: createBundledJurisdiction() };
const CASE = { lat: 30.5942, lng: 114.2359 }; // 万松街道
const photo = (id: number, lat: number | null, lng: number | null) => ({ id, lat, lng });

describe('checkResolutionPhotos', () => {
  it('gives the distance to the farthest located photo, with no warning when near', () => {
    const r = checkResolutionPhotos(CASE, [photo(1, CASE.lat + 0.0005, CASE.lng), photo(2, null, null)], settings);
    expect(r.distanceM).toBeGreaterThan(50);
    expect(r.distanceM).toBeLessThan(60);
    expect(r.warning).toBeNull();
    expect(r.summary).toMatch(/相距约 5\d 米/);
  });

  it('warns when a photo was taken far away, and when outside the district', () => {
    const far = checkResolutionPhotos(CASE, [photo(1, CASE.lat + 0.003, CASE.lng)], settings);
    expect(far.warning).toMatch(/约 3\d\d 米（超过 200 米）/);
    expect(far.warning).not.toContain('江汉区');
    const beijing = checkResolutionPhotos(CASE, [photo(1, 39.9042, 116.4074)], settings);
    expect(beijing.warning).toContain('不在江汉区范围内');
  });

  it('says so when there is nothing to compare', () => {
    expect(checkResolutionPhotos(CASE, [], settings)).toMatchObject({ distanceM: null, warning: null });
    expect(checkResolutionPhotos(CASE, [photo(1, null, null)], settings).summary).toContain('无拍摄位置');
    const noPoint = checkResolutionPhotos(null, [photo(1, 39.9042, 116.4074)], settings);
    expect(noPoint.distanceM).toBeNull();
    expect(noPoint.warning).toContain('不在江汉区范围内');
  });
});
