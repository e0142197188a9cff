import { signedArea, type Pt } from './power-diagram-fns.ts';

/*
 * Merges the power-diagram cells of one street into its polygon(s). Cells from one diagram
 * share their edges exactly (up to rounding), so the union is found by edge cancellation.
 */

/** Vertex registry that treats points closer than `tol` metres as one. */
class Vertices {
  readonly pts: Pt[] = [];
  private readonly grid = new Map<string, number[]>();
  constructor(private readonly tol: number) {}
  id(p: Pt): number {
    const gx = Math.floor(p[0] / this.tol);
    const gy = Math.floor(p[1] / this.tol);
    for (let dx = -1; dx <= 1; dx++) {
      for (let dy = -1; dy <= 1; dy++) {
        for (const k of this.grid.get(`${gx + dx},${gy + dy}`) ?? []) {
          const q = this.pts[k]!;
          if (Math.hypot(q[0] - p[0], q[1] - p[1]) <= this.tol) return k;
        }
      }
    }
    const k = this.pts.length;
    this.pts.push([p[0], p[1]]);
    const key = `${gx},${gy}`;
    this.grid.set(key, [...(this.grid.get(key) ?? []), k]);
    return k;
  }
}

/**
 * Union of cells that share edges (they come from one diagram, so shared edges coincide):
 * split every edge at the vertices lying on it, cancel edges traversed both ways (shared
 * edges and clipping bridges), and chain what is left into rings (outer CCW, holes CW).
 */
export function mergeCells(cells: Pt[][], tol = 0.01): Pt[][][] {
  const V = new Vertices(tol);
  const edges: Array<[number, number]> = [];
  for (const cell of cells) {
    if (cell.length < 3 || Math.abs(signedArea(cell)) < 1) continue;
    const ids = cell.map((p) => V.id(p));
    for (let i = 0; i < ids.length; i++) {
      const a = ids[i]!;
      const b = ids[(i + 1) % ids.length]!;
      if (a !== b) edges.push([a, b]);
    }
  }
  const split: Array<[number, number]> = [];
  for (const [a, b] of edges) {
    const A = V.pts[a]!;
    const B = V.pts[b]!;
    const dx = B[0] - A[0];
    const dy = B[1] - A[1];
    const len = Math.hypot(dx, dy);
    const on: Array<[number, number]> = [];
    V.pts.forEach((P, k) => {
      if (k === a || k === b) return;
      const t = ((P[0] - A[0]) * dx + (P[1] - A[1]) * dy) / (len * len);
      if (t <= 0 || t >= 1) return;
      const dist = Math.abs((P[0] - A[0]) * dy - (P[1] - A[1]) * dx) / len;
      if (dist <= tol) on.push([t, k]);
    });
    on.sort((u, v) => u[0] - v[0]);
    let prev = a;
    for (const [, k] of on) {
      split.push([prev, k]);
      prev = k;
    }
    split.push([prev, b]);
  }
  const net = new Map<string, number>();
  for (const [a, b] of split) {
    const key = a < b ? `${a},${b}` : `${b},${a}`;
    net.set(key, (net.get(key) ?? 0) + (a < b ? 1 : -1));
  }
  const out = new Map<number, number[]>();
  for (const [key, n] of net) {
    if (n === 0) continue;
    const [u, v] = key.split(',').map(Number) as [number, number];
    const [a, b] = n > 0 ? [u, v] : [v, u];
    out.set(a, [...(out.get(a) ?? []), b]);
  }
  const rings: Pt[][] = [];
  for (const start of [...out.keys()]) {
    while ((out.get(start)?.length ?? 0) > 0) {
      const ring: number[] = [start];
      let cur = out.get(start)!.pop()!;
      while (cur !== start) {
        ring.push(cur);
        const nexts = out.get(cur);
        if (!nexts || nexts.length === 0) break;
        cur = nexts.pop()!;
      }
      if (ring.length >= 3)
        rings.push(
          dropCollinear(
            ring.map((k) => V.pts[k]!),
            tol,
          ),
        );
    }
  }
  const outers = rings.filter((r) => signedArea(r) > 0);
  const holes = rings.filter((r) => signedArea(r) < 0);
  const polygons: Pt[][][] = outers.map((r) => [r]);
  for (const h of holes) {
    const owner = polygons.find((p) => pointInRing(h[0]!, p[0]!));
    if (owner) owner.push(h);
  }
  return polygons;
}

function dropCollinear(ring: Pt[], tol: number): Pt[] {
  const out: Pt[] = [];
  const n = ring.length;
  for (let i = 0; i < n; i++) {
    const a = ring[(i - 1 + n) % n]!;
    const b = ring[i]!;
    const c = ring[(i + 1) % n]!;
    const cross = (b[0] - a[0]) * (c[1] - a[1]) - (b[1] - a[1]) * (c[0] - a[0]);
    const len = Math.hypot(c[0] - a[0], c[1] - a[1]) || 1;
    if (Math.abs(cross) / len > tol / 10) out.push(b);
  }
  return out;
}

export function pointInRing(p: Pt, ring: Pt[]): boolean {
  let inside = false;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const a = ring[i]!;
    const b = ring[j]!;
    if (a[1] > p[1] !== b[1] > p[1] && p[0] < ((b[0] - a[0]) * (p[1] - a[1])) / (b[1] - a[1]) + a[0]) inside = !inside;
  }
  return inside;
}
