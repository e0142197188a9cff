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
import { FOLLOWED_TEXT } from '../../db/case-queries.ts';
import { exportRowsAfter, type ExportCaseRow } from '../../db/case-export-rows.ts';
import type { Db } from '../../db/prisma-client.ts';
import type { BoardFilters } from './board-query.ts';
import { toListQuery } from './board-query.ts';
import { csvLine, type ExportTable } from './export-format.ts';
import { xlsxStream, type XlsxStreamRow } from './xlsx-stream.ts';
import { dateTime, handlingLabel, ROLE_LABELS } from './format.ts';
import type { StatsView } from './stats-page.ts';

/** Enough for a year of a busy district; beyond that, narrow the filters. */
export const EXPORT_MAX_ROWS = 20_000;

const CHUNK = 500;
const CASES_SHEET = '案件';
/**
 * Cases per chunk of the streamed CSV (and XLSX). Smaller chunks leave less alive across each read, so less
 * reaches the old generation and each scavenge has less to copy. At 1M cases with 16 clients (two
 * exports built at a time), 500 gave stalls of 96–207 ms; 200 gave XLSX stalls of 54–57 ms and CSV
 * 32–43 ms; 100 gave 26–43 ms and 18–20 ms, the downloads as fast; 50 made the CSV a third slower.
 */
export const CSV_CHUNK = 100;

/**
 * The cases the viewer may see, with the board's filters, in the board's order, CHUNK at a time:
 * the list's keyset paging decides which cases (visibility and filters live in one place) and
 * the same statement reads their columns (db/case-export-rows.ts exportRowsAfter). Keyset paging gives the same rows and order as one long page, and the next chunk
 * is fetched only when the caller asks for it, so a streamed export holds a chunk or two in
 * memory, not the whole export (20,000 row objects, their table and text, sixteen exports at a
 * time, made the garbage collector hold the event loop for hundreds of milliseconds).
 */
export async function* caseRowChunks(
  db: Db,
  actor: Actor,
  filters: BoardFilters,
  now: Date,
  chunk = CHUNK,
): AsyncGenerator<ExportCaseRow[]> {
  const read = caseChunkReader(db, actor, filters, now, chunk);
  for (let rows = await read(); rows; rows = await read()) {
    yield rows;
    await yieldToEventLoop();
  }
}

/**
 * caseRowChunks as a function that reads the next chunk (null at the end). A generator keeps
 * what its frame refers to while it waits for its caller, which for a streamed download is
 * as long as the client takes the bytes before: the chunk's rows outlived two scavenges and
 * reached the old generation. A caller that maps each chunk as it returns holds nothing between.
 */
export function caseChunkReader(
  db: Db,
  actor: Actor,
  filters: BoardFilters,
  now: Date,
  chunk = CHUNK,
): () => Promise<ExportCaseRow[] | null> {
  const query = toListQuery(filters, 1, chunk);
  let count = 0;
  let cursor: string | null = '';
  return async () => {
    if (cursor === null || count >= EXPORT_MAX_ROWS) return null;
    const page = await exportRowsAfter(
      db,
      actor,
      { ...query, pageSize: Math.min(chunk, EXPORT_MAX_ROWS - count) },
      cursor,
      now,
    );
    count += page.rows.length;
    cursor = page.nextCursor;
    return page.rows.length ? page.rows : null;
  };
}

/**
 * The whole export as a table: what the streamed CSV and XLSX (casesCsv, casesXlsx) give a
 * chunk at a time, kept whole as their reference. The reporter's name and phone are filled
 * only where canSeeReporterContact allows, and their columns exist only when some row may
 * show them; for the other rows phone numbers and the like are redacted from the report and
 * outcome text.
 */
export async function casesTable(db: Db, actor: Actor, filters: BoardFilters, now: Date): Promise<ExportTable> {
  const rows: CaseCells[] = [];
  for await (const part of caseRowChunks(db, actor, filters, now)) {
    for (const c of part) rows.push(caseCells(actor, c, now));
  }
  const withContact = rows.some((r) => r.contact !== null);
  const headers = caseHeaders(withContact);
  return {
    sheet: CASES_SHEET,
    headers,
    rows: rows.map((r) => (withContact ? [...r.cells, ...(r.contact ?? [null, null])] : r.cells)),
    widths: caseWidths(headers),
  };
}

function caseWidths(headers: string[]): number[] {
  return headers.map((h) =>
    h === '报告内容' || h === '处置结果'
      ? 50
      : h.endsWith('时间') || h === '处置期限'
        ? 18
        : Math.max(10, h.length * 2 + 2),
  );
}

/** A streamed export's chunk size (tests use small ones), and what it is told of the rows at the end. */
export interface CaseExportOptions {
  chunk?: number;
  onEnd?: (rows: number) => void;
}

/**
 * The same workbook as toXlsx([casesTable(…)]), written on its worker (xlsx-stream.ts) a chunk
 * of cases at a time and handed on as bytes: the main thread holds one chunk of row objects at
 * a time, never the table nor the file (a whole table and workbook per export, sixteen exports
 * at once, held the event loop for over 50 ms). The contact columns are decided as for the CSV.
 */
export function casesXlsx(
  db: Db,
  actor: Actor,
  filters: BoardFilters,
  now: Date,
  opts: CaseExportOptions = {},
): AsyncGenerator<Buffer> {
  const headers = caseHeaders(true);
  const read = caseChunkReader(db, actor, filters, now, opts.chunk ?? CSV_CHUNK);
  let count = 0;
  // Each chunk is mapped as it is read and its row objects dropped (see caseChunkReader).
  const next = async (): Promise<XlsxStreamRow[] | null> => {
    const part = await read();
    if (!part) {
      opts.onEnd?.(count);
      return null;
    }
    count += part.length;
    return part.map((c): XlsxStreamRow => {
      const { cells, contact } = caseCells(actor, c, now);
      return [cells, contact];
    });
  };
  return xlsxStream({ sheet: CASES_SHEET, headers, widths: caseWidths(headers), optional: 2 }, next);
}

/**
 * The same bytes as toCsv(casesTable(…)), a chunk of cases at a time (UTF-8 with BOM, CRLF):
 * each chunk becomes CSV text and is handed on, its row objects dropped. Whether the contact
 * columns exist depends on the rows, so lines are held back (as text) until the first row the
 * viewer may see the contact of, or the end; for the bureau and team leads that is at once.
 */
export async function* casesCsv(
  db: Db,
  actor: Actor,
  filters: BoardFilters,
  now: Date,
  opts: CaseExportOptions = {},
): AsyncGenerator<Buffer> {
  const head = (withContact: boolean) => `\uFEFF${csvLine(caseHeaders(withContact))}\r\n`;
  let withContact: boolean | null = null;
  let held: string[] = [];
  let count = 0;
  for await (const part of caseRowChunks(db, actor, filters, now, opts.chunk ?? CSV_CHUNK)) {
    let out = '';
    for (const c of part) {
      const { cells, contact } = caseCells(actor, c, now);
      const line = csvLine(cells);
      if (withContact === null) {
        if (contact === null) {
          held.push(line);
          continue;
        }
        withContact = true;
        // The lines held back had no contact of their own: two empty cells each.
        out += head(true) + held.map((l) => `${l},,\r\n`).join('');
        held = [];
      }
      out += `${line},${csvLine(contact ?? [null, null])}\r\n`;
    }
    count += part.length;
    if (out) yield Buffer.from(out, 'utf8');
  }
  if (withContact === null) yield Buffer.from(head(false) + held.map((l) => `${l}\r\n`).join(''), 'utf8');
  opts.onEnd?.(count);
}

function caseHeaders(withContact: boolean): string[] {
  return [
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
}

type Cell = string | number | null;
/** One case's cells; `contact` is the reporter's name and phone, or null where the viewer may not see them. */
interface CaseCells {
  cells: Cell[];
  contact: [Cell, Cell] | null;
}

function caseCells(actor: Actor, c: ExportCaseRow, now: Date): CaseCells {
  const contact = canSeeReporterContact(actor, c);
  // Rows the viewer only follows read as the follower view does: no text, address, point or handler.
  const followed = caseView(actor, { ...c, actorFollows: true }) === 'follower';
  const place = followed
    ? coarseLocation(c.lat, c.lng)
    : c.lat === null || c.lng === null
      ? null
      : { lat: c.lat, lng: c.lng };
  return {
    cells: [
      c.number,
      STATUS_LABELS[c.status as CaseStatus] ?? c.status,
      c.street?.name ?? null,
      c.department?.name ?? null,
      handlingLabel(c.handling),
      c.post,
      c.item?.code ?? null,
      c.item?.name ?? null,
      // Files travel further than pages: numbers a reporter typed stay with those who may call them.
      followed ? FOLLOWED_TEXT : contact ? c.text : redactPersonalData(c.text),
      followed ? null : c.address,
      place?.lat ?? null,
      place?.lng ?? null,
      c.urgent ? '是' : '否',
      followed ? null : c.channel,
      followed ? null : (c.assignee?.displayName ?? null),
      dateTime(c.createdAt),
      c.dueAt ? dateTime(c.dueAt) : null,
      isOverdue(c, now) ? '是' : '否',
      c.resolvedAt ? dateTime(c.resolvedAt) : null,
      c.closedAt ? dateTime(c.closedAt) : null,
      c.mode721 ? (MODE_721_LABELS[c.mode721 as Mode721] ?? c.mode721) : null,
      c.outcome && !contact ? redactPersonalData(c.outcome) : c.outcome,
      c.returnCount,
      c.reworkCount,
      c.reopenCount,
      c.ratings[0] ? (RATING_LABELS[c.ratings[0].score as RatingScore] ?? c.ratings[0].score) : null,
    ],
    contact: contact ? [c.reporter.displayName, c.reporter.phone] : null,
  };
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
