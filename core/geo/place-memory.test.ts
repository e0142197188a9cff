import { describe, expect, it } from 'vitest';
import { placeKeysIn, roadNumbersIn } from './place-key-fns.ts';
import { createPlaceMemory, type PlaceCorrection } from './place-memory.ts';

const at = new Date('2026-03-02T02:00:00Z');
const corr = (p: Partial<PlaceCorrection> & { street: string }): PlaceCorrection => ({
  lat: null,
  lng: null,
  placeKeys: [],
  source: 'returned',
  at,
  ...p,
});

describe('placeKeysIn', () => {
  it.each([
    ['楼下邻居在福星惠誉小区门口摆摊', ['福星惠誉小区']],
    ['新华路218号门口堆了很多建材', ['新华路218号']],
    ['江汉区同兴里巷子里有人烧东西', ['同兴里']],
    ['武汉市江汉区泛海国际公寓B座', ['泛海国际公寓']],
  ])('%s → %j', (text, keys) => {
    expect(placeKeysIn(text)).toEqual(keys);
  });

  it('leaves out phrases that name no particular place', () => {
    expect(placeKeysIn('这个小区里面到处是垃圾')).toEqual([]);
    expect(placeKeysIn('我家小区门口有人摆摊')).toEqual([]);
    expect(placeKeysIn('院子里有人烧东西')).toEqual([]);
    expect(placeKeysIn('物业乱收费，导致小区环境很差')).toEqual([]);
    expect(placeKeysIn('业主在微信里说住宅小区门口有人摆摊')).toEqual([]);
    expect(placeKeysIn('晚上有人在广场跳广场舞')).toEqual([]);
    expect(placeKeysIn('一二三四五六七八九十小区')).toEqual([]);
  });

  it('reads road and house number, full-width digits too', () => {
    expect(roadNumbersIn('在解放大道１０８８号对面')).toEqual([{ road: '解放大道', number: 1088 }]);
  });
});

describe('createPlaceMemory', () => {
  it('places a text naming a compound staff placed before', () => {
    const m = createPlaceMemory([corr({ street: '唐家墩街道', placeKeys: ['福星惠誉小区'] })]);
    const r = m.locateText('福星惠誉小区东门有人占道');
    expect(r?.street).toBe('唐家墩街道');
    expect(r?.method).toBe('memory');
    expect(r?.reason).toContain('福星惠誉小区');
    expect(m.locateText('别的小区门口')).toBeNull();
  });

  it('lets the majority of confirmations decide and stays silent on a split', () => {
    const m = createPlaceMemory([
      corr({ street: '万松街道', placeKeys: ['某某花园'] }),
      corr({ street: '北湖街道', placeKeys: ['某某花园'] }),
    ]);
    expect(m.locateText('某某花园门口')).toBeNull();
    m.remember(corr({ street: '万松街道', placeKeys: ['某某花园'] }));
    m.remember(corr({ street: '万松街道', placeKeys: ['某某花园'] }));
    expect(m.locateText('某某花园门口')?.street).toBe('万松街道');
  });

  it('places a house number near confirmed numbers on the same side of the road', () => {
    const m = createPlaceMemory([
      corr({ street: '万松街道', placeKeys: ['新华路218号'] }),
      corr({ street: '新华街道', placeKeys: ['新华路219号'] }),
    ]);
    expect(m.locateText('新华路226号门口')?.street).toBe('万松街道');
    expect(m.locateText('新华路231号门口')?.street).toBe('新华街道');
    expect(m.locateText('新华路600号门口')).toBeNull();
  });

  it('lets confirmed points near a pin vote, and ignores those far away', () => {
    const m = createPlaceMemory([
      corr({ street: '北湖街道', lat: 30.6, lng: 114.265 }),
      corr({ street: '北湖街道', lat: 30.6003, lng: 114.2652 }),
      corr({ street: '万松街道', lat: 30.62, lng: 114.25 }),
    ]);
    const r = m.locatePoint({ lat: 30.6001, lng: 114.2651 });
    expect(r?.street).toBe('北湖街道');
    expect(r?.reason).toContain('经人工确认');
    expect(m.locatePoint({ lat: 30.61, lng: 114.28 })).toBeNull();
    expect(m.size).toBe(3);
  });
});
