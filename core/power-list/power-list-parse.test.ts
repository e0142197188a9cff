import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadPowerListFile, loadPowerListFileSync } from '../../config/power-list-file.ts';
import { parsePowerList, PowerListError } from './power-list-parse.ts';
import { defaultPowerListPath } from '../../config/power-list-file.ts';
import { DEPARTMENTS, POSTS, REFERRAL_BODIES } from './power-list-types.ts';

const item = (over: Record<string, unknown> = {}) => ({
  code: 'SR-001',
  name: '占道经营',
  level: 'street',
  post: '市容市政',
  department: null,
  legalBasis: '《城市市容和环境卫生管理条例》',
  keywords: ['占道经营', '摆摊^3'],
  patterns: ['卖|摆+人行道'],
  responseHours: 2,
  handlingHours: 24,
  timeBasis: 'working',
  urgent: false,
  mode721: 'service',
  ...over,
});
const list = (items: unknown[]) => ({ version: 't1', title: '测试清单', source: '测试', items });

function issuesOf(json: unknown): string[] {
  try {
    parsePowerList(json);
  } catch (err) {
    expect(err).toBeInstanceOf(PowerListError);
    return (err as PowerListError).issues;
  }
  throw new Error('expected a PowerListError');
}

describe('parsePowerList', () => {
  it('accepts a valid list and keeps every field', () => {
    const parsed = parsePowerList(list([item()]));
    expect(parsed.items[0]).toMatchObject({ code: 'SR-001', post: '市容市政', keywords: ['占道经营', '摆摊^3'] });
  });

  it('names the item by code and the field in each problem', () => {
    const issues = issuesOf(
      list([item({ post: null }), item({ code: 'YS-GA-001', level: 'department', post: null, department: null })]),
    );
    expect(issues.some((i) => i.includes('(SR-001)') && i.includes('post'))).toBe(true);
    expect(issues.some((i) => i.includes('(YS-GA-001)') && i.includes('department'))).toBe(true);
  });

  it('rejects duplicate codes, bad codes, unknown posts and departments', () => {
    expect(issuesOf(list([item(), item()])).join('\n')).toContain('重复');
    expect(issuesOf(list([item({ code: 'sr1' })])).join('\n')).toContain('编码格式');
    expect(issuesOf(list([item({ post: '城管' })])).length).toBeGreaterThan(0);
    expect(issuesOf(list([item({ level: 'department', post: null, department: '宣传部' })])).length).toBeGreaterThan(0);
  });

  it('rejects unusable vocabulary: empty words, reserved characters, one-part patterns, bad weights', () => {
    expect(issuesOf(list([item({ keywords: [''] })])).join()).toContain('空词条');
    expect(issuesOf(list([item({ keywords: ['占 道'] })])).join()).toContain('保留字符');
    expect(issuesOf(list([item({ patterns: ['只有一部分'] })])).join()).toContain('至少需要两部分');
    expect(issuesOf(list([item({ keywords: ['摆摊^99'] })])).join()).toContain('权重');
  });

  it('rejects deadlines that end before the response and unknown fields', () => {
    expect(issuesOf(list([item({ responseHours: 8, handlingHours: 4 })])).join()).toContain('办理时限');
    expect(issuesOf(list([item({ extra: 1 })])).length).toBeGreaterThan(0);
  });

  it('rejects what is not a list at all', () => {
    expect(issuesOf(null).length).toBeGreaterThan(0);
    expect(issuesOf({ version: 'x', title: 't', source: 's', items: [] }).join()).toContain('items');
  });
});

describe('loading files', () => {
  it('reports unreadable and malformed files clearly', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'power-list-'));
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, '{ not json');
    await expect(loadPowerListFile(join(dir, 'missing.json'))).rejects.toThrow('无法读取');
    expect(() => loadPowerListFileSync(bad)).toThrow('不是合法 JSON');
  });
});

describe('the bundled power list', () => {
  const bundled = loadPowerListFileSync(defaultPowerListPath());
  const street = bundled.items.filter((i) => i.level === 'street');
  const district = bundled.items.filter((i) => i.level === 'district');
  const department = bundled.items.filter((i) => i.level === 'department');

  it('is versioned and marked as the project’s own draft', () => {
    expect(bundled.version).toBe('2026.2');
    expect(bundled.note).toBe('项目自拟，待官方清单替换');
  });

  it('covers every field post with street items, at least 60 in all', () => {
    expect(street.length).toBeGreaterThanOrEqual(60);
    for (const post of POSTS) expect(street.filter((i) => i.post === post).length).toBeGreaterThanOrEqual(4);
  });

  it('keeps at least 10 district matters and 30 referrals covering all ten departments', () => {
    expect(district.length).toBeGreaterThanOrEqual(10);
    expect(department.length).toBeGreaterThanOrEqual(30);
    for (const d of DEPARTMENTS) expect(department.some((i) => i.department === d)).toBe(true);
  });

  it('refers the matters of other government bodies (health, schools, power supply, …) to them by name', () => {
    for (const body of REFERRAL_BODIES) {
      const items = department.filter((i) => i.department === body);
      expect(items.length, body).toBeGreaterThan(0);
      for (const i of items) expect(i.urgent).toBe(false);
    }
  });

  it('flags the danger matters urgent with short clock-hour deadlines', () => {
    const urgent = bundled.items.filter((i) => i.urgent);
    expect(urgent.map((i) => i.department)).toEqual(expect.arrayContaining(['燃气企业', '消防救援', '公安']));
    for (const i of urgent) expect(i.timeBasis).toBe('clock');
  });
});
