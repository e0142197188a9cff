import type { Crs, LatLng } from './geo-types.ts';

/*
 * WGS-84 ⇄ GCJ-02 ⇄ BD-09, the standard published formulas (the same constants as
 * the widely used coordtransform / eviltransform libraries). GCJ-02 has no closed-form
 * inverse, so GCJ→WGS iterates the forward transform until it lands within a few
 * millimetres; a single-step inverse is off by up to ~1 m, which matters on street edges.
 */

const PI = Math.PI;
const X_PI = (PI * 3000.0) / 180.0;
/** Krasovsky 1940 semi-major axis and eccentricity², as the GCJ-02 algorithm uses them. */
const A = 6378245.0;
const EE = 0.006693421622965943;

/** Throws RangeError unless the point is a finite latitude/longitude in range. */
export function assertValidLatLng(point: LatLng, what = '坐标'): void {
  const { lat, lng } = point ?? ({} as LatLng);
  if (typeof lat !== 'number' || typeof lng !== 'number' || Number.isNaN(lat) || Number.isNaN(lng)) {
    throw new RangeError(`${what}无效：纬度/经度必须是数字 (lat=${String(lat)}, lng=${String(lng)})`);
  }
  if (!Number.isFinite(lat) || lat < -90 || lat > 90) {
    throw new RangeError(`${what}无效：纬度 ${lat} 超出 [-90, 90]`);
  }
  if (!Number.isFinite(lng) || lng < -180 || lng > 180) {
    throw new RangeError(`${what}无效：经度 ${lng} 超出 [-180, 180]`);
  }
}

/** GCJ-02 only shifts points inside (a bounding box of) China; elsewhere it is the identity. */
export function outOfChina(p: LatLng): boolean {
  return p.lng < 72.004 || p.lng > 137.8347 || p.lat < 0.8293 || p.lat > 55.8271;
}

function transformLat(x: number, y: number): number {
  let ret = -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * Math.sqrt(Math.abs(x));
  ret += ((20.0 * Math.sin(6.0 * x * PI) + 20.0 * Math.sin(2.0 * x * PI)) * 2.0) / 3.0;
  ret += ((20.0 * Math.sin(y * PI) + 40.0 * Math.sin((y / 3.0) * PI)) * 2.0) / 3.0;
  ret += ((160.0 * Math.sin((y / 12.0) * PI) + 320 * Math.sin((y * PI) / 30.0)) * 2.0) / 3.0;
  return ret;
}

function transformLng(x: number, y: number): number {
  let ret = 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * Math.sqrt(Math.abs(x));
  ret += ((20.0 * Math.sin(6.0 * x * PI) + 20.0 * Math.sin(2.0 * x * PI)) * 2.0) / 3.0;
  ret += ((20.0 * Math.sin(x * PI) + 40.0 * Math.sin((x / 3.0) * PI)) * 2.0) / 3.0;
  ret += ((150.0 * Math.sin((x / 12.0) * PI) + 300.0 * Math.sin((x / 30.0) * PI)) * 2.0) / 3.0;
  return ret;
}

function gcjOffset(p: LatLng): LatLng {
  let dLat = transformLat(p.lng - 105.0, p.lat - 35.0);
  let dLng = transformLng(p.lng - 105.0, p.lat - 35.0);
  const radLat = (p.lat / 180.0) * PI;
  let magic = Math.sin(radLat);
  magic = 1 - EE * magic * magic;
  const sqrtMagic = Math.sqrt(magic);
  dLat = (dLat * 180.0) / (((A * (1 - EE)) / (magic * sqrtMagic)) * PI);
  dLng = (dLng * 180.0) / ((A / sqrtMagic) * Math.cos(radLat) * PI);
  return { lat: dLat, lng: dLng };
}

export function wgs84ToGcj02(p: LatLng): LatLng {
  assertValidLatLng(p);
  if (outOfChina(p)) return { lat: p.lat, lng: p.lng };
  const d = gcjOffset(p);
  return { lat: p.lat + d.lat, lng: p.lng + d.lng };
}

/** Iterative inverse: converges in a handful of steps to < 1e-9° (~0.1 mm). */
export function gcj02ToWgs84(p: LatLng): LatLng {
  assertValidLatLng(p);
  if (outOfChina(p)) return { lat: p.lat, lng: p.lng };
  let guess: LatLng = { lat: p.lat, lng: p.lng };
  for (let i = 0; i < 30; i++) {
    const fwd = wgs84ToGcj02(guess);
    const eLat = fwd.lat - p.lat;
    const eLng = fwd.lng - p.lng;
    guess = { lat: guess.lat - eLat, lng: guess.lng - eLng };
    if (Math.abs(eLat) < 1e-10 && Math.abs(eLng) < 1e-10) break;
  }
  return guess;
}

export function gcj02ToBd09(p: LatLng): LatLng {
  assertValidLatLng(p);
  const { lng: x, lat: y } = p;
  const z = Math.sqrt(x * x + y * y) + 0.00002 * Math.sin(y * X_PI);
  const theta = Math.atan2(y, x) + 0.000003 * Math.cos(x * X_PI);
  return { lng: z * Math.cos(theta) + 0.0065, lat: z * Math.sin(theta) + 0.006 };
}

export function bd09ToGcj02(p: LatLng): LatLng {
  assertValidLatLng(p);
  const x = p.lng - 0.0065;
  const y = p.lat - 0.006;
  const z = Math.sqrt(x * x + y * y) - 0.00002 * Math.sin(y * X_PI);
  const theta = Math.atan2(y, x) - 0.000003 * Math.cos(x * X_PI);
  return { lng: z * Math.cos(theta), lat: z * Math.sin(theta) };
}

export function wgs84ToBd09(p: LatLng): LatLng {
  return gcj02ToBd09(wgs84ToGcj02(p));
}

export function bd09ToWgs84(p: LatLng): LatLng {
  return gcj02ToWgs84(bd09ToGcj02(p));
}

/** Any supported CRS → WGS-84 (what everything stored uses). Validates first. */
export function toWgs84(p: LatLng, crs: Crs = 'wgs84'): LatLng {
  assertValidLatLng(p);
  switch (crs) {
    case 'wgs84':
      return { lat: p.lat, lng: p.lng };
    case 'gcj02':
      return gcj02ToWgs84(p);
    case 'bd09':
      return bd09ToWgs84(p);
    default:
      throw new RangeError(`未知坐标系：${String(crs)}（应为 wgs84、gcj02 或 bd09）`);
  }
}

/** WGS-84 → any supported CRS (for showing a stored point on a Chinese map). */
export function fromWgs84(p: LatLng, crs: Crs = 'wgs84'): LatLng {
  assertValidLatLng(p);
  switch (crs) {
    case 'wgs84':
      return { lat: p.lat, lng: p.lng };
    case 'gcj02':
      return wgs84ToGcj02(p);
    case 'bd09':
      return wgs84ToBd09(p);
    default:
      throw new RangeError(`未知坐标系：${String(crs)}（应为 wgs84、gcj02 或 bd09）`);
  }
}
