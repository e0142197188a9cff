import { describe, expect, it } from 'vitest';
import { historyLines } from './case-history-fns.ts';
import type { CaseStep } from './case-port.ts';

const at = (h: number) => new Date(Date.UTC(2026, 11, 1, 2 + h));
const step = (type: string, h: number, note: string | null = null, data: Record<string, unknown> = {}): CaseStep => ({
  type,
  note,
  actorRole: 'team_lead',
  data,
  at: at(h),
});

describe('historyLines', () => {
  it('one short line per step, with the destination and the words written with it', () => {
    const lines = historyLines([
      step('submitted', 0),
      step('registered', 0, '匹配清单事项 HW-003「乱倒建筑垃圾」……', { item: 'HW-003' }),
      step('duplicate_reported', 1, '重复报告已并入'),
      step('returned', 2, '属北湖街道辖区', { toStreet: '北湖街道' }),
    ]).split('\n');
    expect(lines).toEqual([
      '· 12月1日 10:00 报告',
      '· 12月1日 10:00 立案：HW-003',
      '· 12月1日 12:00 退回 → 北湖街道：属北湖街道辖区',
    ]);
  });

  it('a long history keeps the first step and the latest ones', () => {
    const steps = Array.from({ length: 10 }, (_, i) => step(i % 2 ? 'accepted' : 'dispatched', i));
    const lines = historyLines(steps, 4).split('\n');
    expect(lines).toHaveLength(5);
    expect(lines[0]).toContain('10:00');
    expect(lines[1]).toContain('省略 6 步');
    expect(lines[4]).toContain('19:00');
  });
});
