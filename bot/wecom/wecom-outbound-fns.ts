// Pure rendering of an OutboundMessage for WeCom's message/send: photos as image messages first,
// then a button_interaction template card when there are buttons (or a case card), otherwise text.
// No I/O: the sender uploads photos and sends. Sizes follow 模板卡片消息's limits.
import { wgs84ToGcj02 } from '../../core/geo/coord-transform-fns.ts';
import type { Button, OutboundMessage } from '../../core/messaging/outbound-types.ts';
import { splitText } from '../../core/messaging/text-split-fns.ts';

/** message/send text content is limited to 2048 bytes; Chinese takes three bytes a character. */
export const TEXT_LIMIT = 600;
/** button_list holds at most six buttons. */
export const MAX_BUTTONS = 6;
// 一级标题 "建议不超过36个字": the case number takes 16 of them.
const TITLE_MAX = 36;
const DESC_MAX = 30;
const VALUE_MAX = 26;
const SUBTITLE_MAX = 112;
const BUTTON_TEXT_MAX = 10;

export const LOCATION_HINT = '发送位置：点击输入框旁的“＋”，选择“位置”，把定位移到问题所在地点后发送。';

export type CaseCard = NonNullable<OutboundMessage['card']>;

export type WecomPart =
  | { kind: 'photo'; attachmentId: number }
  | { kind: 'text'; content: string }
  | { kind: 'card'; card: Record<string, unknown> };

const cut = (s: string, max: number) => (s.length > max ? `${s.slice(0, max - 1)}…` : s);

/** Tencent Maps' marker link (GCJ-02, what Chinese map apps use): opens in WeCom's browser. */
export function mapLink(p: { lat: number; lng: number }, title: string): string {
  const g = wgs84ToGcj02(p);
  const marker = `coord:${g.lat.toFixed(6)},${g.lng.toFixed(6)};title:${title}`;
  return `https://apis.map.qq.com/uri/v1/marker?marker=${encodeURIComponent(marker)}&referer=gridline`;
}

function buttonList(buttons: Button[][] | undefined): Array<Record<string, unknown>> {
  return (buttons ?? [])
    .flat()
    .slice(0, MAX_BUTTONS)
    .map((b, i) => ({ text: cut(b.label, BUTTON_TEXT_MAX), style: i === 0 ? 1 : 2, key: b.id }));
}

/**
 * The case card: main title = number and matter, the notice's own words below, then place,
 * deadline, state and the reporter's words, links to the map and the case page, and the
 * message's buttons (each `key` the Button.id the conversation core reads back).
 */
export function caseTemplateCard(
  message: OutboundMessage,
  card: CaseCard,
  opts: { taskId: string; caseUrl: string },
): Record<string, unknown> {
  const firstLine = message.text.trim().split('\n')[0] ?? '';
  const horizontal: Array<Record<string, unknown>> = [
    { keyname: '地点', value: cut(card.place || '未提供', VALUE_MAX) },
    { keyname: '时限', value: cut(`${card.overdue ? '⚠️已逾期 ' : ''}${card.due ?? '—'}`, VALUE_MAX) },
    { keyname: '状态', value: cut(card.status, VALUE_MAX) },
    ...(card.words ? [{ keyname: '反映', value: cut(card.words, VALUE_MAX) }] : []),
    ...(card.mapUrl ? [{ type: 1, keyname: '地图', value: '查看位置', url: card.mapUrl }] : []),
    { type: 1, keyname: '案件', value: '打开案件页', url: opts.caseUrl },
  ];
  return {
    card_type: 'button_interaction',
    source: { desc: '网格通' },
    main_title: { title: cut(`${card.number} ${card.title}`, TITLE_MAX), desc: cut(firstLine, DESC_MAX) },
    sub_title_text: cut(message.text.trim(), SUBTITLE_MAX),
    horizontal_content_list: horizontal.slice(0, 6),
    card_action: { type: 1, url: card.mapUrl ?? opts.caseUrl },
    task_id: opts.taskId,
    button_list: buttonList(message.buttons),
  };
}

/** A card for a message with buttons that is about no particular case (a draft's 确认提交…). */
export function choiceTemplateCard(
  message: OutboundMessage,
  opts: { taskId: string; homeUrl: string },
): Record<string, unknown> {
  const lines = message.text.trim().split('\n');
  return {
    card_type: 'button_interaction',
    source: { desc: '网格通' },
    main_title: { title: cut(lines[0] || '请选择', TITLE_MAX) },
    ...(lines.length > 1 ? { sub_title_text: cut(lines.slice(1).join('\n'), SUBTITLE_MAX) } : {}),
    card_action: { type: 1, url: opts.homeUrl },
    task_id: opts.taskId,
    button_list: buttonList(message.buttons),
  };
}

/** The text as the person reads it, with the place and the location request spelled out. */
function fullText(message: OutboundMessage): string {
  const lines = [message.text.trim()];
  if (message.location) lines.push(`位置：${mapLink(message.location, '问题位置')}`);
  if (message.requestLocation) lines.push(LOCATION_HINT);
  return lines.filter(Boolean).join('\n\n');
}

/**
 * The sends for one message. A case card carries everything; a choice card that cannot hold the
 * whole text (the sub-title shows ~112 characters) is preceded by the text itself, so nothing is
 * cut off; messages without buttons go as text.
 */
export function planWecomSend(
  message: OutboundMessage,
  opts: { taskId: string; caseUrl?: string; homeUrl: string },
): WecomPart[] {
  const photos = (message.photoAttachmentIds ?? []).map((id): WecomPart => ({ kind: 'photo', attachmentId: id }));
  const hasButtons = (message.buttons ?? []).flat().length > 0;
  const card = message.card;
  if (card && hasButtons) {
    const parts: WecomPart[] = [...photos];
    if (message.text.trim().length > SUBTITLE_MAX) parts.push(...texts(fullText(message)));
    parts.push({
      kind: 'card',
      card: caseTemplateCard(message, card, { taskId: opts.taskId, caseUrl: opts.caseUrl ?? opts.homeUrl }),
    });
    return parts;
  }
  if (card) {
    // No actions: the notice as text, with the place and the map link it must carry.
    const place = `地点：${card.place}${card.mapUrl ? `\n地图：${card.mapUrl}` : ''}`;
    const text = message.text.includes(card.place) ? fullText(message) : `${fullText(message)}\n${place}`;
    return [...photos, ...texts(card.mapUrl && !text.includes(card.mapUrl) ? `${text}\n地图：${card.mapUrl}` : text)];
  }
  if (hasButtons) {
    const text = fullText(message);
    const fits = text.length <= SUBTITLE_MAX && !message.location;
    return [
      ...photos,
      ...(fits ? [] : texts(text)),
      { kind: 'card', card: choiceTemplateCard(fits ? message : { ...message, text: '请选择：' }, opts) },
    ];
  }
  return [...photos, ...texts(fullText(message))];
}

function texts(text: string): WecomPart[] {
  return text ? splitText(text, TEXT_LIMIT).map((content): WecomPart => ({ kind: 'text', content })) : [];
}

/** The case a message is about, from its buttons (`c:accept:123`, `r:satisfied:123`, `p:approve:123`). */
export function caseIdOf(message: OutboundMessage): number | null {
  if (message.card) return message.card.caseId;
  for (const b of (message.buttons ?? []).flat()) {
    const m = /^(?:c|r|p):[a-z_]+:(\d+)$/.exec(b.id);
    if (m) return Number(m[1]);
  }
  return null;
}

/** task_id: unique per app, [A-Za-z0-9_-@], at most 128 bytes. */
export function newTaskId(caseId: number | null, random: string): string {
  return `gl-${caseId ?? 'x'}-${random}`.replace(/[^A-Za-z0-9_\-@]/g, '').slice(0, 128);
}
