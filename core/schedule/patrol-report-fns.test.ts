import { describe, expect, it } from 'vitest';
import type { InspectorDay, PatrolFindingView } from './patrol-jobs-port.ts';
import { findingLine, reportVars } from './patrol-report-fns.ts';

const finding = (over: Partial<PatrolFindingView>): PatrolFindingView => ({
  id: 1,
  inspectorId: 7,
  at: new Date('2026-03-02T01:12:00Z'), // 09:12 in Wuhan
  text: '水果摊占道经营',
  address: '青年路西侧',
  lat: null,
  lng: null,
  matter: '占道经营',
  photos: 2,
  firstPhotoId: 3,
  outcome: 'settled',
  caseNumber: null,
  handler: null,
  ...over,
});

describe('the daily patrol report', () => {
  it('lists a finding with time, place, matter, photos and outcome', () => {
    expect(findingLine(finding({}), 0)).toBe('1. 09:12 青年路西侧 占道经营：水果摊占道经营（照片 2 张）→ 已劝导整改');
    expect(
      findingLine(
        finding({
          outcome: 'case',
          caseNumber: 'JH-20260302-0001',
          photos: 0,
          address: null,
          lat: 30.5942,
          lng: 114.2359,
        }),
        1,
      ),
    ).toBe('2. 09:12 位置 30.59420,114.23590 占道经营：水果摊占道经营（无照片）→ 立案 JH-20260302-0001');
    expect(
      findingLine(finding({ outcome: 'referred', caseNumber: 'JH-20260302-0002', handler: '市政养护' }), 2),
    ).toContain('→ 移交市政养护 JH-20260302-0002');
  });

  it('sums the day’s patrols and counts the outcomes', () => {
    const day: InspectorDay = {
      inspectorId: 7,
      name: '巡查员老李',
      streetId: 1,
      street: '万松街道',
      patrols: [
        { startedAt: new Date('2026-03-02T01:00:00Z'), endedAt: new Date('2026-03-02T02:00:00Z') },
        { startedAt: new Date('2026-03-02T05:00:00Z'), endedAt: null },
      ],
      findings: [finding({}), finding({ outcome: 'case', caseNumber: 'JH-1' })],
    };
    const v = reportVars(day, new Date('2026-03-02T05:30:00Z'));
    expect(v.summary).toBe('巡查 2 次，共 1 小时 30 分钟；发现问题 2 处：现场劝导整改 1 处，立案 1 件，移交部门 0 件');
    expect(String(v.lines).split('\n')).toHaveLength(2);
    expect(reportVars({ ...day, findings: [] }, new Date('2026-03-02T05:30:00Z')).lines).toBe('今日未发现问题。');
  });
});
