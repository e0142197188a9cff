// Pure rendering of an OutboundMessage for the 公众号: the Wechaty channel's numbered choices and
// location line (bot/wechat/wechat-outbound.ts), with text parts short enough for a customer-service
// or passive text message (WeChat counts bytes: 600 Chinese characters stay well under its limit).
import type { OutboundMessage } from '../../core/messaging/outbound-types.ts';
import { LOCATION_HINT, locationLine, numberedLines, splitText, type WeChatPart } from '../wechat/wechat-outbound.ts';

export const MP_TEXT_LIMIT = 600;

/** The built-in web chat opened from the menu has a map picker: say so where a place is asked for. */
export const MP_LOCATION_HINT = `${LOCATION_HINT}\n也可点击菜单“我要反映”，在网页地图上选点、上传照片。`;

/** Photos first, then the text with its numbered choices last, as on the Wechaty channel. */
export function planMpSend(message: OutboundMessage): WeChatPart[] {
  const lines = [message.text.trim()];
  if (message.location) lines.push(locationLine(message.location));
  if (message.requestLocation) lines.push(MP_LOCATION_HINT);
  const menu = numberedLines(message.buttons);
  if (menu.length) lines.push(menu.join('\n'));
  const text = lines.filter(Boolean).join('\n\n');
  return [
    ...(message.photoAttachmentIds ?? []).map((id): WeChatPart => ({ kind: 'photo', attachmentId: id })),
    ...splitText(text, MP_TEXT_LIMIT).map((t): WeChatPart => ({ kind: 'text', text: t })),
  ];
}
