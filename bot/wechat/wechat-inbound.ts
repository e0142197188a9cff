// Wechaty Message → the conversation core's InboundMessage. Photos are stored as evidence here,
// before the core sees them, exactly as the other channels do.
import { types, type Message } from 'wechaty';
import type { FileBoxInterface } from 'file-box';
import type { PhotoEvidence } from '../../core/evidence/photo-evidence.ts';
import { PhotoRejectedError } from '../../core/evidence/photo-errors.ts';
import type { IdentifySender, InboundMessage, InboundPhoto } from '../inbound-types.ts';
import { parseLocationText, toInboundLocation, type WeChatLocationPayload } from './wechat-location-fns.ts';
import { parseWeChatCommand, splitQuote, stripMention } from './wechat-text-fns.ts';

export type InboundResult =
  | { kind: 'message'; message: InboundMessage; mentioned: boolean }
  /** Something to tell the sender without involving the core (a refused photo). */
  | { kind: 'notice'; chatId: string; text: string; key: string }
  | { kind: 'ignore'; reason: string };

export interface InboundDeps {
  evidence: Pick<PhotoEvidence, 'ingest' | 'ingestVoice'>;
  /** Who sent a photo: recorded as its uploader. */
  identify: IdentifySender;
  /** The logged-in account's name, to strip "@网格通" from room messages. */
  selfName(): string;
  /**
   * The puppet's location payload for a message. Wechaty 1.20's own `message.toLocation()`
   * always throws ("LocationImpl: Wechaty User Class (WUC) can not be instantiated directly",
   * the bug fixed for toUrlLink in wechaty#2358), so the channel asks the puppet itself.
   */
  locationOf(messageId: string): Promise<WeChatLocationPayload>;
}

/** What each kind is called in the core's polite "暂不支持这类消息（{kind}）" answer. */
const UNSUPPORTED: Partial<Record<types.Message, string>> = {
  [types.Message.Attachment]: '文件',
  [types.Message.Contact]: '名片',
  [types.Message.ChatHistory]: '聊天记录',
  [types.Message.Emoticon]: '表情',
  [types.Message.MiniProgram]: '小程序',
  [types.Message.Url]: '链接',
  [types.Message.Video]: '视频',
  [types.Message.Transfer]: '转账',
  [types.Message.RedEnvelope]: '红包',
  [types.Message.GroupNote]: '群接龙',
  [types.Message.Post]: '动态',
};

const IMAGE_FILE = /\.(jpe?g|png|webp|heic|heif|gif)$/i;

export async function readWeChatMessage(m: Message, deps: InboundDeps): Promise<InboundResult> {
  // The bot's own sends come back as messages too (and a logged-in phone's own typing).
  if (m.self()) return { kind: 'ignore', reason: 'self' };
  const room = m.room();
  const talker = m.talker();
  const chatId = room ? room.id : talker.id;
  const base: InboundMessage = {
    channel: 'wechat',
    chatId,
    userId: talker.id,
    updateId: m.id,
    ...(talker.name() ? { displayName: talker.name() } : {}),
    ...(room ? { isGroup: true } : {}),
  };
  const mentioned = room ? await m.mentionSelf().catch(() => false) : false;
  const done = (extra: Partial<InboundMessage>): InboundResult => ({
    kind: 'message',
    message: { ...base, ...extra },
    mentioned,
  });
  const type = m.type();

  if (type === types.Message.Text) {
    const raw = room ? stripMention(m.text(), deps.selfName()) : m.text().trim();
    // A quoted reply to a case card: the card names the case, the reply is what the person says.
    const { text, quoted } = splitQuote(raw);
    if (!text) return { kind: 'ignore', reason: 'empty' };
    const command = parseWeChatCommand(text);
    return done(command ? { command } : { text, ...(quoted ? { replyToText: quoted } : {}) });
  }
  if (type === types.Message.Image) {
    return photo(m, base, deps, done);
  }
  if (type === types.Message.Attachment) {
    // People send photos "as a file" to keep the original (and its EXIF time and GPS): evidence.
    const box = await m.toFileBox().catch(() => null);
    if (box && (IMAGE_FILE.test(box.name) || box.mediaType.startsWith('image/')))
      return photo(m, base, deps, done, box);
    return done({ unsupported: '文件' });
  }
  if (type === types.Message.Audio) return voice(m, base, deps, done);
  if (type === types.Message.Location) {
    try {
      const location = toInboundLocation(await deps.locationOf(m.id));
      if (location) return done({ location });
    } catch {
      // The web protocol cannot decode locations; its text may still carry them (below).
    }
    const parsed = parseLocationText(m.text());
    if (parsed.location) return done({ location: parsed.location });
    // An address without a point still locates the problem through the gazetteer.
    if (parsed.address) return done({ text: parsed.address });
    return done({ unsupported: '位置（无法读取坐标，请直接输入详细地址）' });
  }
  const kind = UNSUPPORTED[type];
  if (kind) return done({ unsupported: kind });
  // Recalls, system notices ("你已添加了…"), unknown types: nothing anyone asked of us.
  return { kind: 'ignore', reason: `type ${types.Message[type] ?? type}` };
}

/**
 * A voice message: the recording is kept as evidence like a photo, and the conversation asks for a
 * short text. When the file cannot be fetched or read, the conversation still asks for the text.
 */
async function voice(
  m: Message,
  base: InboundMessage,
  deps: InboundDeps,
  done: (extra: Partial<InboundMessage>) => InboundResult,
): Promise<InboundResult> {
  let bytes: Buffer;
  try {
    bytes = await (await m.toFileBox()).toBuffer();
  } catch {
    return done({ voice: { attachmentId: null } });
  }
  try {
    const sender = await deps.identify(base);
    const kept = await deps.evidence.ingestVoice(bytes, {
      uploadedById: sender.personId,
      draftKey: `wechat:${base.chatId}:${base.userId}`,
    });
    return done({ voice: { attachmentId: kept.attachmentId }, ...(sender.isNew ? { newcomer: true } : {}) });
  } catch (err) {
    if (err instanceof PhotoRejectedError) return done({ voice: { attachmentId: null } });
    throw err;
  }
}

async function photo(
  m: Message,
  base: InboundMessage,
  deps: InboundDeps,
  done: (extra: Partial<InboundMessage>) => InboundResult,
  known?: FileBoxInterface,
): Promise<InboundResult> {
  const key = `photo:${base.updateId}`;
  let box: FileBoxInterface;
  let bytes: Buffer;
  try {
    box = known ?? (await m.toFileBox());
    bytes = await box.toBuffer();
  } catch {
    // The puppet could not fetch the file (expired on WeChat's servers, a network fault): say so.
    return { kind: 'notice', chatId: base.chatId, text: '照片接收失败，请重新发送。', key };
  }
  try {
    const sender = await deps.identify(base);
    const stored = await deps.evidence.ingest(bytes, {
      uploadedById: sender.personId,
      draftKey: `wechat:${base.chatId}:${base.userId}`,
      ...(box.mediaType && box.mediaType !== 'application/octet-stream' ? { declaredMime: box.mediaType } : {}),
      ...(box.name ? { fileName: box.name } : {}),
    });
    const p: InboundPhoto = { attachmentId: stored.attachmentId, exifLat: stored.exifLat, exifLng: stored.exifLng };
    return done({ photos: [p], ...(sender.isNew ? { newcomer: true } : {}) });
  } catch (err) {
    // The refusal's message is written for the chat user (too large, not an image, …).
    if (err instanceof PhotoRejectedError) return { kind: 'notice', chatId: base.chatId, text: err.message, key };
    throw err;
  }
}
