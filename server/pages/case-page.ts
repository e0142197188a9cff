import { MODE_721_LABELS, type Mode721 } from '../../core/case/case-types.ts';
import type { getCaseDetail } from '../../db/case-queries.ts';
import { actionSection, type ActionChoices } from './case-action-forms.ts';
import { dateTime, eventLabel, handlingLabel, ROLE_LABELS } from './format.ts';
import { html, trusted, type HtmlValue, type SafeHtml } from './html.ts';
import { layout } from './layout.ts';
import type { PageContext } from './page-context.ts';
import { streetMap } from './street-map-svg.ts';
import { mapBootJson, type MapTiles } from './map-config.ts';

export type CaseDetail = NonNullable<Awaited<ReturnType<typeof getCaseDetail>>>;

const row = (label: string, value: HtmlValue) =>
  html`<dt>${label}</dt><dd>${value === null || value === undefined || value === '' ? '—' : value}</dd>`;

function facts(c: CaseDetail): SafeHtml {
  const reporter = c.reporter
    ? html`${c.reporter.displayName}${c.reporter.phone ? html` · <a href="tel:${c.reporter.phone}">${c.reporter.phone}</a>` : c.reporter.phoneMasked ? ` · ${c.reporter.phoneMasked}` : ''}`
    : html`<span class="muted">（仅区局、本街道队长和承办人可见）</span>`;
  return html`<dl class="facts">
    ${row('报告内容', html`<span class="report-text">${c.text}</span>`)}
    ${row('权力清单事项', c.item ? html`${c.item.code} ${c.item.name}<br><small>依据：${c.item.legalBasis}（清单 ${c.item.version}）</small>` : null)}
    ${row('街道', c.street)}
    ${row('岗位', c.post)}
    ${row('承办', `${handlingLabel(c.handling)}${c.department ? ` · ${c.department}` : ''}`)}
    ${row('承办人', c.assignee)}
    ${row('处置期限', html`${dateTime(c.dueAt)}${c.overdue ? html` <span class="badge late">已超期</span>` : ''}${c.postponed ? html` <span class="badge">已缓办</span>` : ''}`)}
    ${row('地址', c.address)}
    ${row('坐标', c.lat !== null && c.lng !== null ? `${c.lat.toFixed(5)}, ${c.lng.toFixed(5)}` : null)}
    ${row('报告渠道', c.channel === 'hotline' ? '12345 热线' : c.channel)}
    ${c.externalRef ? row('12345 工单', html`${c.externalRef}${c.externalDueAt ? html` · 热线时限 ${dateTime(c.externalDueAt)}` : ''}`) : ''}
    ${row('报告人', reporter)}
    ${row('分派依据', c.routingReasons.length ? html`<ul class="reasons">${c.routingReasons.map((r) => html`<li>${r}</li>`)}</ul>` : null)}
    ${row('处置结果', c.outcome)}
    ${row('处置方式', c.mode721 ? (MODE_721_LABELS[c.mode721 as Mode721] ?? c.mode721) : null)}
    ${row('退回 / 返工 / 重办', `${c.returnCount} / ${c.reworkCount} / ${c.reopenCount}`)}
    ${c.mergedInto ? row('已合并至', html`<a href="/cases/${encodeURIComponent(c.mergedInto)}">${c.mergedInto}</a>`) : ''}
  </dl>`;
}

function timeline(c: CaseDetail): SafeHtml {
  return html`<ol class="timeline">${c.events.map(
    (e) => html`<li><time datetime="${e.createdAt}">${dateTime(e.createdAt)}</time>
      <strong>${eventLabel(e.type)}</strong>
      <span class="muted">${e.actorName ?? ROLE_LABELS[e.actorRole] ?? e.actorRole}</span>
      ${e.note ? html`<p>${e.note}</p>` : ''}</li>`,
  )}</ol>`;
}

function photos(c: CaseDetail): SafeHtml {
  if (c.attachments.length === 0) return html`<p class="muted">没有照片。</p>`;
  return html`<ul class="photos">${c.attachments.map((a, i) =>
    // A reporter's voice message is kept with the photos: played here, never shown as a picture.
    a.mime.startsWith('audio/')
      ? html`<li><audio controls preload="none" src="${a.url}"></audio>
      <small>语音 · 上传 ${dateTime(a.createdAt)}</small></li>`
      : html`<li><a href="${a.url}"><img src="/attachments/${a.key}/thumb" alt="案件照片 ${i + 1}" loading="lazy" width="160" height="160"></a>
      <small>${a.exifTakenAt ? `拍摄 ${dateTime(a.exifTakenAt)}` : `上传 ${dateTime(a.createdAt)}`}${a.exifLat !== null ? ' · 含定位' : ''}</small></li>`,
  )}</ul>`;
}

/**
 * The drawn street map, which works without script or tiles; with a tile source the case-map
 * script puts a Leaflet map with the exact point and the address in its place.
 */
function locationMap(c: CaseDetail, tiles: MapTiles | null): SafeHtml {
  const mapLabel = `案件位置示意图：${c.street ?? '未定位街道'}${c.lat !== null ? '，红点为报告位置' : '，未提供坐标'}`;
  const svg = streetMap({ street: c.street, lat: c.lat, lng: c.lng, label: mapLabel });
  if (!tiles) return svg;
  const boot = mapBootJson({
    tiles,
    point: c.lat !== null && c.lng !== null ? { lat: c.lat, lng: c.lng } : null,
    label: [c.number, c.address, c.street].filter(Boolean).join(' · '),
  });
  return html`<link rel="stylesheet" href="/vendor/leaflet/leaflet.css">
    <div id="case-map" class="leaflet-map" role="region" aria-label="${mapLabel}">${svg}</div>
    <script type="application/json" id="case-map-boot">${trusted(boot)}</script>
    <script type="module" src="/assets/case-map.js"></script>`;
}

export function casePage(
  ctx: PageContext,
  c: CaseDetail,
  choices: ActionChoices,
  tiles: MapTiles | null = null,
): SafeHtml {
  const body = html`<p class="crumbs"><a href="/">← 案件列表</a></p>
    <h1>案件 ${c.number} <span class="status status-${c.status}">${c.statusLabel}</span>${c.urgent ? html` <span class="badge urgent">紧急</span>` : ''}</h1>
    <div class="case-grid">
      <section class="panel" aria-labelledby="facts-h"><h2 id="facts-h">案件信息</h2>${facts(c)}</section>
      <section class="panel" aria-labelledby="map-h"><h2 id="map-h">位置</h2>${locationMap(c, tiles)}
        <p class="muted">街道范围为近似边界，仅作示意。</p></section>
      ${actionSection(choices)}
      <section class="panel" aria-labelledby="photo-h"><h2 id="photo-h">照片</h2>${photos(c)}</section>
      <section class="panel" aria-labelledby="tl-h"><h2 id="tl-h">全过程记录</h2>${timeline(c)}</section>
      ${c.ratings.length ? html`<section class="panel" aria-labelledby="rate-h"><h2 id="rate-h">评价</h2><ul>${c.ratings.map((r) => html`<li>${dateTime(r.createdAt)} ${r.scoreLabel}${r.comment ? `：${r.comment}` : ''}</li>`)}</ul></section>` : ''}
    </div>`;
  return layout(ctx, `案件 ${c.number}`, body);
}
