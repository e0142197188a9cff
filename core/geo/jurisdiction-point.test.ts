import { describe, expect, it } from 'vitest';
import { wgs84ToBd09, wgs84ToGcj02 } from './coord-transform-fns.ts';
import { createBundledJurisdiction } from '../../config/jurisdiction-data-file.ts';

const j = createBundledJurisdiction();

describe('locatePoint', () => {
  it('places 江汉关 (WGS 114.288, 30.580) in 花楼水塔街道', () => {
    const r = j.locatePoint({ lng: 114.288, lat: 30.58 });
    expect(r).toMatchObject({
      street: '花楼水塔街道',
      streetCode: '420103002',
      method: 'point',
      outsideDistrict: false,
    });
    expect(r.approximate).toBe(true);
    expect(r.reason).toContain('花楼水塔街道');
    expect(r.reason).toContain('近似');
  });

  it('places 中山公园 in 万松街道, in any CRS', () => {
    const p = { lng: 114.26, lat: 30.593 };
    expect(j.locatePoint(p).street).toBe('万松街道');
    expect(j.locatePoint(wgs84ToGcj02(p), 'gcj02').street).toBe('万松街道');
    expect(j.locatePoint(wgs84ToBd09(p), 'bd09').street).toBe('万松街道');
  });

  it('puts every landmark with coordinates in its own street', () => {
    for (const [name, lng, lat, street] of [
      ['西北湖', 114.2615, 30.6035, '北湖街道'],
      ['汉口火车站', 114.2575, 30.6195, '唐家墩街道'],
    ] as const) {
      expect(j.locatePoint({ lng, lat }).street, name).toBe(street);
    }
  });

  it('says a point in 江岸区 is outside, and guesses 江岸区', () => {
    const r = j.locatePoint({ lng: 114.2921, lat: 30.5914 }); // 黎黄陂路 area
    expect(r).toMatchObject({ street: null, streetCode: null, outsideDistrict: true, neighbour: '江岸区' });
    expect(r.reason).toContain('不在江汉区范围内');
    expect(r.reason).toContain('江岸区');
  });

  it('says a point across the river is outside (武昌区 / 汉阳区)', () => {
    expect(j.locatePoint({ lng: 114.2996, lat: 30.5464 })).toMatchObject({
      street: null,
      outsideDistrict: true,
      neighbour: '武昌区',
    });
    expect(j.locatePoint({ lng: 114.2636, lat: 30.5564 })).toMatchObject({
      street: null,
      outsideDistrict: true,
      neighbour: '汉阳区',
    });
  });

  it('guesses 东西湖区 north of 张公堤 and 硚口区 to the west', () => {
    expect(j.locatePoint({ lng: 114.2316, lat: 30.6444 }).neighbour).toBe('东西湖区');
    expect(j.locatePoint({ lng: 114.205, lat: 30.6 }).neighbour).toBe('硚口区');
  });

  it('names no neighbour for a point far away', () => {
    const r = j.locatePoint({ lng: 116.397, lat: 39.908 });
    expect(r).toMatchObject({ street: null, outsideDistrict: true, neighbour: null });
  });

  it('rejects bad coordinates with RangeError', () => {
    expect(() => j.locatePoint({ lng: Number.NaN, lat: 30.6 })).toThrow(RangeError);
    expect(() => j.locatePoint({ lng: 114.26, lat: 95 })).toThrow(RangeError);
    expect(() => j.locatePoint({ lng: 200, lat: 30.6 }, 'gcj02')).toThrow(RangeError);
  });
});
