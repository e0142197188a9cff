import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ValidationError } from '../errors.ts';
import { formatHotlineDate, parseHotlineDate } from './hotline-date-fns.ts';
import { parseHotlineMapping } from './hotline-mapping.ts';
import { normalisePhone, parseDeadline, rowToWorkOrder } from './hotline-row-fns.ts';
import { streetHint } from './hotline-import-service.ts';

const mapping = parseHotlineMapping(
  JSON.parse(readFileSync(new URL('../../config/hotline/wuhan-12345.json', import.meta.url), 'utf8')),
);
const F = mapping.dateFormats;
const iso = (d: Date | null) => d?.toISOString() ?? null;

describe('parseHotlineDate: Wuhan wall time in every form exports use', () => {
  it('reads 2026/11/03 09:12 and 2026-11-03 09:12:00 as 09:12 in Wuhan (01:12 UTC)', () => {
    expect(iso(parseHotlineDate('2026/11/03 09:12', F))).toBe('2026-11-03T01:12:00.000Z');
    expect(iso(parseHotlineDate('2026-11-03 09:12:00', F))).toBe('2026-11-03T01:12:00.000Z');
    expect(iso(parseHotlineDate('2026/1/5 8:05', F))).toBe('2026-01-05T00:05:00.000Z');
    expect(iso(parseHotlineDate('2026年11月03日 09:12', F))).toBe('2026-11-03T01:12:00.000Z');
    expect(iso(parseHotlineDate(' 2026-11-03 ', F))).toBe('2026-11-02T16:00:00.000Z');
  });

  it('reads Excel serial dates, as numbers and as text', () => {
    // 46329.3833333 = 2026-11-03 09:12 in Excel's day count
    expect(iso(parseHotlineDate(46329.38333333333, F))).toBe('2026-11-03T01:12:00.000Z');
    expect(iso(parseHotlineDate('46329.38333333333', F))).toBe('2026-11-03T01:12:00.000Z');
    expect(parseHotlineDate(12, F)).toBeNull();
  });

  it('reads a Date from an XLSX cell (exceljs gives the wall time as UTC) and ISO with an offset', () => {
    expect(iso(parseHotlineDate(new Date('2026-11-03T09:12:00Z'), F))).toBe('2026-11-03T01:12:00.000Z');
    expect(iso(parseHotlineDate('2026-11-03T09:12:00+08:00', F))).toBe('2026-11-03T01:12:00.000Z');
  });

  it('refuses impossible dates and other text', () => {
    expect(parseHotlineDate('2026-02-30 10:00:00', F)).toBeNull();
    expect(parseHotlineDate('2026-11-03 25:00', F)).toBeNull();
    expect(parseHotlineDate('昨天下午', F)).toBeNull();
    expect(parseHotlineDate('', F)).toBeNull();
    expect(parseHotlineDate(null, F)).toBeNull();
  });

  it('writes dates back in the hotline format, in Wuhan time', () => {
    expect(formatHotlineDate(new Date('2026-11-03T16:30:05Z'), 'YYYY-MM-DD HH:mm:ss')).toBe('2026-11-04 00:30:05');
  });
});

describe('normalisePhone', () => {
  it('keeps mobiles, landlines and masked numbers in one form', () => {
    expect(normalisePhone('139 0000 1234')).toBe('13900001234');
    expect(normalisePhone('+86-139-0000-1234')).toBe('13900001234');
    expect(normalisePhone('１３９００００１２３４')).toBe('13900001234');
    expect(normalisePhone('027-85551234')).toBe('027-85551234');
    expect(normalisePhone('(027)85551234转12')).toBe('027-85551234转12');
    expect(normalisePhone('85551234')).toBe('027-85551234');
    expect(normalisePhone('139****1234')).toBe('139****1234');
  });
  it('refuses what is no phone number', () => {
    expect(normalisePhone('12345')).toBeNull();
    expect(normalisePhone('无')).toBeNull();
    expect(normalisePhone('1390000123')).toBeNull();
  });
});

describe('parseDeadline', () => {
  it('reads a date or a span after 受理时间', () => {
    expect(parseDeadline('2026-11-06 17:30:00', F)).toEqual({ kind: 'at', at: new Date('2026-11-06T09:30:00Z') });
    expect(parseDeadline('5个工作日', F)).toEqual({ kind: 'working_days', days: 5 });
    expect(parseDeadline('24小时', F)).toEqual({ kind: 'hours', hours: 24 });
    expect(parseDeadline('3天', F)).toEqual({ kind: 'days', days: 3 });
    expect(parseDeadline('尽快', F)).toBeNull();
  });
});

const good = {
  工单编号: 'WH2026110300012',
  受理时间: '2026/11/03 09:12',
  来电人: '王女士',
  联系电话: '13900001234',
  诉求标题: '反映占道经营',
  诉求内容: '万松园路每天傍晚有流动摊贩占道经营。',
  诉求地址: '江汉区万松园路45号',
  所属街道: '万松街道',
  诉求类型: '投诉',
  办理时限: '2026-11-06 17:30:00',
};

describe('rowToWorkOrder', () => {
  it('maps a complete row', () => {
    const r = rowToWorkOrder(good, mapping, 7);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.order).toMatchObject({
      row: 7,
      ref: 'WH2026110300012',
      text: '反映占道经营：万松园路每天傍晚有流动摊贩占道经营。',
      address: '江汉区万松园路45号',
      street: '万松街道',
      category: '投诉',
      callerName: '王女士',
      callerPhone: '13900001234',
      warnings: [],
    });
    expect(r.order.receivedAt.toISOString()).toBe('2026-11-03T01:12:00.000Z');
    expect(r.order.deadline).toEqual({ kind: 'at', at: new Date('2026-11-06T09:30:00Z') });
  });

  it('accepts the field names themselves (JSON pushes)', () => {
    const r = rowToWorkOrder({ ref: 'W#1', receivedAt: '2026-11-03T09:12:00+08:00', text: '井盖缺失' }, mapping, 1);
    expect(r.ok).toBe(false); // not a 工单编号
    const r2 = rowToWorkOrder({ ref: 'WH0001', receivedAt: '2026-11-03T09:12:00+08:00', text: '井盖缺失' }, mapping, 1);
    expect(r2.ok && r2.order.deadline).toBeNull();
  });

  it('reports what is missing or unreadable, with the row number', () => {
    expect(rowToWorkOrder({ ...good, 工单编号: '' }, mapping, 3)).toEqual({
      ok: false,
      row: 3,
      ref: null,
      reason: '缺少工单编号',
    });
    expect(rowToWorkOrder({ ...good, 受理时间: '' }, mapping, 4)).toMatchObject({
      ok: false,
      row: 4,
      reason: '缺少受理时间',
    });
    expect(rowToWorkOrder({ ...good, 受理时间: '11月3日' }, mapping, 5)).toMatchObject({
      ok: false,
      ref: 'WH2026110300012',
      reason: '受理时间“11月3日”无法识别',
    });
    expect(rowToWorkOrder({ ...good, 诉求内容: ' ' }, mapping, 6)).toMatchObject({ ok: false, reason: '缺少诉求内容' });
  });

  it('keeps an order with an unreadable phone or deadline, with a warning that does not repeat the number', () => {
    const r = rowToWorkOrder({ ...good, 联系电话: '1390000', 办理时限: '尽快' }, mapping, 8);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.order.callerPhone).toBeNull();
    expect(r.order.deadline).toBeNull();
    expect(r.order.warnings).toEqual(['办理时限“尽快”无法识别，按默认时限计算', '联系电话无法识别，未保存']);
  });
});

describe('parseHotlineMapping', () => {
  it('lists every problem in Chinese', () => {
    expect(() => parseHotlineMapping({ ...mapping, source: 'Wuhan 12345', columns: { text: ['诉求内容'] } })).toThrow(
      ValidationError,
    );
    try {
      parseHotlineMapping({ ...mapping, source: 'Wuhan 12345', columns: { text: ['诉求内容'] } });
    } catch (e) {
      expect((e as Error).message).toContain('source');
      expect((e as Error).message).toContain('必须映射 ref');
    }
  });
});

describe('streetHint', () => {
  it('reads 所属街道 as written in exports', () => {
    expect(streetHint('民意街')).toBe('民意街道');
    expect(streetHint('江汉区万松街道')).toBe('万松街道');
    expect(streetHint('')).toBeNull();
  });
});
