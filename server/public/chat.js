// 网格通 web chat (/chat). Plain ES module, no build step. Everything the bot says arrives
// through the history or the event stream, keyed by outbox id, so nothing shows twice; what the
// person sends is shown at once, keyed by the id the page gave it (the server stores it too).
import { setupMapPicker } from './map-picker.js';

const boot = JSON.parse(document.getElementById('chat-boot').textContent);
const list = document.getElementById('messages');
const connStatus = document.getElementById('conn-status');
const note = document.getElementById('composer-note');
const textBox = document.getElementById('composer-text');
const panel = document.getElementById('location-panel');
const locationToggle = document.getElementById('location-toggle');
const shown = new Map(); // entry key → <li>
let lastEventId = 0;

// ---------------------------------------------------------------- helpers

/** 32 hex digits from getRandomValues: crypto.randomUUID needs https, a phone on the LAN has http. */
function newId() {
  return Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, '0')).join('');
}

function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === 'class') node.className = v;
    else if (k.startsWith('on')) node.addEventListener(k.slice(2), v);
    else node.setAttribute(k, v);
  }
  node.append(...children.filter((c) => c !== null && c !== undefined));
  return node;
}

/** Text with its links made clickable, built from DOM nodes (never innerHTML). */
function richText(text) {
  const p = el('p', { class: 'text' });
  for (const part of String(text).split(/(https?:\/\/[^\s，。；）)]+)/)) {
    if (/^https?:\/\//.test(part)) p.append(el('a', { href: part, rel: 'noopener' }, part));
    else if (part) p.append(part);
  }
  return p;
}

// Photos are named by their random key (POST /chat/api/photos), never by a sequential id.
function photoThumb(key) {
  const ref = encodeURIComponent(key);
  const img = el('img', {
    src: `/chat/api/photos/${ref}`,
    alt: '照片',
    loading: 'lazy',
    width: '160',
    height: '120',
  });
  img.addEventListener('error', () => img.replaceWith(el('span', { class: 'photo-missing' }, '照片（无法预览）')), {
    once: true,
  });
  return el('a', { href: `/chat/api/photos/${ref}?size=full`, target: '_blank', rel: 'noopener', class: 'photo' }, img);
}

const timeOf = (iso) =>
  new Date(iso).toLocaleTimeString('zh-CN', { hour: '2-digit', minute: '2-digit', timeZone: 'Asia/Shanghai' });

function say(text, kind = 'info') {
  note.textContent = text;
  note.dataset.kind = kind;
}

// ---------------------------------------------------------------- rendering

function ownContent(m) {
  const parts = [];
  if (m.text) parts.push(richText(m.text));
  if (m.command) parts.push(richText(`/${m.command.name}${m.command.args ? ` ${m.command.args}` : ''}`));
  if (m.button) parts.push(el('p', { class: 'text pressed' }, `▶ ${m.label || '按钮'}`));
  if (m.location) {
    const where = m.location.street ? `${m.location.street}，` : '';
    parts.push(
      el(
        'p',
        { class: 'text' },
        `📍 位置：${where}北纬 ${m.location.lat.toFixed(5)}，东经 ${m.location.lng.toFixed(5)}`,
      ),
    );
  }
  if (m.photos?.length) parts.push(el('div', { class: 'photos' }, ...m.photos.map(photoThumb)));
  return parts;
}

function botContent(m) {
  const parts = [richText(m.text ?? '')];
  // The server names a bot message's photos by their keys (photoKeys), never by their ids.
  if (m.photoKeys?.length) parts.push(el('div', { class: 'photos' }, ...m.photoKeys.map(photoThumb)));
  if (m.location)
    parts.push(el('p', { class: 'text' }, `📍 北纬 ${m.location.lat.toFixed(5)}，东经 ${m.location.lng.toFixed(5)}`));
  for (const row of m.buttons ?? []) {
    parts.push(
      el(
        'div',
        { class: 'buttons', role: 'group' },
        ...row.map((b) =>
          el('button', { type: 'button', class: 'reply-button', onclick: (ev) => press(b, ev.currentTarget) }, b.label),
        ),
      ),
    );
  }
  if (m.requestLocation)
    parts.push(
      el(
        'div',
        { class: 'buttons' },
        el('button', { type: 'button', class: 'reply-button', onclick: () => openPanel(true) }, '📍 选择位置'),
      ),
    );
  return parts;
}

function render(entry, { refresh = false } = {}) {
  const old = shown.get(entry.key);
  if (old && !refresh) return old;
  const m = entry.message ?? {};
  const kind = entry.dir === 'in' ? 'in' : m.notice ? 'out notice' : 'out';
  const li = el(
    'li',
    { class: `msg ${kind}`, 'data-key': entry.key },
    el('span', { class: 'visually-hidden' }, entry.dir === 'in' ? '我说：' : m.notice ? '提示：' : '网格通：'),
    ...(entry.dir === 'in' ? ownContent(m) : botContent(m)),
    el('time', { datetime: entry.at }, timeOf(entry.at)),
  );
  shown.set(entry.key, li);
  if (old) {
    // The server's copy of the person's own line (with the street it found for a pin).
    old.replaceWith(li);
    return li;
  }
  const nearBottom =
    list.parentElement.scrollHeight - list.parentElement.scrollTop - list.parentElement.clientHeight < 120;
  list.append(li);
  if (nearBottom || entry.dir === 'in') li.scrollIntoView({ block: 'end' });
  return li;
}

// ---------------------------------------------------------------- sending

async function api(path, init = {}) {
  const res = await fetch(path, {
    credentials: 'same-origin',
    ...init,
    headers: { 'x-csrf-token': boot.csrf, ...(init.headers ?? {}) },
  });
  const body = await res.json().catch(() => ({}));
  if (res.status === 401) say('登录已过期，请刷新页面重新选择身份。', 'error');
  return { ok: res.ok, status: res.status, body };
}

/** Shows the line at once, then posts it; a failed post can be retried with the same id. */
async function send(post, clientId = newId()) {
  const key = `w:${clientId}`;
  render({ key, dir: 'in', at: new Date().toISOString(), message: post }).classList.add('sending');
  shown.get(key).querySelector('.retry')?.remove();
  const { ok, body } = await api('/chat/api/messages', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ clientId, ...post }),
  }).catch(() => ({ ok: false, body: {} }));
  // Looked up again: the server's copy may have replaced the element meanwhile.
  const li = shown.get(key);
  li.classList.remove('sending');
  if (ok) return true;
  li.classList.add('failed');
  li.append(
    el(
      'button',
      { type: 'button', class: 'retry', onclick: () => send(post, clientId) },
      `发送失败${body.error?.message ? `：${body.error.message}` : ''}，点此重试`,
    ),
  );
  return false;
}

async function press(button, node) {
  node.disabled = true;
  await send({ button: button.id, label: button.label });
  node.disabled = false;
}

const composerForm = document.getElementById('composer');
composerForm.addEventListener('submit', async (ev) => {
  ev.preventDefault();
  const text = textBox.value.trim();
  if (!text) return textBox.focus();
  textBox.value = '';
  await send({ text });
  // Back to typing, unless the person moved on while it was sending (the reply can arrive first and
  // they may already have opened the map): focus is never taken from where they put it.
  const here = document.activeElement;
  if (!here || here === document.body || composerForm.contains(here)) textBox.focus();
});

textBox.addEventListener('keydown', (ev) => {
  // Enter sends, Shift+Enter starts a new line (as in the messengers); IME composition is left alone.
  if (ev.key === 'Enter' && !ev.shiftKey && !ev.isComposing) {
    ev.preventDefault();
    document.getElementById('composer').requestSubmit();
  }
});

for (const chip of document.querySelectorAll('[data-command]')) {
  chip.addEventListener('click', () => send({ command: { name: chip.dataset.command } }));
}

// ---------------------------------------------------------------- photos

const photoInput = document.getElementById('photo-input');
photoInput.addEventListener('change', async () => {
  const files = [...photoInput.files];
  photoInput.value = '';
  if (!files.length) return;
  const form = new FormData();
  for (const f of files) form.append('photo', f, f.name);
  say(`正在上传 ${files.length} 张照片…`);
  const { ok, body } = await api('/chat/api/photos', { method: 'POST', body: form }).catch(() => ({
    ok: false,
    body: {},
  }));
  for (const n of body.notices ?? body.error?.notices ?? []) render(n);
  if (!ok) {
    say(
      body.error?.notices?.length
        ? '照片未被接收，原因见聊天记录。'
        : (body.error?.message ?? '照片上传失败，请重试。'),
      'error',
    );
    // An upload cut off midway still stored the photos that arrived whole: send those.
    if (body.photos?.length) await send({ photos: body.photos.map((p) => p.attachmentId) });
    return;
  }
  say(body.notices?.length ? '部分照片未被接收，原因见聊天记录。' : '');
  await send({ photos: body.photos.map((p) => p.key) });
});

// ---------------------------------------------------------------- location

// With a tile source the panel holds a Leaflet map, built the first time it shows (Leaflet
// measures its box, which is empty while the panel is hidden).
let leafletPicker = null;
function openPanel(open) {
  panel.hidden = !open;
  locationToggle.setAttribute('aria-expanded', String(open));
  if (open) document.getElementById('map-frame').focus();
  if (open && boot.tiles) {
    leafletPicker ??= import('./leaflet-picker.js').then(({ setupLeafletPicker }) =>
      setupLeafletPicker(
        document.getElementById('map-frame'),
        document.getElementById('map-readout'),
        boot.tiles,
        (p) => sendLocation({ lat: p.lat, lng: p.lng }),
      ),
    );
    leafletPicker.then((picker) => picker.refresh());
  }
}
locationToggle.addEventListener('click', () => openPanel(panel.hidden));
panel.addEventListener('keydown', (ev) => {
  if (ev.key === 'Escape') {
    openPanel(false);
    locationToggle.focus();
  }
});

async function sendLocation(location) {
  openPanel(false);
  locationToggle.focus();
  await send({ location });
}

if (!boot.tiles) {
  setupMapPicker(document.getElementById('map-frame'), document.getElementById('map-readout'), ({ lat, lng }) =>
    sendLocation({ lat, lng }),
  );
}

document.getElementById('geolocate').addEventListener('click', () => {
  if (!navigator.geolocation) return say('此浏览器不支持定位，请点击地图或输入地址。', 'error');
  say('正在获取位置…');
  navigator.geolocation.getCurrentPosition(
    (pos) => {
      say('');
      sendLocation({ lat: pos.coords.latitude, lng: pos.coords.longitude, accuracyM: Math.round(pos.coords.accuracy) });
    },
    () => say('无法获取位置（需允许定位，且页面须为 https 或本机地址），请点击地图或输入地址。', 'error'),
    { enableHighAccuracy: true, timeout: 15000, maximumAge: 60000 },
  );
});

document.getElementById('address-form').addEventListener('submit', async (ev) => {
  ev.preventDefault();
  const street = document.getElementById('address-street').value;
  const input = document.getElementById('address-text');
  const address = input.value.trim();
  if (!address && !street) return input.focus();
  input.value = '';
  openPanel(false);
  await send({ text: [street, address].filter(Boolean).join(' ') });
});

// ---------------------------------------------------------------- history and live events

function connect() {
  const events = new EventSource(`/chat/api/events?after=${lastEventId}`);
  const onEntry = (ev) => {
    const entry = JSON.parse(ev.data);
    if (entry.eventId) lastEventId = Math.max(lastEventId, entry.eventId);
    render(entry, { refresh: entry.dir === 'in' && !entry.eventId });
  };
  events.addEventListener('message', onEntry);
  events.addEventListener('line', onEntry);
  events.addEventListener('open', () => {
    connStatus.textContent = '已连接，新消息会实时显示';
    connStatus.dataset.state = 'open';
  });
  events.addEventListener('error', () => {
    const closed = events.readyState === EventSource.CLOSED;
    connStatus.textContent = closed ? '连接已断开，请刷新页面' : '连接中断，正在重新连接…';
    connStatus.dataset.state = 'error';
  });
}

async function start() {
  const { ok, body } = await api('/chat/api/history');
  if (!ok) {
    connStatus.textContent = '无法载入聊天记录，请刷新页面。';
    return;
  }
  for (const entry of body.entries) render(entry);
  lastEventId = body.lastEventId;
  if (!body.entries.length) send({ command: { name: 'start' } });
  connect();
}

start();
