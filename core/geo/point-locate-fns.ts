import { booleanPointInPolygon } from '@turf/boolean-point-in-polygon';
import type { Feature, MultiPolygon, Polygon } from 'geojson';
import type { LatLng, StreetLocation } from './geo-types.ts';
import type { NeighbourEntry } from './jurisdiction-data-types.ts';
import { distanceM, distanceToRingsM } from './geo-measure-fns.ts';

/*
 * A WGS-84 point → street, by point-in-polygon against the street areas, after checking
 * the district outline. A point outside gets the neighbouring district of its nearest
 * anchor point: a rough guess by direction, said to be one.
 */

export interface AreaShape {
  name: string;
  code: string | null;
  feature: Feature<Polygon | MultiPolygon>;
  /** [minLng, minLat, maxLng, maxLat] for a cheap first test. */
  bbox: [number, number, number, number];
}

export interface PointIndex {
  streets: AreaShape[];
  outline: AreaShape[];
  neighbours: NeighbourEntry[];
  /** The street areas are approximate (not official boundaries). */
  approximate: boolean;
}

/** Beyond this distance from every neighbour anchor, naming a neighbour would be a guess too far. */
const NEIGHBOUR_MAX_M = 6000;
/** Closer than this to another street's area, the reason warns that the boundary is near. */
const NEAR_EDGE_M = 120;

export function shapeOf(name: string, code: string | null, feature: Feature<Polygon | MultiPolygon>): AreaShape {
  let minLng = Infinity,
    minLat = Infinity,
    maxLng = -Infinity,
    maxLat = -Infinity;
  for (const ring of ringsOf(feature)) {
    for (const [lng, lat] of ring as number[][]) {
      minLng = Math.min(minLng, lng!);
      maxLng = Math.max(maxLng, lng!);
      minLat = Math.min(minLat, lat!);
      maxLat = Math.max(maxLat, lat!);
    }
  }
  return { name, code, feature, bbox: [minLng, minLat, maxLng, maxLat] };
}

export function ringsOf(feature: Feature<Polygon | MultiPolygon>): number[][][] {
  const g = feature.geometry;
  return g.type === 'Polygon' ? g.coordinates : g.coordinates.flat();
}

function contains(shape: AreaShape, p: LatLng): boolean {
  const [a, b, c, d] = shape.bbox;
  if (p.lng < a || p.lng > c || p.lat < b || p.lat > d) return false;
  return booleanPointInPolygon([p.lng, p.lat], shape.feature);
}

function nearestNeighbour(neighbours: NeighbourEntry[], p: LatLng): { name: string; dist: number } | null {
  let best: { name: string; dist: number } | null = null;
  for (const n of neighbours) {
    for (const [lng, lat] of n.anchors) {
      const dist = distanceM(p, { lng, lat });
      if (!best || dist < best.dist) best = { name: n.name, dist };
    }
  }
  return best;
}

function result(partial: Partial<StreetLocation> & { reason: string }): StreetLocation {
  return {
    street: null,
    streetCode: null,
    method: 'point',
    outsideDistrict: false,
    neighbour: null,
    candidates: [],
    evidence: null,
    ...partial,
  };
}

export function locateWgsPoint(idx: PointIndex, p: LatLng): StreetLocation {
  const evidence = `${p.lat.toFixed(6)},${p.lng.toFixed(6)} (WGS-84)`;
  if (idx.outline.length > 0 && !idx.outline.some((o) => contains(o, p))) {
    const n = nearestNeighbour(idx.neighbours, p);
    if (!n || n.dist > NEIGHBOUR_MAX_M) {
      return result({ outsideDistrict: true, evidence, reason: '该位置不在江汉区范围内' });
    }
    return result({
      outsideDistrict: true,
      neighbour: n.name,
      evidence,
      reason: `该位置不在江汉区范围内，疑似属${n.name}（按方位粗略估计）`,
    });
  }
  const approx = idx.approximate ? '（街道边界为近似划分）' : '';
  const hits = idx.streets.filter((s) => contains(s, p));
  if (hits.length >= 1) {
    const hit = hits[0]!;
    const near = idx.streets
      .filter((s) => s !== hit)
      .map((s) => ({ s, d: distanceToRingsM(p, ringsOf(s.feature)) }))
      .filter((x) => x.d < NEAR_EDGE_M)
      .sort((a, b) => a.d - b.d)[0];
    const edge = near && idx.approximate ? `，靠近与${near.s.name}的边界` : '';
    return result({
      street: hit.name,
      streetCode: hit.code,
      evidence,
      approximate: idx.approximate,
      reason: `定位点位于${hit.name}${edge}${approx}`,
    });
  }
  // Inside the district but in no street area (a sliver between approximate shapes).
  const nearest = idx.streets
    .map((s) => ({ s, d: distanceToRingsM(p, ringsOf(s.feature)) }))
    .sort((a, b) => a.d - b.d)[0];
  if (!nearest) return result({ evidence, reason: '该位置在江汉区内，但没有街道区域数据可供判断' });
  return result({
    street: nearest.s.name,
    streetCode: nearest.s.code,
    evidence,
    approximate: true,
    reason: `定位点在江汉区内，距其最近的街道区域为${nearest.s.name}（约${Math.round(nearest.d)}米）${approx}`,
  });
}
