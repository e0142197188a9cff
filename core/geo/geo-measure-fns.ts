import type { LatLng } from './geo-types.ts';

/*
 * Small-area measurements. At district scale (≤ 10 km) an equirectangular projection
 * around the point of interest is accurate to well under a metre, and much simpler
 * than geodesic formulas.
 */

const EARTH_RADIUS_M = 6371008.8;
const RAD = Math.PI / 180;

/** Great-circle distance in metres (haversine). */
export function distanceM(a: LatLng, b: LatLng): number {
  const dLat = (b.lat - a.lat) * RAD;
  const dLng = (b.lng - a.lng) * RAD;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a.lat * RAD) * Math.cos(b.lat * RAD) * Math.sin(dLng / 2) ** 2;
  return 2 * EARTH_RADIUS_M * Math.asin(Math.min(1, Math.sqrt(h)));
}

/** Metres east and north of `origin` (local equirectangular projection). */
export function toLocalM(origin: LatLng, p: LatLng): { x: number; y: number } {
  return {
    x: (p.lng - origin.lng) * RAD * EARTH_RADIUS_M * Math.cos(origin.lat * RAD),
    y: (p.lat - origin.lat) * RAD * EARTH_RADIUS_M,
  };
}

/** Distance in metres from `p` to the segment a–b (all [lng, lat]). */
export function distanceToSegmentM(p: LatLng, a: readonly number[], b: readonly number[]): number {
  const A = toLocalM(p, { lng: a[0]!, lat: a[1]! });
  const B = toLocalM(p, { lng: b[0]!, lat: b[1]! });
  const dx = B.x - A.x;
  const dy = B.y - A.y;
  const len2 = dx * dx + dy * dy;
  const t = len2 === 0 ? 0 : Math.max(0, Math.min(1, -(A.x * dx + A.y * dy) / len2));
  return Math.hypot(A.x + t * dx, A.y + t * dy);
}

/** Distance in metres from `p` to the nearest edge of any ring. */
export function distanceToRingsM(p: LatLng, rings: ReadonlyArray<ReadonlyArray<readonly number[]>>): number {
  let best = Infinity;
  for (const ring of rings) {
    for (let i = 0; i + 1 < ring.length; i++) best = Math.min(best, distanceToSegmentM(p, ring[i]!, ring[i + 1]!));
  }
  return best;
}

/** Area in km² of a ring of [lng, lat] (shoelace on a local projection; sign dropped). */
export function ringAreaKm2(ring: ReadonlyArray<readonly number[]>): number {
  if (ring.length < 3) return 0;
  const origin = { lng: ring[0]![0]!, lat: ring[0]![1]! };
  let twice = 0;
  for (let i = 0; i + 1 < ring.length; i++) {
    const a = toLocalM(origin, { lng: ring[i]![0]!, lat: ring[i]![1]! });
    const b = toLocalM(origin, { lng: ring[i + 1]![0]!, lat: ring[i + 1]![1]! });
    twice += a.x * b.y - b.x * a.y;
  }
  return Math.abs(twice) / 2 / 1e6;
}
