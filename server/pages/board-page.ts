import { STATUS_LABELS, STATUSES } from '../../core/case/case-types.ts';
import { POSTS } from '../../core/power-list/power-list-types.ts';
import type { CaseListItem } from '../../db/case-queries.ts';
import { HANDLING_LABELS, shortDateTime } from './format.ts';
import { attrIf, html, type SafeHtml } from './html.ts';
import { layout } from './layout.ts';
import type { PageContext } from './page-context.ts';
import { PAGE_SIZE, queryString, type BoardFilters } from './board-query.ts';

export interface BoardData {
  title: string;
  action: string; // where the filter form submits (/ or /overdue)
  filters: BoardFilters;
  streets: string[];
  items: CaseListItem[];
  total: number;
  /** The total is a lower bound (a text search counted up to its cap): "超过 N 件". */
  totalIsLowerBound?: boolean;
  page: number;
  intro?: SafeHtml;
}

const OPEN_STATUS = 'triage,dispatched,accepted,resolved';

function select(name: string, label: string, current: string | undefined, options: Array<[string, string]>): SafeHtml {
  return html`<label>${label}<select name="${name}"><option value="">全部</option>${options.map(
    ([v, text]) => html`<option value="${v}"${attrIf(current === v, 'selected')}>${text}</option>`,
  )}</select></label>`;
}

function filterForm(d: BoardData): SafeHtml {
  const f = d.filters;
  return html`<form method="get" action="${d.action}" class="filters" aria-label="筛选案件">
    ${select(
      'street',
      '街道',
      f.street,
      d.streets.map((s) => [s, s]),
    )}
    ${select('status', '状态', f.status, [[OPEN_STATUS, '未结案（全部）'], ...STATUSES.map((s): [string, string] => [s, STATUS_LABELS[s]])])}
    ${select(
      'post',
      '岗位',
      f.post,
      POSTS.map((p) => [p, p]),
    )}
    ${select('handling', '承办层级', f.handling, Object.entries(HANDLING_LABELS))}
    ${select('overdue', '是否超期', f.overdue, [
      ['true', '仅超期'],
      ['false', '未超期'],
    ])}
    <label>立案起<input type="date" name="from" value="${f.from ?? ''}"></label>
    <label>立案止<input type="date" name="to" value="${f.to ?? ''}"></label>
    <label class="wide">关键词<input type="search" name="q" value="${f.q ?? ''}" maxlength="100" placeholder="内容、编号或地址"></label>
    <div class="button-row"><button type="submit">筛选</button> <a class="button secondary" href="${d.action}">清除</a></div>
  </form>`;
}

export function caseRows(items: CaseListItem[]): SafeHtml {
  if (items.length === 0) return html`<p class="empty">没有符合条件的案件。</p>`;
  return html`<table class="cases stack">
    <thead><tr><th scope="col">编号</th><th scope="col">状态</th><th scope="col">内容</th><th scope="col">街道 / 部门</th><th scope="col">岗位</th><th scope="col">期限</th><th scope="col">立案</th></tr></thead>
    <tbody>${items.map(
      (c) => html`<tr class="${c.overdue ? 'overdue' : ''}">
        <td data-label="编号"><a href="/cases/${encodeURIComponent(c.number)}">${c.number}</a>${c.urgent ? html` <span class="badge urgent">紧急</span>` : ''}</td>
        <td data-label="状态"><span class="status status-${c.status}">${c.statusLabel}</span></td>
        <td data-label="内容" class="text">${c.item ? html`<strong>${c.item.name}</strong><br>` : ''}${c.text}</td>
        <td data-label="街道 / 部门">${c.street ?? c.department ?? '—'}</td>
        <td data-label="岗位">${c.post ?? '—'}</td>
        <td data-label="期限">${shortDateTime(c.dueAt)}${c.overdue ? html` <span class="badge late">已超期</span>` : ''}</td>
        <td data-label="立案">${shortDateTime(c.createdAt)}</td>
      </tr>`,
    )}</tbody></table>`;
}

function pager(d: BoardData): SafeHtml {
  const pages = Math.max(1, Math.ceil(d.total / PAGE_SIZE));
  // A lower bound: the last page is not known, only that there is a next one.
  const more = d.totalIsLowerBound === true;
  if (pages === 1 && !more) return html``;
  const link = (p: number, text: string, rel: string) =>
    html`<a href="${d.action}${queryString(d.filters, { page: p })}" rel="${rel}">${text}</a>`;
  return html`<nav class="pager" aria-label="分页">
    ${d.page > 1 ? link(d.page - 1, '上一页', 'prev') : ''}
    <span>${more ? `第 ${d.page} 页` : `第 ${d.page} / ${pages} 页`}</span>
    ${more || d.page < pages ? link(d.page + 1, '下一页', 'next') : ''}
  </nav>`;
}

/** "共 1,234 件", or past a search's counting cap "超过 200 件". */
export const totalText = (total: number, lowerBound: boolean | undefined): string =>
  lowerBound ? `超过 ${total.toLocaleString('en-US')} 件` : `共 ${total} 件`;

export function boardPage(ctx: PageContext, d: BoardData): SafeHtml {
  const qs = queryString(d.filters);
  const body = html`<h1>${d.title}</h1>
    ${d.intro ?? ''}
    <details class="panel filter-panel"${attrIf(Object.keys(d.filters).length > 0, 'open')}><summary>筛选条件</summary>${filterForm(d)}</details>
    <p class="summary">${totalText(d.total, d.totalIsLowerBound)}（超期案件排在前面）。导出当前筛选结果：
      <a href="/exports/cases.csv${qs}">CSV</a> · <a href="/exports/cases.xlsx${qs}">Excel</a></p>
    ${caseRows(d.items)}
    ${pager(d)}`;
  return layout(ctx, d.title, body);
}
