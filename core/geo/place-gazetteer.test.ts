import { describe, expect, it } from 'vitest';
import { createBundledJurisdiction } from '../../config/jurisdiction-data-file.ts';

const j = createBundledJurisdiction();

// Issue 18: places named as residential compounds (…小区, …花园, …里) placed no street.
describe('locateText: compounds, lanes and roads named after streets and communities', () => {
  it.each([
    ['电力小区门口有人占道经营', '万松街道'],
    ['航空小区三栋楼下堆满垃圾', '万松街道'],
    ['青松花园门口的摊子', '万松街道'],
    ['汽运小区里面有人搭棚子', '唐家墩街道'],
    ['银河里小区门口', '常青街道'],
    ['雪松路有家烧烤店油烟很大', '万松街道'],
    ['北湖正街人行道上堆了建材', '北湖街道'],
    ['民意四路有人乱贴小广告', '民意街道'],
    ['天门墩路垃圾没人清', '唐家墩街道'],
  ])('%s → %s', (text, street) => {
    const r = j.locateText(text);
    expect(r.street).toBe(street);
    expect(r.method).toBe('gazetteer');
  });

  it('does not infer a street from compound names many compounds share', () => {
    expect(j.locateText('和平小区门口有人摆摊').street).toBeNull();
    expect(j.locateText('阳光花园楼下堆垃圾').street).toBeNull();
  });

  it('knows well-known places just outside the district', () => {
    const r = j.locateText('解放公园门口有人摆摊');
    expect(r.outsideDistrict).toBe(true);
    expect(r.neighbour).toBe('江岸区');
  });

  it('asks rather than guesses where a landmark sits between streets', () => {
    const r = j.locateText('六渡桥路口有人占道');
    expect(r.street).toBeNull();
    expect(r.candidates).toEqual(expect.arrayContaining(['民权街道', '民意街道']));
  });
});
