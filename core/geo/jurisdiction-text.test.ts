import { describe, expect, it } from 'vitest';
import { createBundledJurisdiction } from '../../config/jurisdiction-data-file.ts';

const j = createBundledJurisdiction();

describe('locateText: addresses from the public gazetteer facts', () => {
  it.each([
    ['妙三社区', '北湖街道'],
    ['磨子横巷', '民权街道'],
    ['江汉关社区', '花楼水塔街道'],
    ['唐家墩路', '唐家墩街道'],
    ['江汉区鄱阳路', '花楼水塔街道'],
    ['德望社区', '北湖街道'],
    ['中山公园附近', '万松街道'],
    ['新舞台社区', '民意街道'],
    ['唐蔡社区旁边', '唐家墩街道'],
    ['清芬一路', '满春街道'],
  ])('%s → %s', (text, street) => {
    const r = j.locateText(text);
    expect(r.street).toBe(street);
    expect(r.method).toBe('gazetteer');
    expect(r.outsideDistrict).toBe(false);
    expect(r.reason).toContain(street);
  });
});

describe('locateText: forms people write', () => {
  it('finds community names without 社区 when they are not ordinary words', () => {
    expect(j.locateText('妙三这边有人占道').street).toBe('北湖街道');
    expect(j.locateText('住在唐蔡').street).toBe('唐家墩街道');
  });

  it('needs 社区 for short names that are ordinary words', () => {
    expect(j.locateText('经常三五成群在路边').street).toBeNull();
    expect(j.locateText('精武鸭脖店门口').street).toBeNull();
    expect(j.locateText('和平年代').method).toBe('none');
    expect(j.locateText('和平社区门口').street).toBe('民族街道');
    expect(j.locateText('建设社区').street).toBe('北湖街道');
  });

  it('ignores ordinary phrases that contain a place name', () => {
    expect(j.locateText('这个交通路口的红绿灯坏了').method).toBe('none');
    expect(j.locateText('交通路社区').street).toBe('花楼水塔街道');
  });

  it('prefers the longest name: house-numbered address over the road, park over 公园', () => {
    expect(j.locateText('长江日报路28号').street).toBe('北湖街道');
    expect(j.locateText('武汉市江汉区中山公园正门').street).toBe('万松街道');
  });

  it('reads full-width digits and 1路 for 一路', () => {
    expect(j.locateText('长江日报路２８号').street).toBe('北湖街道');
    expect(j.locateText('前进1路口').street).toBe('前进街道');
  });

  it('accepts 花楼街 and 水塔街 (and their codes) for 花楼水塔街道', () => {
    for (const t of ['花楼街', '水塔街道', '花楼街街道', '水塔街街道']) {
      const r = j.locateText(t);
      expect(r.street).toBe('花楼水塔街道');
      expect(r.streetCode).toBe('420103002');
    }
    expect(j.resolveStreet('420103003')?.name).toBe('花楼水塔街道');
    expect(j.resolveStreet('420103002')?.name).toBe('花楼水塔街道');
    expect(j.resolveStreet('水塔街')?.name).toBe('花楼水塔街道');
    expect(j.resolveStreet('火星街道')).toBeNull();
  });

  it('gives every one of the 12 streets its official code', () => {
    expect(j.streets.map((s) => s.name)).toEqual([
      '民族街道',
      '花楼水塔街道',
      '民权街道',
      '满春街道',
      '民意街道',
      '新华街道',
      '万松街道',
      '唐家墩街道',
      '北湖街道',
      '前进街道',
      '常青街道',
      '汉兴街道',
    ]);
    for (const s of j.streets) expect(j.locateText(s.name).streetCode).toBe(s.code);
  });
});

describe('locateText: ambiguity and outside', () => {
  it('a road through several streets is ambiguous, with candidates and a reason', () => {
    const r = j.locateText('长江日报路');
    expect(r.street).toBeNull();
    expect(r.method).toBe('gazetteer');
    expect(r.candidates.sort()).toEqual(['北湖街道', '唐家墩街道'].sort());
    expect(r.reason).toMatch(/跨越.*个街道/);
    expect(j.locateText('中山大道').candidates.length).toBeGreaterThan(2);
  });

  it('two ambiguous roads that cross in one street decide it', () => {
    expect(j.locateText('长江日报路与建设大道交叉口').street).toBe('北湖街道');
  });

  it('a community beats a road that spans several streets', () => {
    expect(j.locateText('建设大道妙三社区').street).toBe('北湖街道');
  });

  it('names of two different streets at the same level stay undecided', () => {
    const r = j.locateText('妙三社区和唐蔡社区之间');
    expect(r.street).toBeNull();
    expect(r.candidates.sort()).toEqual(['北湖街道', '唐家墩街道'].sort());
  });

  it('an address in another district is outside, with the neighbour', () => {
    const r = j.locateText('江岸区黎黄陂路');
    expect(r).toMatchObject({ street: null, outsideDistrict: true, neighbour: '江岸区' });
    expect(r.reason).toContain('不在江汉区范围内');
    expect(j.locateText('硚口区宝丰路').neighbour).toBe('硚口区');
  });

  it('常青花园 is in 东西湖区, not 常青街道', () => {
    expect(j.locateText('常青花园小区门口')).toMatchObject({
      street: null,
      outsideDistrict: true,
      neighbour: '东西湖区',
    });
  });

  it('nothing recognisable → method none', () => {
    const r = j.locateText('楼下有人乱扔垃圾');
    expect(r).toMatchObject({ street: null, method: 'none', outsideDistrict: false, candidates: [] });
    expect(j.locateText('').method).toBe('none');
  });
});
