import { describe, expect, it } from 'vitest';
import { toWgs84, wgs84ToGcj02 } from '../../core/geo/coord-transform-fns.ts';
import { createBundledJurisdiction } from '../../config/jurisdiction-data-file.ts';
import { parseLocationText, toInboundLocation } from './wechat-location-fns.ts';

const j = createBundledJurisdiction();
/** Metres per degree near Wuhan (30.6° N). */
const M_PER_DEG_LAT = 110_850;
const M_PER_DEG_LNG = 95_900;

describe('WeChat location → InboundLocation (GCJ-02 in, WGS-84 for routing)', () => {
  it('keeps the point in GCJ-02 with its address and place name', () => {
    expect(
      toInboundLocation({
        latitude: 30.586537,
        longitude: 114.262414,
        address: '湖北省武汉市江汉区万松园路',
        name: '中山公园',
        accuracy: 15,
      }),
    ).toEqual({
      lat: 30.586537,
      lng: 114.262414,
      crs: 'gcj02',
      address: '湖北省武汉市江汉区万松园路',
      title: '中山公园',
    });
    expect(toInboundLocation({ latitude: 30.58, longitude: 114.29, address: ' ', name: '江汉关' })).toMatchObject({
      address: '江汉关',
    });
    expect(toInboundLocation({ latitude: 30.58, longitude: 114.29 })).toEqual({
      lat: 30.58,
      lng: 114.29,
      crs: 'gcj02',
    });
  });

  it('converts a GCJ-02 point in 万松街道 back to WGS-84 (≈520 m west, ≈270 m north) and routes it to 万松街道', () => {
    const loc = toInboundLocation({ latitude: 30.586537, longitude: 114.262414, address: '湖北省武汉市江汉区' })!;
    const wgs = toWgs84(loc, loc.crs);
    expect(wgs.lat).toBeCloseTo(30.589, 5);
    expect(wgs.lng).toBeCloseTo(114.257, 5);
    // The standard GCJ-02 offset in Wuhan: GCJ lies ~520 m east and ~270 m south of WGS-84.
    expect((loc.lng - wgs.lng) * M_PER_DEG_LNG).toBeGreaterThan(480);
    expect((loc.lng - wgs.lng) * M_PER_DEG_LNG).toBeLessThan(560);
    expect((wgs.lat - loc.lat) * M_PER_DEG_LAT).toBeGreaterThan(240);
    expect((wgs.lat - loc.lat) * M_PER_DEG_LAT).toBeLessThan(300);
    expect(j.locatePoint(loc, loc.crs).street).toBe('万松街道');
    // Read as if it were WGS-84, the same numbers would land in the wrong street.
    expect(j.locatePoint({ lat: loc.lat, lng: loc.lng }).street).toBe('满春街道');
  });

  it('routes other known points sent from WeChat to their streets', () => {
    for (const [name, wgs, street, wrongIfUnconverted] of [
      ['中山公园', { lat: 30.593, lng: 114.26 }, '万松街道', null],
      ['江汉关', { lat: 30.58, lng: 114.288 }, '花楼水塔街道', null],
      ['万松街道北缘', { lat: 30.604, lng: 114.251 }, '万松街道', '北湖街道'],
      ['民意街道东缘', { lat: 30.58, lng: 114.275 }, '民意街道', '民权街道'],
    ] as const) {
      const g = wgs84ToGcj02(wgs);
      const loc = toInboundLocation({ latitude: g.lat, longitude: g.lng })!;
      expect(j.locatePoint(loc, loc.crs).street, name).toBe(street);
      if (wrongIfUnconverted)
        expect(j.locatePoint({ lat: loc.lat, lng: loc.lng }).street, name).toBe(wrongIfUnconverted);
    }
  });

  it('refuses points that are no coordinates', () => {
    expect(toInboundLocation({ latitude: 0, longitude: 0 })).toBeNull();
    expect(toInboundLocation({ latitude: Number.NaN, longitude: 114.26 })).toBeNull();
    expect(toInboundLocation({ latitude: 95, longitude: 114.26 })).toBeNull();
  });
});

describe('parseLocationText (the web protocol hands over text)', () => {
  it('takes the address line and a Tencent Maps coordinate when present', () => {
    const r = parseLocationText(
      '江汉区万松园路:\n/cgi-bin/mmwebwx-bin/webwxgetpubliclinkimg?url=x&msgid=1&pictype=location\nhttp://apis.map.qq.com/uri/v1/geocoder?coord=30.586537,114.262414',
    );
    expect(r.address).toBe('江汉区万松园路');
    expect(r.location).toEqual({ lat: 30.586537, lng: 114.262414, crs: 'gcj02', address: '江汉区万松园路' });
  });
  it('gives the address alone when no point is there', () => {
    expect(parseLocationText('江汉区青年路:\n/cgi-bin/mmwebwx-bin/webwxgetpubliclinkimg?pictype=location')).toEqual({
      location: null,
      address: '江汉区青年路',
    });
    expect(parseLocationText('/cgi-bin/mmwebwx-bin/webwxgetpubliclinkimg')).toEqual({ location: null, address: null });
  });
});
