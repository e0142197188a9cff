// Pure mapping of one Telegram update to the conversation core's InboundMessage. No I/O: files
// are returned as references for telegram-photos.ts to download, albums by their group id.
import type { Update } from 'telegraf/types';
import type { InboundLocation, InboundMessage } from '../inbound-types.ts';
import { malformedReason, readableCallbackId } from './telegram-update-shape.ts';

/** A file the message carries that may be a photo: downloaded and checked later, never trusted here. */
export interface TelegramFileRef {
  fileId: string;
  /** What Telegram says the size is; missing for some documents. */
  size?: number;
  /** The sender's claim (documents only); the bytes decide. */
  declaredMime?: string;
  fileName?: string;
  /** 'photo': Telegram's re-encoded JPEG without EXIF; 'document': the file as sent, EXIF intact. */
  kind: 'photo' | 'document' | 'voice';
}

export type MappedUpdate =
  | { kind: 'ignore'; reason: string; callbackQueryId?: string }
  /** Cannot be read (no chat, text not a string, …): acknowledged and logged, never handled or retried. */
  | { kind: 'malformed'; reason: string; callbackQueryId?: string }
  /** The user blocked the bot (my_chat_member → kicked in a private chat): stop queueing for them. */
  | { kind: 'blocked'; chatId: string }
  | {
      kind: 'message';
      /** Without photos: they are added once the files are stored as evidence. */
      message: Omit<InboundMessage, 'photos'>;
      files: TelegramFileRef[];
      /** Parts of one album share it and arrive as separate updates. */
      mediaGroupId?: string;
      /** A pressed inline button: must be answered (answerCallbackQuery), whatever happens next. */
      callbackQueryId?: string;
      /** Telegram's message id, to keep an album's photos in the order they were sent. */
      messageId?: number;
    };

/** Loose view of a Telegram message: typegram's unions make field-by-field access noisy. */
interface RawMessage {
  message_id: number;
  chat: { id: number; type: string };
  from?: { id: number; first_name?: string; last_name?: string; is_bot?: boolean };
  text?: string;
  caption?: string;
  media_group_id?: string;
  reply_to_message?: { text?: string; caption?: string };
  voice?: { file_id: string; file_size?: number; mime_type?: string };
  photo?: Array<{ file_id: string; width: number; height: number; file_size?: number }>;
  document?: { file_id: string; file_size?: number; mime_type?: string; file_name?: string };
  location?: { latitude: number; longitude: number; horizontal_accuracy?: number; live_period?: number };
  venue?: { location: { latitude: number; longitude: number }; title: string; address: string };
}

/** Kinds the flows cannot use, named as the user reads them in the polite refusal. */
const UNSUPPORTED: ReadonlyArray<[string, string]> = [
  ['sticker', '贴纸'],
  ['video_note', '视频消息'],
  ['animation', '动图'],
  ['video', '视频'],
  ['audio', '音频'],
  ['contact', '名片'],
  ['poll', '投票'],
  ['dice', '骰子'],
  ['game', '游戏'],
  ['story', '动态'],
];

/** Service messages (members joining, titles, pins): nothing a person said to the bot. */
const SERVICE = [
  'new_chat_members',
  'left_chat_member',
  'new_chat_title',
  'new_chat_photo',
  'delete_chat_photo',
  'group_chat_created',
  'supergroup_chat_created',
  'pinned_message',
  'migrate_to_chat_id',
  'migrate_from_chat_id',
];

const isGroupType = (type: string) => type === 'group' || type === 'supergroup';

function displayName(from: NonNullable<RawMessage['from']>): string | undefined {
  const name = [from.first_name, from.last_name].filter(Boolean).join(' ').trim();
  return name || undefined;
}

/**
 * `/status@gridline_bot JH-…` → status with its arguments; null when the command is addressed to
 * another bot in a group. Read from the text itself rather than the entities, which some clients
 * (and emulators) leave out.
 */
export function parseCommand(
  text: string,
  botUsername: string | undefined,
): { name: string; args: string } | null | undefined {
  const m = /^\/([A-Za-z0-9_]{1,32})(?:@([A-Za-z0-9_]+))?(?=\s|$)\s*([\s\S]*)$/.exec(text);
  if (!m) return undefined;
  if (m[2] && botUsername && m[2].toLowerCase() !== botUsername.toLowerCase()) return null;
  return { name: m[1]!.toLowerCase(), args: (m[3] ?? '').trim() };
}

function locationOf(m: RawMessage): InboundLocation | undefined {
  if (m.venue) {
    const { latitude, longitude } = m.venue.location;
    return { lat: latitude, lng: longitude, crs: 'wgs84', title: m.venue.title, address: m.venue.address };
  }
  if (!m.location) return undefined;
  const { latitude, longitude, horizontal_accuracy } = m.location;
  return {
    lat: latitude,
    lng: longitude,
    crs: 'wgs84',
    ...(horizontal_accuracy !== undefined ? { accuracyM: horizontal_accuracy } : {}),
  };
}

function filesOf(m: RawMessage): TelegramFileRef[] {
  if (m.photo?.length) {
    // Telegram lists several sizes of one photo, smallest first; the largest is the evidence.
    const largest = m.photo.reduce((a, b) => (b.width * b.height >= a.width * a.height ? b : a));
    return [
      {
        fileId: largest.file_id,
        kind: 'photo',
        ...(largest.file_size !== undefined ? { size: largest.file_size } : {}),
      },
    ];
  }
  // A voice message is kept as evidence like a photo; the conversation asks for words.
  if (m.voice) {
    const v = m.voice;
    return [
      {
        fileId: v.file_id,
        kind: 'voice',
        ...(v.file_size !== undefined ? { size: v.file_size } : {}),
        ...(v.mime_type ? { declaredMime: v.mime_type } : {}),
      },
    ];
  }
  // An animation also carries `document`; it is refused as 动图 before this is reached.
  if (m.document) {
    const d = m.document;
    return [
      {
        fileId: d.file_id,
        kind: 'document',
        ...(d.file_size !== undefined ? { size: d.file_size } : {}),
        ...(d.mime_type ? { declaredMime: d.mime_type } : {}),
        ...(d.file_name ? { fileName: d.file_name } : {}),
      },
    ];
  }
  return [];
}

function mapMessage(updateId: number, m: RawMessage, edited: boolean, botUsername: string | undefined): MappedUpdate {
  if (!m.from || m.from.is_bot) return { kind: 'ignore', reason: 'not from a person' };
  if (m.chat.type === 'channel') return { kind: 'ignore', reason: 'channel post' };
  // Live locations send their later points as edits: the first point is the one reported.
  if (edited && (m.location || m.venue)) return { kind: 'ignore', reason: 'live location update' };
  if (SERVICE.some((k) => k in m)) return { kind: 'ignore', reason: 'service message' };

  const base: Omit<InboundMessage, 'photos'> = {
    channel: 'telegram',
    chatId: String(m.chat.id),
    userId: String(m.from.id),
    updateId: String(updateId),
    isGroup: isGroupType(m.chat.type),
    ...(displayName(m.from) ? { displayName: displayName(m.from)! } : {}),
    ...(edited ? { edited: true } : {}),
  };
  const unsupported = UNSUPPORTED.find(([k]) => k in m);
  if (unsupported)
    return { kind: 'message', message: { ...base, unsupported: unsupported[1] }, files: [], messageId: m.message_id };

  const message: Omit<InboundMessage, 'photos'> = { ...base };
  if (m.text !== undefined) {
    const command = parseCommand(m.text, botUsername);
    if (command === null) return { kind: 'ignore', reason: 'command for another bot' };
    if (command) message.command = command;
    else message.text = m.text;
  } else if (m.caption) {
    message.text = m.caption;
  }
  // A reply to a case card names the case the words or photos are for.
  const repliedTo = m.reply_to_message?.text ?? m.reply_to_message?.caption;
  if (repliedTo) message.replyToText = repliedTo;
  const location = locationOf(m);
  if (location) message.location = location;
  const files = filesOf(m);
  if (!message.text && !message.command && !location && files.length === 0) {
    return { kind: 'message', message: { ...base, unsupported: '此类消息' }, files: [], messageId: m.message_id };
  }
  return {
    kind: 'message',
    message,
    files,
    messageId: m.message_id,
    ...(m.media_group_id ? { mediaGroupId: m.media_group_id } : {}),
  };
}

/** One Telegram update → what the adapter does with it. */
export function mapUpdate(update: Update, botUsername?: string): MappedUpdate {
  const malformed = malformedReason(update);
  if (malformed) {
    const callbackQueryId = readableCallbackId(update);
    return { kind: 'malformed', reason: malformed, ...(callbackQueryId ? { callbackQueryId } : {}) };
  }
  if ('callback_query' in update) {
    const q = update.callback_query;
    const data = 'data' in q ? q.data : undefined;
    const chat = q.message?.chat;
    if (!data || !chat) return { kind: 'ignore', reason: 'callback without data or chat', callbackQueryId: q.id };
    const name = [q.from.first_name, q.from.last_name].filter(Boolean).join(' ').trim();
    return {
      kind: 'message',
      callbackQueryId: q.id,
      files: [],
      message: {
        channel: 'telegram',
        chatId: String(chat.id),
        userId: String(q.from.id),
        updateId: String(update.update_id),
        isGroup: isGroupType(chat.type),
        button: data,
        ...(name ? { displayName: name } : {}),
      },
    };
  }
  if ('message' in update)
    return mapMessage(update.update_id, update.message as unknown as RawMessage, false, botUsername);
  if ('edited_message' in update)
    return mapMessage(update.update_id, update.edited_message as unknown as RawMessage, true, botUsername);
  if ('my_chat_member' in update) {
    const { chat, new_chat_member: member } = update.my_chat_member;
    if (chat.type === 'private' && member.status === 'kicked') return { kind: 'blocked', chatId: String(chat.id) };
  }
  return {
    kind: 'ignore',
    reason: `update kind ${
      Object.keys(update)
        .filter((k) => k !== 'update_id')
        .join(',') || 'unknown'
    }`,
  };
}
