import type { PowerList } from '../../core/power-list/power-list-types.ts';
import { html, type SafeHtml } from './html.ts';
import { layout } from './layout.ts';
import type { PageContext } from './page-context.ts';
import { powerListSection } from './power-list-section.ts';
import type { PublicCase, PublicOpenCase } from '../../db/public-case-queries.ts';
import { mapBootJson, type MapTiles } from './map-config.ts';
import { trusted } from './html.ts';
import { CSRF_FIELD } from '../plugins/csrf.ts';
import type { StatsView } from './stats-page.ts';
import { PUBLIC_NOTES } from '../../core/stats/assessment-rules.ts';
import {
  byPostSection,
  departmentTable,
  keyFigures,
  mode721Section,
  notesSection,
  trendSection,
} from './stats-sections.ts';

export interface PublicData {
  cases: PublicCase[];
  total: number;
  page: number;
  pageSize: number;
  stats: StatsView;
  powerList: (PowerList & { publishedAt: Date }) | null;
  open: { items: PublicOpenCase[]; total: number };
  tiles: MapTiles | null;
}

const where = (l: { lat: number; lng: number } | null) =>
  l ? `${l.lat.toFixed(3)}, ${l.lng.toFixed(3)}（约 100 米精度）` : '—';

/**
 * 关注 a public case: pushes go to the person's chats, so it needs a chat identity. Signed in,
 * a form (with the page's token); otherwise a link to the web chat, where one starts.
 */
function followControl(ctx: PageContext, number: string): SafeHtml {
  if (!ctx.actor)
    return html`<a class="follow" href="/chat" title="关注需先进入网页聊天（选择身份或登录）">关注 ${number}</a>`;
  return html`<form class="follow" method="post" action="/public/cases/${encodeURIComponent(number)}/follow">
    <input type="hidden" name="${CSRF_FIELD}" value="${ctx.csrf}"><button type="submit" class="secondary">关注 ${number}</button></form>`;
}

function openCaseRow(ctx: PageContext, c: PublicOpenCase): SafeHtml {
  return html`<tr><td>${c.number}</td><td>${c.matter ?? '其他事项'}</td><td>${c.street ?? '—'}</td><td>${c.statusLabel}</td><td>${c.createdDate}</td><td>${where(c.location)}</td><td>${followControl(ctx, c.number)}</td></tr>`;
}

/**
 * Open and closed cases on a Leaflet map (public-map.js), from the same allow-listed fields
 * as the lists: number, matter, state, day and the point rounded to ~100 m.
 */
function caseMap(d: PublicData): SafeHtml {
  const points = [
    ...d.open.items.map((c) => ({
      number: c.number,
      matter: c.matter,
      state: c.statusLabel,
      open: true,
      at: c.location,
    })),
    ...d.cases.map((c) => ({ number: c.number, matter: c.matter, state: '已结案', open: false, at: c.location })),
  ].filter((p) => p.at !== null);
  return html`<link rel="stylesheet" href="/vendor/leaflet/leaflet.css">
    <div id="public-map" class="leaflet-map public-map" role="region" aria-label="案件分布地图（约 100 米精度）"></div>
    <ul class="map-legend"><li><span class="swatch open"></span>处理中</li><li><span class="swatch closed"></span>已结案</li></ul>
    <script type="application/json" id="public-map-boot">${trusted(mapBootJson({ tiles: d.tiles, points }))}</script>
    <script type="module" src="/assets/public-map.js"></script>`;
}

function caseCard(ctx: PageContext, c: PublicCase): SafeHtml {
  return html`<article class="panel public-case" aria-labelledby="pc-${c.number}">
    <h3 id="pc-${c.number}">${c.number} · ${c.matter ?? '其他事项'}</h3>
    <dl class="facts">
      <dt>街道</dt><dd>${c.street ?? '—'}</dd>
      <dt>承办</dt><dd>${c.department ?? c.post ?? '—'}</dd>
      <dt>受理 / 结案</dt><dd>${c.createdDate} / ${c.closedDate ?? '—'}</dd>
      <dt>大致位置</dt><dd>${where(c.location)}</dd>
      <dt>处置结果</dt><dd>${c.outcome ?? '—'}</dd>
      <dt>处置方式</dt><dd>${c.mode721Label ?? '—'}</dd>
      <dt>群众评价</dt><dd>${c.satisfactionLabel ?? '未评价'}</dd>
    </dl>
    ${followControl(ctx, c.number)}
    ${c.photos.length ? html`<ul class="photos">${c.photos.map((p, i) => html`<li><img src="${p}" alt="${c.number} 处置照片 ${i + 1}" loading="lazy" width="160" height="160"></li>`)}</ul>` : ''}
  </article>`;
}

/**
 * The page's large parts that depend only on cached data (the power list of one version, the map
 * and an anonymous visitor's open-case rows of one cached list) are built once per object: each
 * /public visit built ~160 KB of markup on the event loop, and 16 visitors at once queued on it.
 */
const builtParts = new WeakMap<object, SafeHtml>();
function builtOnce(key: object, build: () => SafeHtml): SafeHtml {
  let part = builtParts.get(key);
  if (!part) builtParts.set(key, (part = build()));
  return part;
}

function openCaseRows(ctx: PageContext, items: PublicOpenCase[]): SafeHtml {
  const rows = () => html`${items.map((c) => openCaseRow(ctx, c))}`;
  // Signed in, each row carries this visitor's form token; anonymous rows are the same for all.
  return ctx.actor ? rows() : builtOnce(items, rows);
}

export function publicPage(ctx: PageContext, d: PublicData): SafeHtml {
  const pages = Math.max(1, Math.ceil(d.total / d.pageSize));
  const body = html`<h1>江汉区城市管理执法信息公示</h1>
    <p>依据江政〔2021〕8号，公开街道城市管理执法的权力清单、正在处理和已结案件的处置结果和全区统计。公示内容不含报告人姓名、电话和聊天账号；位置精确到约 100 米；照片已去除拍摄信息（EXIF）。
      数据接口：<a href="/api/public/cases">/api/public/cases</a>、<a href="/api/public/stats">/api/public/stats</a>。</p>
    <nav class="toc" aria-label="本页目录"><a href="#map-h">案件地图</a> · <a href="#open-h">处理中案件</a> · <a href="#cases-h">已结案件</a> · <a href="#stats-h">全区统计</a> · <a href="#pl-h">权力清单</a></nav>
    <h2 id="map-h">案件地图</h2>
    ${builtOnce(d.open, () => caseMap(d))}
    <h2 id="open-h">处理中案件（共 ${d.open.total} 件）</h2>
    <p>已有人报告的问题正在处理中，无需重复报告：点击“关注”，处理进展会推送到您的聊天（需先进入网页聊天，或在微信、Telegram 中登录）。</p>
    ${
      d.open.items.length
        ? html`<table class="open-cases"><thead><tr><th>编号</th><th>事项</th><th>街道</th><th>状态</th><th>受理日期</th><th>大致位置</th><th>关注</th></tr></thead><tbody>${openCaseRows(ctx, d.open.items)}</tbody></table>${d.open.total > d.open.items.length ? html`<p class="muted">仅列出最近 ${d.open.items.length} 件。</p>` : ''}`
        : html`<p class="empty">暂无处理中的案件。</p>`
    }
    <h2 id="cases-h">已结案件公示（共 ${d.total} 件）</h2>
    ${d.cases.length ? html`<div class="public-cases">${d.cases.map((c) => caseCard(ctx, c))}</div>` : html`<p class="empty">暂无已结案件。</p>`}
    ${pages > 1 ? html`<nav class="pager" aria-label="分页">${d.page > 1 ? html`<a href="/public?page=${d.page - 1}" rel="prev">上一页</a>` : ''}<span>第 ${d.page} / ${pages} 页</span>${d.page < pages ? html`<a href="/public?page=${d.page + 1}" rel="next">下一页</a>` : ''}</nav>` : ''}
    <h2 id="stats-h">全区统计（${d.stats.from} 至 ${d.stats.to}）</h2>
    ${keyFigures(d.stats.totals)}
    <section class="panel" aria-label="部门考核">${departmentTable(d.stats.departments)}</section>
    ${notesSection(PUBLIC_NOTES)}
    <div class="chart-grid">${byPostSection(d.stats.totals)}${mode721Section(d.stats.totals)}${trendSection(d.stats.trend)}</div>
    <h2 id="pl-h">行政权力事项清单</h2>
    ${d.powerList ? builtOnce(d.powerList, () => powerListSection(d.powerList, 'h3')) : powerListSection(null, 'h3')}`;
  return layout(ctx, '执法信息公示', body);
}
