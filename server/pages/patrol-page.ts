import type { InspectorDay, PatrolFindingView } from '../../core/schedule/patrol-jobs-port.ts';
import {
  countFindings,
  durationText,
  outcomeText,
  placeText,
  shanghaiTime,
} from '../../core/schedule/patrol-report-fns.ts';
import { html, type SafeHtml } from './html.ts';
import { layout } from './layout.ts';
import type { PageContext } from './page-context.ts';

export interface PatrolPageData {
  /** 'YYYY-MM-DD' (Shanghai). */
  date: string;
  /** 万松街道, or 全区 for the bureau. */
  scope: string;
  days: InspectorDay[];
  now: Date;
}

function outcomeCell(f: PatrolFindingView): SafeHtml {
  if (f.outcome === 'settled') return html`<span class="badge">已劝导整改</span>`;
  const text = outcomeText(f);
  return f.caseNumber
    ? html`${text.replace(f.caseNumber, '').trim()} <a href="/cases/${encodeURIComponent(f.caseNumber)}">${f.caseNumber}</a>`
    : html`${text}`;
}

function inspectorSection(d: InspectorDay, now: Date): SafeHtml {
  const n = countFindings(d.findings);
  const ms = d.patrols.reduce((t, p) => t + Math.max(0, (p.endedAt ?? now).getTime() - p.startedAt.getTime()), 0);
  return html`<section class="panel"><h2>${d.name}${d.street ? html` <small>${d.street}</small>` : ''}</h2>
    <p>巡查 ${d.patrols.length} 次，共 ${durationText(ms)}；发现问题 ${n.findings} 处：现场劝导整改 ${n.settled} 处，立案 ${n.cases} 件，移交部门 ${n.referred} 件。</p>
    ${
      d.findings.length
        ? html`<table><thead><tr><th>时间</th><th>地点</th><th>事项</th><th>描述</th><th>照片</th><th>结果</th></tr></thead><tbody>${d.findings.map(
            (f) =>
              html`<tr><td>${shanghaiTime(f.at)}</td><td>${placeText(f)}</td><td>${f.matter ?? '事项待定'}</td><td>${f.text}</td><td>${f.photos ? `${f.photos} 张` : '无'}</td><td>${outcomeCell(f)}</td></tr>`,
          )}</tbody></table>`
        : html`<p>今日未发现问题。</p>`
    }</section>`;
}

/** 巡查: each inspector's patrols and findings of one day, settled findings included. */
export function patrolPage(ctx: PageContext, data: PatrolPageData): SafeHtml {
  const all = data.days.flatMap((d) => d.findings);
  const n = countFindings(all);
  return layout(
    ctx,
    '巡查记录',
    html`<h1>巡查记录 <small>${data.scope}</small></h1>
    <form method="get" action="/patrols" class="filters"><label>日期 <input type="date" name="date" value="${data.date}"></label> <button type="submit">查看</button></form>
    <p>${data.date}：巡查员 ${data.days.length} 人，发现问题 ${n.findings} 处，其中现场劝导整改 ${n.settled} 处，立案 ${n.cases} 件，移交部门 ${n.referred} 件。</p>
    ${data.days.length ? data.days.map((d) => inspectorSection(d, data.now)) : html`<p>当天没有巡查记录。</p>`}`,
  );
}
