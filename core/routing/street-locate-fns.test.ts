import { describe, expect, it } from 'vitest';
import { createBundledJurisdiction } from '../../config/jurisdiction-data-file.ts';
import { createPlaceMemory } from '../geo/place-memory.ts';
import { locateStreet } from './street-locate-fns.ts';

const j = createBundledJurisdiction();
const at = new Date('2026-03-02T02:00:00Z');

describe("locateStreet: the inspector's own street", () => {
  it('places an inspector report without any place in the inspector’s street and says so', () => {
    const r = locateStreet(j, {
      text: '巡查发现有水果摊贩占道经营',
      reporter: 'inspector',
      reporterStreet: '北湖街道',
    });
    expect(r.street).toBe('北湖街道');
    expect(r.streetCode).toBe('420103010');
    expect(r.method).toBe('reporter');
    expect(r.reason).toContain('巡查员所属街道');
  });

  it('settles a road through several streets when the inspector’s street is one of them', () => {
    const r = locateStreet(j, { text: '建设大道人行道有人摆摊', reporterStreet: '新华街道' });
    expect(r.street).toBe('新华街道');
    expect(r.method).toBe('reporter');
    expect(r.reason).toContain('按上报人员所属街道新华街道处理');
    const elsewhere = locateStreet(j, { text: '建设大道人行道有人摆摊', reporterStreet: '前进街道' });
    expect(elsewhere.street).toBeNull();
    expect(elsewhere.candidates.length).toBeGreaterThan(1);
  });

  it('never overrides a place the report names, nor applies to residents', () => {
    expect(locateStreet(j, { text: '雪松路油烟扰民', reporterStreet: '北湖街道' }).street).toBe('万松街道');
    expect(locateStreet(j, { text: '有人占道经营' }).street).toBeNull();
  });
});

describe('locateStreet: what staff confirmed before', () => {
  const memory = createPlaceMemory(
    [
      { street: '唐家墩街道', lat: null, lng: null, placeKeys: ['福星惠誉小区'], source: 'returned', at },
      { street: '北湖街道', lat: 30.6, lng: 114.265, placeKeys: [], source: 'confirmed', at },
    ],
    { codeOf: (s) => j.locateText(s).streetCode },
  );

  it('places a compound the gazetteer does not know', () => {
    expect(locateStreet(j, { text: '福星惠誉小区门口有人摆摊' }).street).toBeNull();
    const r = locateStreet(j, { text: '福星惠誉小区门口有人摆摊' }, memory);
    expect(r.street).toBe('唐家墩街道');
    expect(r.streetCode).toBe('420103009');
    expect(r.method).toBe('memory');
  });

  it('prefers confirmed points near the pin to the approximate areas, converting GCJ-02 first', () => {
    const r = locateStreet(j, { text: '占道经营', lat: 30.6001, lng: 114.2651 }, memory);
    expect(r.street).toBe('北湖街道');
    expect(r.method).toBe('memory');
    // The same place as WeChat sends it (GCJ-02, ~500 m off) still finds the confirmation.
    const gcj = locateStreet(j, { text: '占道经营', lat: 30.5976, lng: 114.2705, crs: 'gcj02' }, memory);
    expect(gcj.method).toBe('memory');
  });
});
