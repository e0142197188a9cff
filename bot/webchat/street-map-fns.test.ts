import { describe, expect, it } from 'vitest';
import { createBundledJurisdiction } from '../../config/jurisdiction-data-file.ts';
import { loadBundledJurisdictionData } from '../../config/jurisdiction-data-file.ts';
import { buildStreetMap, project, renderStreetMapSvg, unproject } from './street-map-fns.ts';

const map = buildStreetMap(loadBundledJurisdictionData().streets);

describe('the web chat district map', () => {
  it('draws the 12 streets, approximate, within its frame', () => {
    expect(map.streets).toHaveLength(12);
    expect(map.approximate).toBe(true);
    const svg = renderStreetMapSvg(map, '江汉区街道地图');
    expect(svg.match(/<path class="street"/g)).toHaveLength(12);
    expect(svg).toContain('data-street="万松街道"');
    expect(svg).toContain('>万松</text>');
  });

  it('turns a point back into the same coordinates', () => {
    const p = { lat: 30.5912, lng: 114.2601 };
    const [x, y] = project(map.projection, p);
    expect(x).toBeGreaterThan(0);
    expect(x).toBeLessThan(map.projection.width);
    const back = unproject(map.projection, x, y);
    expect(back.lat).toBeCloseTo(p.lat, 9);
    expect(back.lng).toBeCloseTo(p.lng, 9);
  });

  it('puts every label inside its own street, as the jurisdiction sees it', () => {
    const jurisdiction = createBundledJurisdiction();
    for (const s of map.streets) {
      expect(jurisdiction.locatePoint(unproject(map.projection, s.label.x, s.label.y)).street, s.name).toBe(s.name);
    }
  });
});
