import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import {
  MODE_721_LABELS,
  RATING_LABELS,
  STATUS_LABELS,
  STATUSES,
  type Actor,
  type CaseStatus,
  type Mode721,
  type RatingScore,
} from '../../core/case/case-types.ts';
import { coarseLocation, redactPersonalData } from '../../core/case/anonymise-fns.ts';
import { canSeeReporterContact, caseView, isOverdue } from '../../core/case/case-visibility-fns.ts';
import { ASSESSMENT_NOTES } from '../../core/stats/assessment-rules.ts';
import type { StatsFigures } from '../../core/stats/stats-types.ts';
import { FOLLOWED_TEXT, listCasesAfter } from '../../db/case-queries.ts';
import { exportRowsByNumber, type ExportCaseRow } from '../../db/case-export-rows.ts';
import type { Db } from '../../db/prisma-client.ts';
import type { BoardFilters } from './board-query.ts';
import { toListQuery } from './board-query.ts';
import type { ExportTable } from './export-format.ts';
import { dateTime, handlingLabel, ROLE_LABELS } from './format.ts';
import type { StatsView } from './stats-page.ts';

/** Enough for a year of a busy district; beyond that, narrow the filters. */
export const EXPORT_MAX_ROWS = 20_000;

const CHUNK = 500;

/**
 * The cases the viewer may see, with the board's filters, in the board's order: listCases
 * decides which cases (visibility and filters live in one place), then their columns are
 * read in chunks. The reporter's name and phone are filled only where
 * canSeeReporterContact allows, and their columns exist only when some row may show them;
 * for the other rows phone numbers and the like are redacted from the report and outcome text.
 */
export async function casesTable(db: Db, actor: Actor, filters: BoardFilters, now: Date): Promise<ExportTable> {
  // Page by page in the board's order (keyset paging: the same rows and order as one long
  // page), so each turn of the event loop handles CHUNK cases, never the whole export.
  const query = toListQuery(filters, 1, CHUNK);
  const rows: ExportCaseRow[] = [];
  let cursor: string | null = '';
  while (cursor !== null && rows.length < EXPORT_MAX_ROWS) {
    const page = await listCasesAfter(
      db,
      actor,
      { ...query, pageSize: Math.min(CHUNK, EXPORT_MAX_ROWS - rows.length) },
      cursor,
      now,
    );
    const part = page.items.map((i) => i.number);
    const found = new Map((await exportRowsByNumber(db, part)).map((c) => [c.number, c]));
    for (const n of part) if (found.has(n)) rows.push(found.get(n)!);
    cursor = page.nextCursor;
    await yieldToEventLoop();
  }
  return tableOf(actor, rows, now);
}

async function tableOf(actor: Actor, rows: ExportCaseRow[], now: Date): Promise<ExportTable> {
  const contact = rows.map((c) => canSeeReporterContact(actor, c));
  // Rows the viewer only follows read as the follower view does: no text, address, point or handler.
  const followed = rows.map((c) => caseView(actor, { ...c, actorFollows: true }) === 'follower');
  const place = (c: (typeof rows)[number], i: number) =>
    followed[i] ? coarseLocation(c.lat, c.lng) : c.lat === null || c.lng === null ? null : { lat: c.lat, lng: c.lng };
  const withContact = contact.some(Boolean);
  const headers = [
    '编号',
    '状态',
    '街道',
    '移送部门',
    '承办层级',
    '岗位',
    '事项编码',
    '事项名称',
    '报告内容',
    '地址',
    '纬度',
    '经度',
    '紧急',
    '渠道',
    '承办人',
    '立案时间',
    '处置期限',
    '是否超期',
    '办结时间',
    '结案时间',
    '处置方式',
    '处置结果',
    '退回次数',
    '返工次数',
    '重办次数',
    '最新评价',
    ...(withContact ? ['报告人', '报告人电话'] : []),
  ];
  return {
    sheet: '案件',
    headers,
    rows: await mapYielding(rows, (c, i) => [
      c.number,
      STATUS_LABELS[c.status as CaseStatus] ?? c.status,
      c.street?.name ?? null,
      c.department?.name ?? null,
      handlingLabel(c.handling),
      c.post,
      c.item?.code ?? null,
      c.item?.name ?? null,
      // Files travel further than pages: numbers a reporter typed stay with those who may call them.
      followed[i] ? FOLLOWED_TEXT : contact[i] ? c.text : redactPersonalData(c.text),
      followed[i] ? null : c.address,
      place(c, i)?.lat ?? null,
      place(c, i)?.lng ?? null,
      c.urgent ? '是' : '否',
      followed[i] ? null : c.channel,
      followed[i] ? null : (c.assignee?.displayName ?? null),
      dateTime(c.createdAt),
      c.dueAt ? dateTime(c.dueAt) : null,
      isOverdue(c, now) ? '是' : '否',
      c.resolvedAt ? dateTime(c.resolvedAt) : null,
      c.closedAt ? dateTime(c.closedAt) : null,
      c.mode721 ? (MODE_721_LABELS[c.mode721 as Mode721] ?? c.mode721) : null,
      c.outcome && !contact[i] ? redactPersonalData(c.outcome) : c.outcome,
      c.returnCount,
      c.reworkCount,
      c.reopenCount,
      c.ratings[0] ? (RATING_LABELS[c.ratings[0].score as RatingScore] ?? c.ratings[0].score) : null,
      ...(withContact ? (contact[i] ? [c.reporter.displayName, c.reporter.phone] : [null, null]) : []),
    ]),
    widths: headers.map((h) =>
      h === '报告内容' || h === '处置结果'
        ? 50
        : h.endsWith('时间') || h === '处置期限'
          ? 18
          : Math.max(10, h.length * 2 + 2),
    ),
  };
}

/** rows.map(f), handing the event loop back every CHUNK rows (redaction is regex work: thousands of rows add up). */
async function mapYielding<T, R>(rows: readonly T[], f: (row: T, i: number) => R): Promise<R[]> {
  const out: R[] = [];
  for (let i = 0; i < rows.length; i++) {
    if (i > 0 && i % CHUNK === 0) await yieldToEventLoop();
    out.push(f(rows[i]!, i));
  }
  return out;
}

const pct = (r: number | null) => (r === null ? null : Math.round(r * 1000) / 10);

const FIGURE_HEADERS = [
  '范围',
  '新增案件',
  ...STATUSES.map((s) => STATUS_LABELS[s]),
  '结案率(%)',
  '应结案数',
  '缓办数',
  '按期结案数',
  '按期结案率(%)',
  '平均处置时长(小时)',
  '返工次数',
  '重办案件',
  '重办率(%)',
  '满意',
  '基本满意',
  '不满意',
  '满意率(%)',
  '服务',
  '管理',
  '执法',
  '其中巡查劝导',
  '服务占比(%)',
  '管理占比(%)',
  '执法占比(%)',
];

function figureRow(scope: string, f: StatsFigures): Array<string | number | null> {
  const m = f.mode721;
  return [
    scope,
    f.total,
    ...STATUSES.map((s) => f.byStatus[s]),
    pct(f.closureRate),
    f.due,
    f.postponed,
    f.closedOnTime,
    pct(f.onTimeRate),
    f.avgHandlingHours,
    f.reworkCount,
    f.reopened,
    pct(f.reopenRate),
    f.ratings.satisfied,
    f.ratings.basic,
    f.ratings.unsatisfied,
    pct(f.satisfactionRate),
    m.service,
    m.management,
    m.enforcement,
    m.patrolSettled,
    pct(m.shares?.service ?? null),
    pct(m.shares?.management ?? null),
    pct(m.shares?.enforcement ?? null),
  ];
}

/** Figures per street (for the district) or of one street, then the total; the trend; posts;
 * department and per-person scorecards; the definitions (口径说明) they follow. */
export function statsTables(
  v: StatsView,
  perStreet: boolean,
): {
  figures: ExportTable;
  trend: ExportTable;
  posts: ExportTable;
  departments: ExportTable;
  people: ExportTable;
  notes: ExportTable;
} {
  const rows = [
    ...(perStreet ? v.streets.map((s) => figureRow(s.street, s)) : []),
    figureRow(`${v.scope}（${v.from} 至 ${v.to}）`, v.totals),
  ];
  return {
    figures: { sheet: '考核指标', headers: FIGURE_HEADERS, rows },
    trend: {
      sheet: '每日趋势',
      headers: ['日期', '新增', '结案'],
      rows: v.trend.map((p) => [p.day, p.created, p.closed]),
    },
    posts: {
      sheet: '按岗位',
      headers: ['岗位', '案件数'],
      rows: Object.entries(v.totals.byPost).sort((a, b) => b[1] - a[1]),
    },
    departments: {
      sheet: '部门考核',
      headers: [
        '部门',
        '收到移送',
        '按时受理',
        '按时受理率(%)',
        '退回',
        '应结案数',
        '缓办数',
        '按期结案数',
        '按期结案率(%)',
      ],
      rows: v.departments.map((d) => [
        d.department,
        d.referralsReceived,
        d.acceptedInTime,
        pct(d.acceptedInTimeRate),
        d.returned,
        d.due,
        d.postponed,
        d.closedOnTime,
        pct(d.onTimeRate),
      ]),
    },
    people: {
      sheet: '人员考核',
      headers: ['街道', '姓名', '角色', '办结案件', '按期', '返工'],
      rows: v.people.map((p) => [p.street, p.person, ROLE_LABELS[p.role] ?? p.role, p.handled, p.onTime, p.rework]),
    },
    notes: {
      sheet: '口径说明',
      headers: ['指标', '定义'],
      rows: ASSESSMENT_NOTES.map(([k, d]) => [k, d]),
      widths: [16, 100],
    },
  };
}
