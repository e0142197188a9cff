import { MODE_721_LABELS, STATUS_LABELS, STATUSES, type Mode721 } from '../../core/case/case-types.ts';
import type {
  DepartmentScorecard,
  PersonFigures,
  StatsFigures,
  StreetFigures,
  TrendPoint,
} from '../../core/stats/stats-types.ts';
import { barChart, trendChart } from './charts-svg.ts';
import { hours, percent, ROLE_LABELS } from './format.ts';
import { html, type SafeHtml } from './html.ts';

/** Building blocks of the statistics pages (district, street, public): figures, charts, tables. */

const MODES: Mode721[] = ['service', 'management', 'enforcement'];

export function keyFigures(f: StatsFigures): SafeHtml {
  const card = (label: string, value: string, hint: string) =>
    html`<div class="figure"><dt>${label}</dt><dd>${value}</dd><dd class="hint">${hint}</dd></div>`;
  const shares = f.mode721.shares;
  return html`<dl class="figures">
    ${card('新增案件', String(f.total), `已结案 ${f.closed}`)}
    ${card('结案率', percent(f.closureRate), '结案数 /（案件数 − 合并数）')}
    ${card('自动核查结案', String(f.autoVerified), `人工核查结案 ${f.verifiedByPerson}（核查期限已过由系统结案的不计入人工核查）`)}
    ${card('按期结案率', percent(f.onTimeRate), `按期 ${f.closedOnTime} / 应结 ${f.due - f.postponed}`)}
    ${card('平均处置时长', hours(f.avgHandlingHours), '立案至办结')}
    ${card('返工次数', String(f.reworkCount), `重办率 ${percent(f.reopenRate)}`)}
    ${card('满意率', percent(f.satisfactionRate), `评价 ${f.ratings.total} 条`)}
    ${card('“721”比例', shares ? MODES.map((m) => Math.round(shares[m] * 100)).join(' : ') : '—', '服务 : 管理 : 执法')}
  </dl>`;
}

function countTable(caption: string, rows: Array<[string, number]>): SafeHtml {
  return html`<table class="compact"><caption>${caption}</caption><thead><tr><th scope="col">类别</th><th scope="col">件数</th></tr></thead>
    <tbody>${rows.map(([k, v]) => html`<tr><th scope="row">${k}</th><td>${v}</td></tr>`)}</tbody></table>`;
}

export function byStatusSection(f: StatsFigures): SafeHtml {
  const rows = STATUSES.map((s): [string, number] => [STATUS_LABELS[s], f.byStatus[s]]);
  return html`<section class="panel chart-panel" aria-labelledby="st-h"><h2 id="st-h">按状态</h2>
    ${barChart(
      '按状态的案件数',
      rows.map(([label, v]) => ({ label, value: v, text: String(v) })),
    )}
    <details><summary>数据表</summary>${countTable('按状态的案件数', rows)}</details></section>`;
}

export function byPostSection(f: StatsFigures): SafeHtml {
  const rows = Object.entries(f.byPost).sort((a, b) => b[1] - a[1]);
  return html`<section class="panel chart-panel" aria-labelledby="post-h"><h2 id="post-h">按岗位</h2>
    ${
      rows.length
        ? barChart(
            '按岗位的案件数',
            rows.map(([label, v]) => ({ label, value: v, text: String(v) })),
          )
        : html`<p class="empty">期内没有案件。</p>`
    }
    <details><summary>数据表</summary>${countTable('按岗位的案件数', rows)}</details></section>`;
}

export function mode721Section(f: StatsFigures): SafeHtml {
  const m = f.mode721;
  const bars = MODES.map((k) => ({
    label: MODE_721_LABELS[k],
    value: m[k],
    text: `${m[k]}（${percent(m.shares?.[k] ?? null)}）`,
  }));
  return html`<section class="panel chart-panel" aria-labelledby="m721-h"><h2 id="m721-h">“721”工作法</h2>
    ${barChart('办结案件的处置方式', bars)}
    <p class="muted">含巡查现场劝导整改 ${m.patrolSettled} 起（计为服务）。目标比例约 7 : 2 : 1。</p></section>`;
}

export function trendSection(trend: TrendPoint[]): SafeHtml {
  return html`<section class="panel chart-panel wide" aria-labelledby="trend-h"><h2 id="trend-h">每日趋势</h2>
    ${trendChart('每日新增与结案案件数', trend)}
    <details><summary>数据表</summary><table class="compact"><caption>每日新增与结案</caption>
      <thead><tr><th scope="col">日期</th><th scope="col">新增</th><th scope="col">结案</th></tr></thead>
      <tbody>${trend.map((p) => html`<tr><th scope="row">${p.day}</th><td>${p.created}</td><td>${p.closed}</td></tr>`)}</tbody></table></details></section>`;
}

/** The assessment table per street (考核): one row per street, every rate beside its counts. */
export function streetTable(streets: StreetFigures[]): SafeHtml {
  return html`<div class="table-scroll" role="region" aria-labelledby="streets-h" tabindex="0"><table class="numbers">
    <caption id="streets-h">各街道考核指标</caption>
    <thead><tr><th scope="col">街道</th><th scope="col">案件</th><th scope="col">结案</th><th scope="col">结案率</th><th scope="col">应结</th><th scope="col">按期</th><th scope="col">按期率</th>
      <th scope="col">平均时长</th><th scope="col">返工</th><th scope="col">重办率</th><th scope="col">评价</th><th scope="col">满意率</th><th scope="col">服务/管理/执法</th></tr></thead>
    <tbody>${streets.map(
      (
        s,
      ) => html`<tr><th scope="row"><a href="/street?street=${encodeURIComponent(s.street)}">${s.street}</a></th><td>${s.total}</td><td>${s.closed}</td><td>${percent(s.closureRate)}</td>
        <td>${s.due - s.postponed}</td><td>${s.closedOnTime}</td><td>${percent(s.onTimeRate)}</td><td>${hours(s.avgHandlingHours)}</td><td>${s.reworkCount}</td>
        <td>${percent(s.reopenRate)}</td><td>${s.ratings.total}</td><td>${percent(s.satisfactionRate)}</td><td>${s.mode721.service}/${s.mode721.management}/${s.mode721.enforcement}</td></tr>`,
    )}</tbody></table></div>`;
}

/** Per-street bar charts of the rates the assessment ranks streets by. */
export function streetCharts(streets: StreetFigures[]): SafeHtml {
  const short = (s: string) => s.replace(/街道$/, '');
  const rateBars = (pick: (s: StreetFigures) => number | null) =>
    streets.map((s) => ({ label: short(s.street), value: pick(s), text: percent(pick(s)) }));
  return html`
    <section class="panel chart-panel" aria-labelledby="on-h"><h2 id="on-h">按期结案率</h2>${barChart(
      '各街道按期结案率',
      rateBars((s) => s.onTimeRate),
      1,
    )}</section>
    <section class="panel chart-panel" aria-labelledby="avg-h"><h2 id="avg-h">平均处置时长</h2>${barChart(
      '各街道平均处置时长（小时）',
      streets.map((s) => ({ label: short(s.street), value: s.avgHandlingHours, text: hours(s.avgHandlingHours) })),
    )}</section>
    <section class="panel chart-panel" aria-labelledby="sat-h"><h2 id="sat-h">满意率</h2>${barChart(
      '各街道满意率',
      rateBars((s) => s.satisfactionRate),
      1,
    )}</section>
    <section class="panel chart-panel" aria-labelledby="rw-h"><h2 id="rw-h">返工次数</h2>${barChart(
      '各街道返工次数',
      streets.map((s) => ({ label: short(s.street), value: s.reworkCount, text: String(s.reworkCount) })),
    )}</section>`;
}

/** 部门考核: one row per department cases are referred to. */
export function departmentTable(departments: DepartmentScorecard[]): SafeHtml {
  return html`<div class="table-scroll" role="region" aria-labelledby="depts-h" tabindex="0"><table class="numbers">
    <caption id="depts-h">部门考核</caption>
    <thead><tr><th scope="col">部门</th><th scope="col">收到移送</th><th scope="col">按时受理</th><th scope="col">按时受理率</th><th scope="col">退回</th>
      <th scope="col">应结</th><th scope="col">按期</th><th scope="col">按期率</th></tr></thead>
    <tbody>${departments.map(
      (d) =>
        html`<tr><th scope="row">${d.department}</th><td>${d.referralsReceived}</td><td>${d.acceptedInTime}</td><td>${percent(d.acceptedInTimeRate)}</td><td>${d.returned}</td><td>${d.due - d.postponed}</td><td>${d.closedOnTime}</td><td>${percent(d.onTimeRate)}</td></tr>`,
    )}</tbody></table></div>`;
}

/** 人员考核 for team leads: staff pages only, never the public page. */
export function peopleTable(people: PersonFigures[]): SafeHtml {
  return html`<div class="table-scroll" role="region" aria-labelledby="people-h" tabindex="0"><table class="numbers">
    <caption id="people-h">人员考核</caption>
    <thead><tr><th scope="col">姓名</th><th scope="col">角色</th><th scope="col">办结案件</th><th scope="col">按期</th><th scope="col">返工</th></tr></thead>
    <tbody>${
      people.length
        ? people.map(
            (p) =>
              html`<tr><th scope="row">${p.person}</th><td>${ROLE_LABELS[p.role] ?? p.role}</td><td>${p.handled}</td><td>${p.onTime}</td><td>${p.rework}</td></tr>`,
          )
        : html`<tr><td colspan="5" class="empty">期内没有办结或转派记录。</td></tr>`
    }</tbody></table></div>`;
}

/** 口径说明: the definitions from core/stats/assessment-rules.ts, beside the figures they explain. */
export function notesSection(notes: ReadonlyArray<readonly [string, string]>): SafeHtml {
  return html`<details class="panel notes"><summary>口径说明</summary><dl>${notes.map(
    ([k, v]) => html`<dt>${k}</dt><dd>${v}</dd>`,
  )}</dl></details>`;
}
