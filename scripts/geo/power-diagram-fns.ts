/*
 * Geometry for building approximate street areas: a power diagram (weighted Voronoi) of
 * hand-placed sites, clipped to the district outline, with the cells of one street merged.
 * Works in a local metric plane (metres east/north of an origin). Dev-time only.
 */

export type Pt = [number, number];

export interface Site {
  street: string;
  x: number;
  y: number;
}

/** Sutherland–Hodgman: keeps the part of `poly` where a·p ≤ c. Non-convex input may gain
 * zero-width bridges along the clip line when it splits; mergeCells removes them. */
export function clipHalfPlane(poly: Pt[], ax: number, ay: number, c: number): Pt[] {
  const out: Pt[] = [];
  const n = poly.length;
  for (let i = 0; i < n; i++) {
    const p = poly[i]!;
    const q = poly[(i + 1) % n]!;
    const fp = ax * p[0] + ay * p[1] - c;
    const fq = ax * q[0] + ay * q[1] - c;
    if (fp <= 0) out.push(p);
    if ((fp < 0 && fq > 0) || (fp > 0 && fq < 0)) {
      const t = fp / (fp - fq);
      out.push([p[0] + t * (q[0] - p[0]), p[1] + t * (q[1] - p[1])]);
    }
  }
  return out;
}

/** Power cell of site i: points where |x−pᵢ|² − wᵢ ≤ |x−pⱼ|² − wⱼ for every j. */
export function powerCell(outline: Pt[], sites: Site[], weights: number[], i: number): Pt[] {
  let poly = outline;
  const pi = sites[i]!;
  for (let j = 0; j < sites.length && poly.length > 0; j++) {
    if (j === i) continue;
    const pj = sites[j]!;
    const ax = 2 * (pj.x - pi.x);
    const ay = 2 * (pj.y - pi.y);
    const c = pj.x * pj.x + pj.y * pj.y - pi.x * pi.x - pi.y * pi.y - weights[j]! + weights[i]!;
    poly = clipHalfPlane(poly, ax, ay, c);
  }
  return poly;
}

export function signedArea(ring: Pt[]): number {
  let a = 0;
  for (let i = 0; i < ring.length; i++) {
    const p = ring[i]!;
    const q = ring[(i + 1) % ring.length]!;
    a += p[0] * q[1] - q[0] * p[1];
  }
  return a / 2;
}
