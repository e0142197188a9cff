// A decrypted WeCom callback (接收消息与事件) → the conversation core's InboundMessage. Images and
// voice are fetched through media/get and stored as evidence here, before the core sees them, as
// every channel does. A self-built app's chat is always private: the chat id is the member's userid.
import { PhotoRejectedError } from '../../core/evidence/photo-errors.ts';
import type { PhotoEvidence } from '../../core/evidence/photo-evidence.ts';
import { checkSize } from '../../core/evidence/photo-fns.ts';
import { fieldText, type CallbackFields } from '../tencent/callback-xml.ts';
import { callbackMessageKey } from '../tencent/callback-envelope.ts';
import type { IdentifySender, InboundMessage } from '../inbound-types.ts';
import { parseWeChatCommand } from '../wechat/wechat-text-fns.ts';
import { MediaTooLargeError, type WecomApi } from './wecom-api.ts';

export type WecomInbound =
  | { kind: 'message'; message: InboundMessage }
  /** A button pressed on a template card: the message, and what update_template_card needs. */
  | { kind: 'press'; message: InboundMessage; responseCode: string; taskId: string }
  /** Something to tell the member without the core (a photo that could not be received). */
  | { kind: 'notice'; chatId: string; text: string; key: string }
  /** A member opened the app: greeted once, when Gridline does not know them yet. */
  | { kind: 'enter'; base: InboundMessage }
  | { kind: 'ignore'; reason: string };

export interface WecomInboundDeps {
  api: Pick<WecomApi, 'downloadMedia'>;
  evidence: Pick<PhotoEvidence, 'ingest' | 'ingestVoice'>;
  identify: IdentifySender;
  /** PHOTO_MAX_BYTES. */
  maxBytes: number;
  /** Menu keys → commands (see wecom-menu.ts). */
  menuCommand(key: string): { name: string; args: string } | null;
}

const RECEIVE_FAILED = '照片接收失败，请稍后重新发送。';

/** What each other kind is called in the core's polite "暂不支持这类消息（{kind}）" answer. */
const UNSUPPORTED: Record<string, string> = { video: '视频', file: '文件', link: '链接' };

export async function readWecomCallback(fields: CallbackFields, deps: WecomInboundDeps): Promise<WecomInbound> {
  const userId = fieldText(fields, 'FromUserName');
  if (!userId) return { kind: 'ignore', reason: 'no sender' };
  const base: InboundMessage = { channel: 'wecom', chatId: userId, userId, updateId: callbackMessageKey(fields) };
  const done = (extra: Partial<InboundMessage>): WecomInbound => ({ kind: 'message', message: { ...base, ...extra } });
  const type = fieldText(fields, 'MsgType');

  if (type === 'text') {
    const text = fieldText(fields, 'Content').trim();
    if (!text) return { kind: 'ignore', reason: 'empty' };
    // Slash commands, 绑定 CODE, 待办, a bare case number: the same words as in WeChat.
    const command = parseWeChatCommand(text);
    return done(command ? { command } : { text });
  }
  if (type === 'image') return image(fields, base, deps);
  if (type === 'voice') return voice(fields, base, deps);
  if (type === 'location') {
    const lat = Number(fieldText(fields, 'Location_X'));
    const lng = Number(fieldText(fields, 'Location_Y'));
    if (!Number.isFinite(lat) || !Number.isFinite(lng) || (lat === 0 && lng === 0))
      return done({ unsupported: '位置（无法读取坐标，请直接输入详细地址）' });
    const label = fieldText(fields, 'Label');
    // WeCom's map picker gives GCJ-02; the core converts it to WGS-84 before anything else.
    return done({ location: { lat, lng, crs: 'gcj02', ...(label ? { address: label } : {}) } });
  }
  if (type === 'event') return event(fields, base, deps);
  const kind = UNSUPPORTED[type];
  if (kind) return done({ unsupported: kind });
  return { kind: 'ignore', reason: `type ${type}` };
}

function event(fields: CallbackFields, base: InboundMessage, deps: WecomInboundDeps): WecomInbound {
  const name = fieldText(fields, 'Event');
  const key = fieldText(fields, 'EventKey');
  if (name === 'template_card_event') {
    if (!key) return { kind: 'ignore', reason: 'card event without a key' };
    return {
      kind: 'press',
      // The button's key is the Button.id the card was built with.
      message: { ...base, button: key },
      responseCode: fieldText(fields, 'ResponseCode'),
      taskId: fieldText(fields, 'TaskId'),
    };
  }
  if (name === 'click') {
    const command = deps.menuCommand(key);
    return command ? { kind: 'message', message: { ...base, command } } : { kind: 'ignore', reason: `menu ${key}` };
  }
  if (name === 'enter_agent') return { kind: 'enter', base };
  // LOCATION: the position WeCom reports when a member opens the app (if the app asks for it). It is
  // where the member is, not where a problem is, so it never becomes a report's place.
  return { kind: 'ignore', reason: `event ${name}` };
}

async function fetchMedia(fields: CallbackFields, deps: WecomInboundDeps): Promise<Buffer> {
  const mediaId = fieldText(fields, 'MediaId');
  if (!mediaId) throw new Error('no MediaId');
  try {
    return (await deps.api.downloadMedia(mediaId, deps.maxBytes)).bytes;
  } catch (err) {
    // The evidence store's own refusal, so the wording is the same on every channel.
    if (err instanceof MediaTooLargeError) checkSize(deps.maxBytes + 1, deps.maxBytes);
    throw err;
  }
}

async function image(fields: CallbackFields, base: InboundMessage, deps: WecomInboundDeps): Promise<WecomInbound> {
  const key = `photo:${base.updateId}`;
  let bytes: Buffer;
  try {
    bytes = await fetchMedia(fields, deps);
  } catch (err) {
    if (err instanceof PhotoRejectedError) return { kind: 'notice', chatId: base.chatId, text: err.message, key };
    return { kind: 'notice', chatId: base.chatId, text: RECEIVE_FAILED, key };
  }
  try {
    const sender = await deps.identify(base);
    const stored = await deps.evidence.ingest(bytes, {
      uploadedById: sender.personId,
      draftKey: `wecom:${base.chatId}:${base.userId}`,
    });
    return {
      kind: 'message',
      message: {
        ...base,
        photos: [{ attachmentId: stored.attachmentId, exifLat: stored.exifLat, exifLng: stored.exifLng }],
        ...(sender.isNew ? { newcomer: true } : {}),
      },
    };
  } catch (err) {
    if (err instanceof PhotoRejectedError) return { kind: 'notice', chatId: base.chatId, text: err.message, key };
    throw err;
  }
}

/** The recording is kept as evidence; the conversation asks for a short text (WeCom gives no transcript). */
async function voice(fields: CallbackFields, base: InboundMessage, deps: WecomInboundDeps): Promise<WecomInbound> {
  let bytes: Buffer;
  try {
    bytes = await fetchMedia(fields, deps);
  } catch {
    return { kind: 'message', message: { ...base, voice: { attachmentId: null } } };
  }
  try {
    const sender = await deps.identify(base);
    const kept = await deps.evidence.ingestVoice(bytes, {
      uploadedById: sender.personId,
      draftKey: `wecom:${base.chatId}:${base.userId}`,
    });
    return {
      kind: 'message',
      message: { ...base, voice: { attachmentId: kept.attachmentId }, ...(sender.isNew ? { newcomer: true } : {}) },
    };
  } catch (err) {
    if (err instanceof PhotoRejectedError)
      return { kind: 'message', message: { ...base, voice: { attachmentId: null } } };
    throw err;
  }
}
