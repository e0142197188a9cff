import type { HotlineImportReport } from '../../core/hotline/hotline-report.ts';
import { reportSummary } from '../../core/hotline/hotline-report.ts';
import { CSRF_FIELD } from '../plugins/csrf.ts';
import { html, type SafeHtml } from './html.ts';
import { layout } from './layout.ts';
import type { PageContext } from './page-context.ts';

export interface HotlinePageData {
  mappingName: string;
  /** First and last day of the previous month, the default export period. */
  defaultFrom: string;
  defaultTo: string;
  report?: { fileName: string; report: HotlineImportReport };
}

function reportSection(fileName: string, r: HotlineImportReport): SafeHtml {
  const rows = [
    ...r.failed.map((f) => ({ kind: '失败', row: f.row, ref: f.ref ?? '', text: f.reason })),
    ...r.skipped.map((s) => ({ kind: '跳过', row: s.row, ref: s.ref, text: s.reason })),
    ...r.warnings.map((w) => ({ kind: '提示', row: w.row, ref: w.ref, text: w.message })),
  ];
  return html`<section class="panel" id="import-report"><h2>导入结果：${fileName}</h2>
    <p class="${r.failed.length ? 'flash flash-error' : 'flash flash-ok'}">${reportSummary(r)}</p>
    ${
      rows.length
        ? html`<table><thead><tr><th>类别</th><th>行号</th><th>工单编号</th><th>说明</th></tr></thead><tbody>${rows.map(
            (x) => html`<tr><td>${x.kind}</td><td>${x.row}</td><td>${x.ref}</td><td>${x.text}</td></tr>`,
          )}</tbody></table>`
        : ''
    }
    ${
      r.created.length
        ? html`<details><summary>新建案件 ${r.created.length} 件</summary><table><thead><tr><th>行号</th><th>工单编号</th><th>案件</th><th>街道</th></tr></thead><tbody>${r.created.map(
            (c) =>
              html`<tr><td>${c.row}</td><td>${c.ref}</td><td><a href="/cases/${encodeURIComponent(c.caseNumber)}">${c.caseNumber}</a></td><td>${c.street ?? '待分拣'}</td></tr>`,
          )}</tbody></table></details>`
        : ''
    }</section>`;
}

/** 12345 工单: upload an export (CSV/XLSX) to file its orders, download the results in the hotline's layout. */
export function hotlinePage(ctx: PageContext, d: HotlinePageData): SafeHtml {
  const body = html`<h1>12345 热线工单</h1>
  <p>格式：${d.mappingName}。同一工单编号不会重复立案；有问题的行会列出行号，其余照常导入。来电人姓名和电话只供承办人员回访，不会公开。</p>
  ${d.report ? reportSection(d.report.fileName, d.report.report) : ''}
  <section class="panel"><h2>导入工单</h2>
    <form method="post" action="/hotline/import" enctype="multipart/form-data">
      <input type="hidden" name="${CSRF_FIELD}" value="${ctx.csrf}">
      <label for="hotline-file">热线导出文件（CSV 或 XLSX）</label>
      <input id="hotline-file" type="file" name="file" accept=".csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" required>
      <button type="submit">导入</button>
    </form>
  </section>
  <section class="panel"><h2>导出办理结果</h2>
    <form method="get" action="/exports/hotline.xlsx">
      <label for="hotline-from">受理日期自</label><input id="hotline-from" type="date" name="from" value="${d.defaultFrom}" required>
      <label for="hotline-to">至</label><input id="hotline-to" type="date" name="to" value="${d.defaultTo}" required>
      <button type="submit">下载 XLSX</button>
      <button type="submit" formaction="/exports/hotline.csv">下载 CSV</button>
    </form>
  </section>`;
  return layout(ctx, '12345 热线工单', body);
}
