import type {
  DepartmentScorecard,
  PersonFigures,
  StatsFigures,
  StreetFigures,
  TrendPoint,
} from '../../core/stats/stats-types.ts';
import type { CaseListItem } from '../../db/case-queries.ts';
import { caseRows } from './board-page.ts';
import { ASSESSMENT_NOTES } from '../../core/stats/assessment-rules.ts';
import { attrIf, html, type SafeHtml } from './html.ts';
import { layout } from './layout.ts';
import type { PageContext } from './page-context.ts';
import {
  byPostSection,
  byStatusSection,
  departmentTable,
  keyFigures,
  mode721Section,
  notesSection,
  peopleTable,
  streetCharts,
  streetTable,
  trendSection,
} from './stats-sections.ts';

export interface StatsView {
  /** Inclusive district days, as the period form shows them. */
  from: string;
  to: string;
  scope: string;
  totals: StatsFigures;
  streets: StreetFigures[];
  departments: DepartmentScorecard[];
  /** Team leads and enforcers of the scope; never shown on the public page. */
  people: PersonFigures[];
  trend: TrendPoint[];
}

function periodForm(action: string, v: StatsView, streetChoice?: { streets: string[]; current: string }): SafeHtml {
  return html`<form method="get" action="${action}" class="filters period" aria-label="统计区间">
    ${streetChoice ? html`<label>街道<select name="street">${streetChoice.streets.map((s) => html`<option value="${s}"${attrIf(s === streetChoice.current, 'selected')}>${s}</option>`)}</select></label>` : ''}
    <label>起始日期<input type="date" name="from" value="${v.from}" required></label>
    <label>截止日期<input type="date" name="to" value="${v.to}" required></label>
    <div class="button-row"><button type="submit">查看</button></div>
  </form>`;
}

function exportLinks(v: StatsView, street?: string): SafeHtml {
  const qs = new URLSearchParams({ from: v.from, to: v.to, ...(street ? { street } : {}) }).toString();
  return html`<p class="summary">统计区间 ${v.from} 至 ${v.to}（北京时间）。导出：<a href="/exports/stats.csv?${qs}">CSV</a> · <a href="/exports/stats.xlsx?${qs}">Excel</a></p>`;
}

export function districtPage(ctx: PageContext, v: StatsView): SafeHtml {
  const body = html`<h1>全区统计 · ${v.scope}</h1>
    ${periodForm('/district', v)}
    ${exportLinks(v)}
    ${keyFigures(v.totals)}
    <section class="panel" aria-label="各街道考核指标">${streetTable(v.streets)}</section>
    <section class="panel" aria-label="部门考核">${departmentTable(v.departments)}</section>
    ${notesSection(ASSESSMENT_NOTES)}
    <div class="chart-grid">
      ${streetCharts(v.streets)}
      ${byStatusSection(v.totals)}
      ${byPostSection(v.totals)}
      ${mode721Section(v.totals)}
      ${trendSection(v.trend)}
    </div>`;
  return layout(ctx, '全区统计', body);
}

export interface StreetPageExtra {
  street: string;
  open: CaseListItem[];
  openTotal: number;
  /** District admins may switch streets. */
  streets?: string[];
  /** Team leads and the bureau see per-person figures. */
  showPeople: boolean;
}

export function streetPage(ctx: PageContext, v: StatsView, x: StreetPageExtra): SafeHtml {
  const boardLink = `/?street=${encodeURIComponent(x.street)}&status=triage,dispatched,accepted,resolved`;
  const body = html`<h1>${x.street} · 街道视图</h1>
    ${periodForm('/street', v, x.streets ? { streets: x.streets, current: x.street } : undefined)}
    <section class="panel" aria-labelledby="open-h"><h2 id="open-h">未结案件（${x.openTotal} 件，超期在前）</h2>
      ${caseRows(x.open)}
      ${x.openTotal > x.open.length ? html`<p><a href="${boardLink}">查看全部 ${x.openTotal} 件</a></p>` : ''}
    </section>
    ${exportLinks(v, x.street)}
    ${keyFigures(v.totals)}
    ${x.showPeople ? html`<section class="panel" aria-label="人员考核">${peopleTable(v.people)}</section>` : ''}
    <section class="panel" aria-label="部门考核">${departmentTable(v.departments)}</section>
    ${notesSection(ASSESSMENT_NOTES)}
    <div class="chart-grid">
      ${byStatusSection(v.totals)}
      ${byPostSection(v.totals)}
      ${mode721Section(v.totals)}
      ${trendSection(v.trend)}
    </div>`;
  return layout(ctx, `${x.street}街道视图`, body);
}
