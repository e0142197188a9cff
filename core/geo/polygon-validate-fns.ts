import type { MultiPolygon, Polygon, Position } from 'geojson';

/*
 * Checks that a (Multi)Polygon is usable for point-in-polygon: closed rings of finite,
 * in-range positions, no self-intersecting edges, non-zero area. Returns readable problems
 * rather than throwing, so an import can list everything wrong at once.
 */

function signedArea(ring: Position[]): number {
  let a = 0;
  for (let i = 0; i + 1 < ring.length; i++) a += ring[i]![0]! * ring[i + 1]![1]! - ring[i + 1]![0]! * ring[i]![1]!;
  return a / 2;
}

function segmentsCross(p1: Position, p2: Position, q1: Position, q2: Position): boolean {
  const d = (a: Position, b: Position, c: Position) =>
    (b[0]! - a[0]!) * (c[1]! - a[1]!) - (b[1]! - a[1]!) * (c[0]! - a[0]!);
  const d1 = d(q1, q2, p1);
  const d2 = d(q1, q2, p2);
  const d3 = d(p1, p2, q1);
  const d4 = d(p1, p2, q2);
  return ((d1 > 0 && d2 < 0) || (d1 < 0 && d2 > 0)) && ((d3 > 0 && d4 < 0) || (d3 < 0 && d4 > 0));
}

export function ringProblems(ring: unknown, label: string): string[] {
  if (!Array.isArray(ring)) return [`${label}: ring is not an array`];
  const pts = ring as Position[];
  if (pts.length < 4) return [`${label}: ring has ${pts.length} positions (need ≥ 4)`];
  for (const [i, p] of pts.entries()) {
    if (!Array.isArray(p) || p.length < 2 || !p.slice(0, 2).every((v) => typeof v === 'number' && Number.isFinite(v))) {
      return [`${label}: position ${i} is not [lng, lat] numbers`];
    }
    if (Math.abs(p[0]!) > 180 || Math.abs(p[1]!) > 90)
      return [`${label}: position ${i} out of range (${p[0]}, ${p[1]})`];
  }
  const problems: string[] = [];
  const first = pts[0]!;
  const last = pts[pts.length - 1]!;
  if (first[0] !== last[0] || first[1] !== last[1]) problems.push(`${label}: ring is not closed`);
  if (signedArea(pts) === 0) problems.push(`${label}: ring has zero area`);
  const n = pts.length - 1;
  for (let i = 0; i < n && problems.length < 3; i++) {
    for (let k = i + 2; k < n; k++) {
      if (i === 0 && k === n - 1) continue; // adjacent through the closing point
      if (segmentsCross(pts[i]!, pts[i + 1]!, pts[k]!, pts[k + 1]!)) {
        problems.push(`${label}: edges ${i} and ${k} cross (self-intersection)`);
        break;
      }
    }
  }
  return problems;
}

export function geometryProblems(geometry: unknown, label: string): string[] {
  const g = geometry as Polygon | MultiPolygon | null;
  if (!g || (g.type !== 'Polygon' && g.type !== 'MultiPolygon')) {
    return [
      `${label}: geometry must be Polygon or MultiPolygon, got ${String((g as { type?: unknown } | null)?.type)}`,
    ];
  }
  if (!Array.isArray(g.coordinates) || g.coordinates.length === 0) return [`${label}: no coordinates`];
  const polys = g.type === 'Polygon' ? [g.coordinates] : g.coordinates;
  return polys.flatMap((rings, pi) =>
    Array.isArray(rings) && rings.length > 0
      ? rings.flatMap((r, ri) => ringProblems(r, `${label} polygon ${pi} ring ${ri}`))
      : [`${label} polygon ${pi}: no rings`],
  );
}

/** RFC 7946 winding: outer rings counter-clockwise, holes clockwise. */
export function rewindPolygon(rings: Position[][]): Position[][] {
  return rings.map((r, i) => {
    const ccw = signedArea(r) > 0;
    return (i === 0) === ccw ? r : [...r].reverse();
  });
}
