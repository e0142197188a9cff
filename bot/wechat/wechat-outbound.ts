// Pure rendering of an OutboundMessage for WeChat, which has no buttons: choices become numbered
// lines the user answers by typing the number. No I/O; the sender opens photos and sends.
import { wgs84ToGcj02 } from '../../core/geo/coord-transform-fns.ts';
import type { Button, OutboundMessage } from '../../core/messaging/outbound-types.ts';
import { splitText as splitLongText } from '../../core/messaging/text-split-fns.ts';

/** WeChat cuts very long text messages; keep each part well under its limit. */
export const TEXT_LIMIT = 2000;

export const LOCATION_HINT = '发送位置：点击输入框右侧的“＋”，选择“位置”，把定位移到问题所在地点后发送。';

/**
 * The choices in the order a typed number picks them: rows flattened, left to right, top to
 * bottom. This is the order the conversation core's `numberedChoice` uses and the order
 * `WeChatMenus` maps numbers back with, so "回复 2" always means the second button.
 */
export function menuOf(buttons: Button[][] | undefined): Button[] {
  return (buttons ?? []).flat();
}

/**
 * "回复 1 接单", and on a case card "回复 1 接单（JH-20261206-0012）": the line names its case, and
 * "1 JH-20261206-0012" or "接单 JH-20261206-0012" act on that case whatever came after it.
 */
export function numberedLines(buttons: Button[][] | undefined, caseNumber?: string): string[] {
  return menuOf(buttons).map((b, i) => `回复 ${i + 1} ${b.label}${caseNumber ? `（${caseNumber}）` : ''}`);
}

/** The case a button is about, from its id (c:accept:7, r:basic:7, a:7:12, x:7:GAS, g:7:SR-001). */
export function buttonCaseId(id: string): number | null {
  const [kind, a, b] = id.split(':');
  const n = kind === 'c' || kind === 'r' ? Number(b) : kind === 'a' || kind === 'x' || kind === 'g' ? Number(a) : NaN;
  return Number.isInteger(n) ? n : null;
}

/** True when a menu's choices concern more than one case: a bare number must not pick among them. */
export function spansCases(menu: Button[]): boolean {
  return new Set(menu.map((b) => buttonCaseId(b.id)).filter((id) => id !== null)).size > 1;
}

/** GCJ-02 is what Chinese map apps show, so a point sent to a WeChat user is given in it. */
export function locationLine(p: { lat: number; lng: number }): string {
  const g = wgs84ToGcj02(p);
  return `位置（GCJ-02，可在腾讯/高德地图中搜索）：${g.lat.toFixed(6)},${g.lng.toFixed(6)}`;
}

/** Long text in parts within this channel's message limit. */
export function splitText(text: string, limit = TEXT_LIMIT): string[] {
  return splitLongText(text, limit);
}

/** One WeChat send: a text or a photo (by attachment id, opened as its EXIF-free copy). */
export type WeChatPart = { kind: 'text'; text: string } | { kind: 'photo'; attachmentId: number };

/**
 * Photos first, then the text with its numbered choices at the end, so the choices are the last
 * thing on the screen when the user answers (WeChat has no captions to hold them).
 */
export function planWeChatSend(message: OutboundMessage): WeChatPart[] {
  const lines = [message.text.trim()];
  if (message.location) lines.push(locationLine(message.location));
  if (message.requestLocation) lines.push(LOCATION_HINT);
  const menu = numberedLines(message.buttons, message.card?.number);
  if (menu.length) lines.push(menu.join('\n'));
  const text = lines.filter(Boolean).join('\n\n');
  return [
    ...(message.photoAttachmentIds ?? []).map((id): WeChatPart => ({ kind: 'photo', attachmentId: id })),
    ...splitText(text).map((t): WeChatPart => ({ kind: 'text', text: t })),
  ];
}
