import { formatShanghai, shorten } from '../case/case-format-fns.ts';
import { SHANGHAI_OFFSET_MS } from '../deadlines/shanghai-day-fns.ts';
import type { InspectorDay, PatrolFindingView } from './patrol-jobs-port.ts';

const pad = (n: number) => String(n).padStart(2, '0');

/** '09:12' in Wuhan. */
export function shanghaiTime(at: Date): string {
  const d = new Date(at.getTime() + SHANGHAI_OFFSET_MS);
  return `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}`;
}

export function durationText(ms: number): string {
  const minutes = Math.max(0, Math.round(ms / 60_000));
  return minutes >= 60 ? `${Math.floor(minutes / 60)} 小时 ${minutes % 60} 分钟` : `${minutes} 分钟`;
}

export function placeText(f: Pick<PatrolFindingView, 'address' | 'lat' | 'lng'>): string {
  if (f.address) return f.address;
  if (f.lat !== null && f.lng !== null) return `位置 ${f.lat.toFixed(5)},${f.lng.toFixed(5)}`;
  return '未标注位置';
}

/** 已劝导整改, or the case number the finding became (and where a department's matter went). */
export function outcomeText(f: Pick<PatrolFindingView, 'outcome' | 'caseNumber' | 'handler'>): string {
  if (f.outcome === 'settled') return '已劝导整改';
  if (f.outcome === 'referred') return `移交${f.handler ?? '部门'} ${f.caseNumber ?? ''}`.trim();
  return `立案 ${f.caseNumber ?? ''}`.trim();
}

export function findingLine(f: PatrolFindingView, i: number): string {
  const photos = f.photos ? `照片 ${f.photos} 张` : '无照片';
  return `${i + 1}. ${shanghaiTime(f.at)} ${placeText(f)} ${f.matter ?? '事项待定'}：${shorten(f.text, 30)}（${photos}）→ ${outcomeText(f)}`;
}

export interface DayCounts {
  findings: number;
  settled: number;
  cases: number;
  referred: number;
}

export function countFindings(findings: readonly PatrolFindingView[]): DayCounts {
  return {
    findings: findings.length,
    settled: findings.filter((f) => f.outcome === 'settled').length,
    cases: findings.filter((f) => f.outcome === 'case').length,
    referred: findings.filter((f) => f.outcome === 'referred').length,
  };
}

/** The variables of one inspector's 巡查日报: a summary line and one line per finding. */
export function reportVars(day: InspectorDay, now: Date): Record<string, string | number> {
  const patrolMs = day.patrols.reduce(
    (ms, p) => ms + Math.max(0, (p.endedAt ?? now).getTime() - p.startedAt.getTime()),
    0,
  );
  const n = countFindings(day.findings);
  const summary =
    `巡查 ${day.patrols.length} 次，共 ${durationText(patrolMs)}；发现问题 ${n.findings} 处：` +
    `现场劝导整改 ${n.settled} 处，立案 ${n.cases} 件，移交部门 ${n.referred} 件`;
  return {
    name: day.name,
    street: day.street ?? '未分配街道',
    summary,
    lines: day.findings.length ? day.findings.map(findingLine).join('\n') : '今日未发现问题。',
    ...n,
  };
}

export { formatShanghai };
