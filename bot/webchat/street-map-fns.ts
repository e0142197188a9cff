import type { StreetCollection } from '../../core/geo/jurisdiction-data-types.ts';
import type { LatLng } from '../../core/geo/geo-types.ts';

/**
 * The district map of the web chat, drawn from the street polygons (no tiles, no internet).
 * Equirectangular with the longitude scaled by cos(mid latitude): over a district 8 km across
 * the distortion is far below the polygons' own uncertainty. The page turns a click back into
 * WGS-84 with the same numbers (data attributes on the <svg>).
 */
export interface MapProjection {
  minLng: number;
  maxLat: number;
  /** SVG units per degree of longitude and of latitude. */
  kx: number;
  ky: number;
  width: number;
  height: number;
}

export interface MapStreet {
  name: string;
  d: string;
  /** A point well inside the street (for its label and for tests to click). */
  label: { x: number; y: number };
  fontSize: number;
}

export interface StreetMap {
  projection: MapProjection;
  streets: MapStreet[];
  approximate: boolean;
}

type Ring = number[][];
type Pt = [number, number];

export function project(p: MapProjection, point: LatLng): Pt {
  return [(point.lng - p.minLng) * p.kx, (p.maxLat - point.lat) * p.ky];
}

export function unproject(p: MapProjection, x: number, y: number): LatLng {
  return { lat: p.maxLat - y / p.ky, lng: p.minLng + x / p.kx };
}

function polygonsOf(geometry: { type: string; coordinates: unknown }): Ring[][] {
  if (geometry.type === 'Polygon') return [geometry.coordinates as Ring[]];
  if (geometry.type === 'MultiPolygon') return geometry.coordinates as Ring[][];
  return [];
}

function insideRing(pt: Pt, ring: Pt[]): boolean {
  let inside = false;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const [xi, yi] = ring[i]!;
    const [xj, yj] = ring[j]!;
    if (yi > pt[1] !== yj > pt[1] && pt[0] < ((xj - xi) * (pt[1] - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

function edgeDistance(pt: Pt, rings: Pt[][]): number {
  let best = Infinity;
  for (const ring of rings) {
    for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
      const [ax, ay] = ring[j]!;
      const [bx, by] = ring[i]!;
      const dx = bx - ax;
      const dy = by - ay;
      const t = dx || dy ? Math.max(0, Math.min(1, ((pt[0] - ax) * dx + (pt[1] - ay) * dy) / (dx * dx + dy * dy))) : 0;
      best = Math.min(best, Math.hypot(pt[0] - ax - t * dx, pt[1] - ay - t * dy));
    }
  }
  return best;
}

/** The grid point deepest inside the polygon (a coarse pole of inaccessibility). */
function interiorPoint(rings: Pt[][], steps = 40): { x: number; y: number; depth: number } {
  const outer = rings[0]!;
  const xs = outer.map((p) => p[0]);
  const ys = outer.map((p) => p[1]);
  const [x0, x1, y0, y1] = [Math.min(...xs), Math.max(...xs), Math.min(...ys), Math.max(...ys)];
  let best = { x: (x0 + x1) / 2, y: (y0 + y1) / 2, depth: -1 };
  for (let i = 1; i < steps; i++) {
    for (let j = 1; j < steps; j++) {
      const pt: Pt = [x0 + ((x1 - x0) * i) / steps, y0 + ((y1 - y0) * j) / steps];
      if (!insideRing(pt, outer) || rings.slice(1).some((h) => insideRing(pt, h))) continue;
      const depth = edgeDistance(pt, rings);
      if (depth > best.depth) best = { x: pt[0], y: pt[1], depth };
    }
  }
  return best;
}

const r1 = (v: number) => Math.round(v * 10) / 10;
const shortName = (name: string) => name.replace(/街道$/, '');

export function buildStreetMap(collection: StreetCollection, width = 1000, pad = 12): StreetMap {
  const polygons = collection.features.map((f) => polygonsOf(f.geometry));
  const all = polygons.flat(3);
  const lngs = all.map((p) => p[0]!);
  const lats = all.map((p) => p[1]!);
  const [minLng, maxLng, minLat, maxLat] = [Math.min(...lngs), Math.max(...lngs), Math.min(...lats), Math.max(...lats)];
  const cos = Math.cos((((minLat + maxLat) / 2) * Math.PI) / 180);
  const ky = (width - 2 * pad) / ((maxLng - minLng) * cos);
  const kx = ky * cos;
  // The padding is folded into the origin so project() stays a plain linear map.
  const projection: MapProjection = {
    minLng: minLng - pad / kx,
    maxLat: maxLat + pad / ky,
    kx,
    ky,
    width,
    height: Math.ceil((maxLat - minLat) * ky + 2 * pad),
  };
  const streets = collection.features.map((f, i) => {
    const projected = polygons[i]!.map((poly) =>
      poly.map((ring) => ring.map((c) => project(projection, { lng: c[0]!, lat: c[1]! }))),
    );
    const d = projected
      .flat()
      .map((ring) => `M${ring.map((p) => `${r1(p[0])},${r1(p[1])}`).join('L')}Z`)
      .join('');
    const candidates = projected.map((rings) => interiorPoint(rings));
    const deepest = candidates.reduce((a, b) => (b.depth > a.depth ? b : a));
    const name = String(f.properties.name);
    // As large as the street's inner circle allows the short name (街道 dropped), read on a phone.
    const chars = shortName(name).length;
    const fontSize = Math.round(Math.max(18, Math.min(40, deepest.depth * 0.8, (deepest.depth * 1.9) / chars)));
    return { name, d, label: { x: r1(deepest.x), y: r1(deepest.y) }, fontSize };
  });
  return { projection, streets, approximate: collection.features.some((f) => f.properties.approximate !== false) };
}

const esc = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** The map as inline SVG; the page's script adds the marker and the click handling. */
export function renderStreetMapSvg(map: StreetMap, title: string): string {
  const p = map.projection;
  const paths = map.streets
    .map((s) => `<path class="street" data-street="${esc(s.name)}" d="${s.d}"><title>${esc(s.name)}</title></path>`)
    .join('');
  const labels = map.streets
    .map(
      (s) =>
        `<text class="street-label" x="${s.label.x}" y="${s.label.y}" font-size="${s.fontSize}" text-anchor="middle" dominant-baseline="middle">${esc(shortName(s.name))}</text>`,
    )
    .join('');
  return `<svg class="district-map" viewBox="0 0 ${p.width} ${p.height}" xmlns="http://www.w3.org/2000/svg" role="img" aria-label="${esc(title)}" data-min-lng="${p.minLng}" data-max-lat="${p.maxLat}" data-kx="${p.kx}" data-ky="${p.ky}"><title>${esc(title)}</title><g class="streets">${paths}</g><g class="labels" aria-hidden="true">${labels}</g><g class="marker"><circle r="14"/><path d="M-24,0H-8M8,0H24M0,-24V-8M0,8V24"/></g></svg>`;
}
