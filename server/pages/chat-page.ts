import type { DemoChoice } from '../../db/demo-identities.ts';
import { CSRF_FIELD } from '../plugins/csrf.ts';
import type { MapTiles } from './map-config.ts';
import { html, trusted, type HtmlValue, type SafeHtml } from './html.ts';

/** Who is chatting, as the page header shows it. */
export interface ChatMe {
  name: string;
  role: string;
  roleLabel: string;
  /** 万松街道, 市场监管 … */
  unit: string | null;
  isStaff: boolean;
}

export interface ChatPageData {
  me: ChatMe;
  csrf: string;
  mapSvg: string;
  streets: string[];
  approximate: boolean;
  maxPhotoBytes: number;
  /** A tile source: the location panel shows a Leaflet map over it instead of the drawn one. */
  tiles?: MapTiles | null;
}

const QUICK: Array<{ command: string; label: string; when: (me: ChatMe) => boolean }> = [
  { command: 'my', label: '我的报告', when: (me) => me.role === 'resident' || me.role === 'inspector' },
  { command: 'queue', label: '待办', when: (me) => me.isStaff && me.role !== 'inspector' },
  { command: 'patrol', label: '开始/结束巡查', when: (me) => me.role === 'inspector' },
  { command: 'cancel', label: '取消填写', when: () => true },
  { command: 'help', label: '帮助', when: () => true },
];

function shell(title: string, body: HtmlValue, scripts: boolean, leaflet = false): SafeHtml {
  return html`<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1, viewport-fit=cover">
<meta name="theme-color" content="#0b4f9c">
<title>${title} · 网格通</title>
${leaflet ? html`<link rel="stylesheet" href="/vendor/leaflet/leaflet.css">` : ''}
<link rel="stylesheet" href="/assets/chat.css">
${scripts ? html`<script type="module" src="/assets/chat.js"></script>` : ''}
</head>
<body>
${body}
</body>
</html>`;
}

function header(me: ChatMe | null, csrf: string): SafeHtml {
  return html`<header class="chat-header">
  <a class="brand" href="/chat">网格通 <span>网页聊天</span></a>
  <nav aria-label="页面导航"><ul>
    ${me?.isStaff ? html`<li><a href="/">工作台</a></li>` : ''}
    <li><a href="/public">公开页</a></li>
    ${me ? html`<li><form method="post" action="/chat/leave"><input type="hidden" name="${CSRF_FIELD}" value="${csrf}"><button type="submit" class="link-button">切换身份</button></form></li>` : ''}
  </ul></nav>
  ${me ? html`<p class="who">当前身份：<strong>${me.name}</strong>（${me.roleLabel}${me.unit ? ` · ${me.unit}` : ''}）</p>` : ''}
</header>`;
}

/** The chat itself: messages, composer, photos, and the location panel with the district map. */
export function chatPage(d: ChatPageData): SafeHtml {
  const boot = JSON.stringify({
    csrf: d.csrf,
    me: { name: d.me.name, role: d.me.role },
    maxPhotoBytes: d.maxPhotoBytes,
    tiles: d.tiles ?? null,
  }).replace(/</g, '\\u003c');
  const quick = QUICK.filter((q) => q.when(d.me));
  return shell(
    '网页聊天',
    html`<a class="skip" href="#composer-text">跳到输入框</a>
${header(d.me, d.csrf)}
<main id="main" class="chat-main">
  <h1 class="visually-hidden">与网格通的聊天</h1>
  <p id="conn-status" class="conn" role="status">正在连接…</p>
  <ol id="messages" class="messages" role="log" aria-live="polite" aria-relevant="additions" aria-label="聊天记录"></ol>
</main>
<footer class="composer">
  <div class="quick" role="group" aria-label="常用命令">
    ${quick.map((q) => html`<button type="button" class="chip" data-command="${q.command}">${q.label}</button>`)}
  </div>
  <form id="composer" class="composer-row">
    <label for="composer-text" class="visually-hidden">消息</label>
    <textarea id="composer-text" name="text" rows="2" maxlength="4000" placeholder="描述问题，如“人行道上有人摆摊”；命令以 / 开头" autocomplete="off"></textarea>
    <button type="submit" class="primary">发送</button>
  </form>
  <div class="tools">
    <span class="tool file-tool"><input type="file" id="photo-input" accept="image/*" multiple><label for="photo-input"><span aria-hidden="true">📷</span> 发送照片</label></span>
    <button type="button" class="tool" id="location-toggle" aria-expanded="false" aria-controls="location-panel"><span aria-hidden="true">📍</span> 发送位置</button>
  </div>
  <p id="composer-note" class="composer-note" role="status"></p>
  <section id="location-panel" class="location-panel" hidden aria-labelledby="location-title">
    <h2 id="location-title">问题在哪里？</h2>
    <p id="map-help" class="help">${
      d.tiles
        ? '点击地图上问题所在的地点，即发送该位置。键盘：聚焦地图后用方向键移动地图、加减号缩放，按回车发送地图中心。'
        : '点击地图上问题所在的地点，即发送该位置。键盘：聚焦地图后用方向键移动十字（Shift 加方向键微调），按回车发送。'
    }</p>
    <div id="map-frame" class="map-frame" tabindex="0" role="application" aria-label="江汉区街道地图" aria-describedby="map-help map-readout">${trusted(d.mapSvg)}</div>
    <p id="map-readout" class="readout" aria-live="polite"></p>
    ${d.approximate ? html`<p class="note">街道边界为近似示意（非官方边界），靠近边界时请同时输入详细地址。</p>` : ''}
    <div class="location-actions">
      <button type="button" id="geolocate" class="secondary">使用我的位置</button>
    </div>
    <form id="address-form" class="address-form">
      <label for="address-street">街道（可不选）</label>
      <select id="address-street"><option value="">不确定</option>${d.streets.map((s) => html`<option>${s}</option>`)}</select>
      <label for="address-text">地址</label>
      <input id="address-text" type="text" maxlength="150" placeholder="如：青年路 100 号门口" autocomplete="street-address">
      <button type="submit" class="secondary">发送地址</button>
    </form>
  </section>
</footer>
<script type="application/json" id="chat-boot">${trusted(boot)}</script>`,
    true,
    Boolean(d.tiles),
  );
}

/** Before a session: who to be (demo mode), or start as a resident. */
export function chooserPage(o: { csrf: string; demo: readonly DemoChoice[] | null; error?: string }): SafeHtml {
  const choice = (key: string, label: string, description: string) => html`<li>
    <form method="post" action="/chat/start">
      <input type="hidden" name="${CSRF_FIELD}" value="${o.csrf}"><input type="hidden" name="as" value="${key}">
      <button type="submit" class="choice" aria-describedby="choice-${key}">${label}</button>
      <p id="choice-${key}">${description}</p>
    </form></li>`;
  return shell(
    '网页聊天',
    html`${header(null, o.csrf)}
<main id="main" class="chooser">
  <h1>网格通 · 网页聊天</h1>
  <p>发现占道经营、乱堆乱放、违法搭建、油烟扰民等城市管理问题，在这里用文字、照片和位置报告，处理进展会实时推送。</p>
  ${o.error ? html`<p class="flash-error" role="alert">${o.error}</p>` : ''}
  ${
    o.demo
      ? html`<h2>演示模式：选择身份</h2>
  <p class="note">演示数据，请勿填写真实个人信息。每次选择“居民”都会新建一位居民。</p>
  <ul class="choices">${o.demo.map((c) => choice(c.key, c.label, c.description))}</ul>`
      : html`<ul class="choices">${choice('resident', '以居民身份开始', '报告问题、跟踪进度、评价处理结果')}</ul>
  <p>工作人员：请在 Telegram 或微信中向机器人发送 /login，打开收到的登录链接后再进入本页。</p>`
  }
</main>`,
    false,
  );
}
