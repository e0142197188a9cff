/*
 * Builds prisma/data/streets.geojson: APPROXIMATE areas of the 12 streets of 江汉区.
 *
 *   npx tsx scripts/geo/build-streets.ts
 *
 * No street boundary polygons are public, so this is an estimate, documented as such:
 *  1. Sites: a few hand-placed WGS-84 points per street (street-sites.ts), put where the
 *     gazetteer facts and general knowledge of Hankou place its communities, boundary
 *     roads and landmarks.
 *  2. A power diagram (Voronoi with one weight per street) of all sites, each cell
 *     clipped to the district outline (prisma/data/district-outline.geojson), so the
 *     streets tile the outline exactly: no gaps, no overlaps.
 *  3. The weights are fitted so each street's area approaches a rough target (known
 *     figures for 北湖 1.78 km² and 前进 0.32 km²; the rest are estimates), because
 *     sites alone make small old-city streets too big.
 *  4. Cells of one street are merged into its (Multi)Polygon.
 * Replace the result with official boundaries through scripts/geo-import.ts.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { mergeCells, pointInRing } from './cell-merge-fns.ts';
import { powerCell, signedArea, type Pt, type Site } from './power-diagram-fns.ts';
import { KNOWN_KM2, SITES, TARGET_KM2 } from './street-sites.ts';

const DATA = new URL('../../prisma/data/', import.meta.url);
const RAD = Math.PI / 180;
const R = 6371008.8;

const outlineFc = JSON.parse(readFileSync(new URL('district-outline.geojson', DATA), 'utf8'));
const gazetteer = JSON.parse(readFileSync(new URL('gazetteer.json', DATA), 'utf8')) as {
  streets: Array<{ name: string; code: string; staff?: number }>;
};
const ringLL = outlineFc.features[0].geometry.coordinates[0][0] as Pt[];
const origin = { lng: 114.255, lat: 30.605 };
const toXY = ([lng, lat]: Pt): Pt => [
  (lng - origin.lng) * RAD * R * Math.cos(origin.lat * RAD),
  (lat - origin.lat) * RAD * R,
];
const toLL = ([x, y]: Pt): Pt => [
  +(origin.lng + x / (RAD * R * Math.cos(origin.lat * RAD))).toFixed(7),
  +(origin.lat + y / (RAD * R)).toFixed(7),
];

let outline = ringLL.slice(0, -1).map(toXY);
if (signedArea(outline) < 0) outline = outline.reverse();
const outlineKm2 = signedArea(outline) / 1e6;

const streets = gazetteer.streets.map((s) => s.name);
for (const s of streets) if (!SITES.some((x) => x.street === s)) throw new Error(`no site for ${s}`);
const sites: Site[] = SITES.map((s) => {
  const [x, y] = toXY([s.lng, s.lat]);
  return { street: s.street, x, y };
});

// Estimated targets are scaled so all fill the outline (which includes half the rivers);
// the known figures are kept as they are.
const known = new Set(KNOWN_KM2);
const knownSum = streets.filter((s) => known.has(s)).reduce((a, s) => a + (TARGET_KM2[s] ?? 0), 0);
const guessSum = streets.filter((s) => !known.has(s)).reduce((a, s) => a + (TARGET_KM2[s] ?? 0), 0);
const scale = (outlineKm2 - knownSum) / guessSum;
const target = Object.fromEntries(streets.map((s) => [s, (TARGET_KM2[s] ?? 0) * (known.has(s) ? 1 : scale)]));

const weightOf: Record<string, number> = Object.fromEntries(streets.map((s) => [s, 0]));
function diagram(): { cells: Pt[][]; area: Record<string, number> } {
  const weights = sites.map((s) => weightOf[s.street]!);
  const cells = sites.map((_, i) => powerCell(outline, sites, weights, i));
  const area: Record<string, number> = Object.fromEntries(streets.map((s) => [s, 0]));
  cells.forEach((c, i) => {
    if (c.length >= 3) area[sites[i]!.street]! += Math.abs(signedArea(c)) / 1e6;
  });
  return { cells, area };
}

const fit = !process.argv.includes('--no-fit');
for (let it = 0; fit && it < 400; it++) {
  const { area } = diagram();
  let worst = 0;
  for (const s of streets) {
    const err = target[s]! - area[s]!;
    worst = Math.max(worst, Math.abs(err) / target[s]!);
    // Damped step: a weight change Δw moves a boundary by about Δw / (2·site distance).
    weightOf[s]! += 2e5 * err;
  }
  if (worst < 0.02) break;
}

const { cells, area } = diagram();
const merged = new Map(streets.map((s) => [s, mergeCells(cells.filter((_, i) => sites[i]!.street === s))]));
// A site that ends up outside its own street means the weights overpowered it: move sites.
const stray = sites.filter((s) => !(merged.get(s.street) ?? []).some((rings) => pointInRing([s.x, s.y], rings[0]!)));
for (const s of stray) console.warn(`site of ${s.street} at ${toLL([s.x, s.y]).join(',')} fell outside its street`);
const features = gazetteer.streets.map((s) => {
  const polys = (merged.get(s.name) ?? []).map((rings) => rings.map((r) => [...r, r[0]!].map(toLL)));
  const geometry =
    polys.length === 1 ? { type: 'Polygon', coordinates: polys[0] } : { type: 'MultiPolygon', coordinates: polys };
  return {
    type: 'Feature',
    properties: {
      name: s.name,
      code: s.code,
      ...(s.staff ? { staff: s.staff } : {}),
      approximate: true,
      source:
        'Approximation built by scripts/geo/build-streets.ts: weighted Voronoi of hand-placed sites (scripts/geo/street-sites.ts) clipped to the district outline; not an official boundary',
      areaKm2: +area[s.name]!.toFixed(3),
    },
    geometry,
  };
});

const fc = {
  type: 'FeatureCollection',
  note: 'APPROXIMATE street areas of 江汉区 (WGS-84). No official street boundaries were available: these polygons are a weighted Voronoi partition of the district outline from hand-placed sites, fitted to rough street areas. Boundaries may be off by a few hundred metres; near an edge, ask for an address. Replace with official boundaries via scripts/geo-import.ts.',
  features,
};
writeFileSync(new URL('streets.geojson', DATA), `${JSON.stringify(fc)}\n`);
console.log(`outline ${outlineKm2.toFixed(2)} km²`);
for (const s of streets)
  console.log(`${s}\tarea ${area[s]!.toFixed(2)}\ttarget ${target[s]!.toFixed(2)}\tweight ${weightOf[s]!.toFixed(0)}`);
