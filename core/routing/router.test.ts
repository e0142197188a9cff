import { describe, expect, it } from 'vitest';
import type { Jurisdiction, StreetLocation } from '../geo/geo-types.ts';
import { loadPowerListFileSync } from '../../config/power-list-file.ts';
import { defaultPowerListPath } from '../../config/power-list-file.ts';
import { createRouter } from './router.ts';

const place = (street: string | null, method: StreetLocation['method'], reason: string): StreetLocation => ({
  street,
  streetCode: street ? '420103000' : null,
  method,
  outsideDistrict: false,
  neighbour: null,
  candidates: [],
  reason,
  evidence: null,
});

/** Knows one road and one point; the real gazetteer is tested in core/geo. */
const fakeJurisdiction: Jurisdiction = {
  locateText: (text) =>
    text.includes('鄱阳路')
      ? place('花楼水塔街道', 'gazetteer', '道路“鄱阳路”位于花楼水塔街道')
      : place(null, 'none', '未能确定'),
  locatePoint: ({ lat, lng }) => {
    if (!Number.isFinite(lat) || !Number.isFinite(lng)) throw new RangeError('bad point');
    return lat > 30.6 ? place('万松街道', 'point', '坐标位于万松街道') : place(null, 'none', '坐标未落在任何街道');
  },
};

const router = createRouter({
  powerList: loadPowerListFileSync(defaultPowerListPath()),
  jurisdiction: fakeJurisdiction,
});
const route = (text: string, extra: object = {}) => router.route({ text, ...extra });

describe('routing by the power list', () => {
  it.each([
    ['每天傍晚有人开着三轮车在小区门口卖西瓜 把路都占了', 'street', '市容市政'],
    ['二楼那户把阳台往外推出去一大截', 'street', '房屋建筑'],
    ['小区空地上有人用彩钢板搭了间房子', 'street', '查违景观'],
    ['工地出来的车轮子带泥 马路上全是黄泥巴', 'street', '环境卫生'],
    ['面馆的煤气罐就放在人行道上晒太阳', 'street', '燃气安全'],
    ['出租车司机不打表 开口就要五十', 'street', '交通运输'],
    ['楼下烧烤店的油烟直往我家窗户里灌', 'street', '园林环保'],
    ['那几家店门口从来不打扫 烟头纸屑一地 门前三包没人管', 'street', '门前三包'],
  ])('%s → %s %s', (text, handling, post) => {
    const d = route(text);
    expect(d.handling).toBe(handling);
    expect(d.post).toBe(post);
    expect(d.item?.level).toBe('street');
    expect(d.department).toBeNull();
  });

  it.each([
    ['小区后面的化工厂晚上偷排废气 刺鼻得很', '生态环境'],
    ['老板三个月没发工资了', '人社'],
    ['路灯坏了一个星期 晚上漆黑', '市政养护'],
    ['菜场门口的机动车道上天天停满私家车', '公安交管'],
    ['楼上半夜打麻将 吵得睡不着', '公安'],
  ])('%s → department %s', (text, department) => {
    const d = route(text);
    expect(d.handling).toBe('department');
    expect(d.department).toBe(department);
    expect(d.post).toBeNull();
    expect(d.reasons.join()).toContain(`移送${department}`);
  });

  it('sends cross-street matters to the district bureau and keeps the post of the matter', () => {
    const d = route('同一伙人在好几个街道的电线杆上贴满了办证小广告');
    expect(d.handling).toBe('district');
    expect(d.post).toBe('市容市政');
    expect(d.item?.level).toBe('district');
    expect(d.reasons.join()).toContain('区城市管理执法局');
  });

  it('sends complaints about officers to the district bureau', () => {
    expect(route('我要投诉城管队员 态度恶劣还动手推人').handling).toBe('district');
  });

  it('answers chat, thanks and adverts with none', () => {
    for (const text of [
      '你好',
      '谢谢 问题已经处理好了',
      '这个怎么投诉啊',
      '专业疏通下水道 上门服务 价格实惠 电话13912345678',
      '🙂🙂',
    ]) {
      expect(route(text).handling).toBe('none');
    }
  });
});

describe('urgency', () => {
  it('flags a gas leak now, routes it to the gas company and advises at once', () => {
    const d = route('楼道里一股天然气的味道 越来越浓');
    expect(d.urgent).toBe(true);
    expect(d.department).toBe('燃气企业');
    expect(d.urgentAdvice).toMatch(/撤离|通风/);
    expect(d.urgentAdvice).toContain('119');
  });

  it('routes fire and violence to the responders', () => {
    expect(route('对面楼着火了 窗户往外冒黑烟').department).toBe('消防救援');
    const fight = route('菜场门口有人拿刀砍人 地上都是血');
    expect(fight.department).toBe('公安');
    expect(fight.urgentAdvice).toContain('110');
  });

  it('keeps the owner’s post for something about to fall, and marks it urgent', () => {
    const d = route('楼顶的广告牌被风吹得晃来晃去 随时要掉下来 下面就是公交站');
    expect(d.urgent).toBe(true);
    expect(d.handling).toBe('street');
    expect(['市容市政', '查违景观']).toContain(d.post);
  });

  it('does not flag risks that are only feared', () => {
    expect(route('小区消防通道被车堵了 万一着火消防车进不来').urgent).toBe(false);
    expect(route('饭店门口一排液化气罐 怕哪天爆炸').urgent).toBe(false);
  });
});

describe('decision shape', () => {
  it('carries the item with its deadlines and version, top-5 candidates and Chinese reasons', () => {
    const d = route('有人在人行道上摆地摊卖衣服');
    expect(d.item).toMatchObject({
      code: 'SR-001',
      version: '2026.2',
      level: 'street',
      timeBasis: 'working',
      mode721: 'service',
    });
    expect(d.item?.responseHours).toBeGreaterThan(0);
    expect(d.candidates.length).toBeGreaterThan(0);
    expect(d.candidates.length).toBeLessThanOrEqual(5);
    expect(d.candidates[0]?.evidence.length).toBeGreaterThan(0);
    expect(d.confidence).toBeGreaterThan(0.5);
    expect(d.confidence).toBeLessThanOrEqual(1);
    expect(d.reasons[0]).toMatch(/^匹配清单事项 SR-001/);
    expect(d.urgentAdvice).toBeNull();
  });

  it('sends a report it cannot match to triage instead of guessing', () => {
    const d = route('我要反映一个问题 你们管一下', { reporter: 'inspector' });
    expect(d.needsTriage).toBe(true);
    expect(d.item).toBeNull();
  });
});

describe('street of a report', () => {
  it('uses the address first, then the point, then the text', () => {
    expect(route('门口有人摆摊', { address: '鄱阳路12号', lat: 30.65, lng: 114.27 }).street.street).toBe(
      '花楼水塔街道',
    );
    expect(route('门口有人摆摊', { lat: 30.65, lng: 114.27 }).street.street).toBe('万松街道');
    expect(route('鄱阳路口有人摆摊').street.street).toBe('花楼水塔街道');
  });

  it('falls back past an address or a point that places nothing, and past invalid coordinates', () => {
    expect(route('鄱阳路有人摆摊', { address: '不知道哪里' }).street.street).toBe('花楼水塔街道');
    expect(route('鄱阳路有人摆摊', { lat: Number.NaN, lng: 114.27 }).street.street).toBe('花楼水塔街道');
    expect(route('有人摆摊', { lat: 200, lng: 114 }).street.street).toBeNull();
  });
});
