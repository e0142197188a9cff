import { loadBundledJurisdictionData } from '../../config/jurisdiction-data-file.ts';
import { html, type SafeHtml } from './html.ts';

/**
 * A small inline SVG map of the district's street polygons (prisma/data/streets.geojson) with
 * one street highlighted and the case's point. No tiles, no script: it prints, it works
 * offline, and it shows enough to see whether a case sits where its street says.
 */
const WIDTH = 320;
const PAD = 6;

interface Projected {
  height: number;
  streets: Array<{ name: string; d: string; cx: number; cy: number }>;
  project(lng: number, lat: number): [number, number];
}

let cached: Projected | null = null;

type Ring = number[][];

function rings(geometry: { type: string; coordinates: unknown }): Ring[] {
  if (geometry.type === 'Polygon') return geometry.coordinates as Ring[];
  if (geometry.type === 'MultiPolygon') return (geometry.coordinates as Ring[][]).flat();
  return [];
}

function build(): Projected {
  const features = loadBundledJurisdictionData().streets.features;
  const all = features.flatMap((f) => rings(f.geometry).flat());
  const lngs = all.map((p) => p[0]!);
  const lats = all.map((p) => p[1]!);
  const [minLng, maxLng, minLat, maxLat] = [Math.min(...lngs), Math.max(...lngs), Math.min(...lats), Math.max(...lats)];
  // Equirectangular with the cosine of the mid latitude: at 1:50 000 the error is invisible.
  const kx = Math.cos((((minLat + maxLat) / 2) * Math.PI) / 180);
  const scale = (WIDTH - 2 * PAD) / ((maxLng - minLng) * kx);
  const project = (lng: number, lat: number): [number, number] => [
    PAD + (lng - minLng) * kx * scale,
    PAD + (maxLat - lat) * scale,
  ];
  const streets = features.map((f) => {
    const rs = rings(f.geometry);
    const d = rs
      .map(
        (r) =>
          `M${r
            .map((p) =>
              project(p[0]!, p[1]!)
                .map((v) => v.toFixed(1))
                .join(','),
            )
            .join('L')}Z`,
      )
      .join('');
    const outer = rs[0] ?? [];
    const pts = outer.map((p) => project(p[0]!, p[1]!));
    const cx = pts.reduce((s, p) => s + p[0], 0) / Math.max(1, pts.length);
    const cy = pts.reduce((s, p) => s + p[1], 0) / Math.max(1, pts.length);
    return { name: String(f.properties?.name ?? ''), d, cx, cy };
  });
  return { height: Math.ceil(PAD * 2 + (maxLat - minLat) * scale), streets, project };
}

/** The street's name at its centre, moved above the case point when the two would overlap. */
function label(s: { name: string; cx: number; cy: number }, point: [number, number] | null): SafeHtml {
  const near = point && Math.abs(point[0] - s.cx) < 30 && Math.abs(point[1] - s.cy) < 14;
  const y = near ? point[1] - 12 : s.cy + 4;
  return html`<text x="${s.cx.toFixed(1)}" y="${y.toFixed(1)}" font-size="12" font-weight="700" text-anchor="middle" fill="#1a1a1a" stroke="#ffffff" stroke-width="3" paint-order="stroke">${s.name.replace(/街道$/, '')}</text>`;
}

export function streetMap(o: {
  street: string | null;
  lat: number | null;
  lng: number | null;
  label: string;
}): SafeHtml {
  cached ??= build();
  const m = cached;
  const point = o.lat !== null && o.lng !== null ? m.project(o.lng, o.lat) : null;
  const inFrame = point && point[0] >= 0 && point[0] <= WIDTH && point[1] >= 0 && point[1] <= m.height;
  const highlighted = m.streets.find((s) => s.name === o.street);
  return html`<svg class="map" viewBox="0 0 ${WIDTH} ${m.height}" role="img" aria-label="${o.label}" xmlns="http://www.w3.org/2000/svg">
    <title>${o.label}</title>
    ${m.streets.map((s) => html`<path d="${s.d}" fill="${s.name === o.street ? '#ffe08a' : '#eef2f6'}" stroke="#5b6b7b" stroke-width="0.8"><title>${s.name}</title></path>`)}
    ${highlighted ? label(highlighted, point) : ''}
    ${inFrame && point ? html`<circle cx="${point[0].toFixed(1)}" cy="${point[1].toFixed(1)}" r="6" fill="#c8102e" stroke="#fff" stroke-width="2"/>` : ''}
  </svg>`;
}
