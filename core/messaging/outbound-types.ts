import type { LatLng } from '../geo/geo-types.ts';

/**
 * A button as every channel shows it. `id` is what comes back when it is pressed; it must fit
 * Telegram's 64-byte callback_data, so it carries an id (e.g. `c:accept:123`), never a payload.
 * Channels without buttons (WeChat) show them as numbered replies.
 */
export interface Button {
  id: string;
  label: string;
}

/** What the conversation core and the notifier ask a channel to send. */
export interface OutboundMessage {
  text: string;
  /** Rows of buttons. */
  buttons?: Button[][];
  /** Stored attachments to send as photos (EXIF-stripped copies when leaving the case). */
  photoAttachmentIds?: number[];
  location?: LatLng;
  /** Ask the user to share their location (reply keyboard in private Telegram chats). */
  requestLocation?: boolean;
  /**
   * The case this message is about, as structured fields: channels with rich cards (WeCom
   * template cards) render them; text channels just send `text`, which already says all of it.
   */
  card?: CaseCardFields;
}

/** One case as a card shows it (core/case/case-card-fns.ts builds it). */
export interface CaseCardFields {
  caseId: number;
  number: string;
  title: string;
  status: string;
  place: string;
  mapUrl?: string;
  words?: string;
  due?: string;
  overdue?: boolean;
}

/** An address for a message: one chat on one channel. */
export interface ChatAddress {
  channel: string; // telegram | wechat | wecom | web
  chatId: string;
}

/** The channel said: wait this long, then try again (Telegram 429 retry_after). */
export class RetryAfterError extends Error {
  constructor(
    readonly retryAfterSeconds: number,
    message = `rate limited, retry after ${retryAfterSeconds}s`,
  ) {
    super(message);
    this.name = 'RetryAfterError';
  }
}

/** The user blocked the bot or the chat is gone: retrying cannot help. */
export class ChatUnreachableError extends Error {
  constructor(message = 'chat unreachable') {
    super(message);
    this.name = 'ChatUnreachableError';
  }
}

/** What the outbox knows about a message besides its content (a channel with a send budget needs it). */
export interface SendMeta {
  /** The case the message is about, when it is a case notice. */
  caseId: number | null;
  /** The outbox row's dedupe key (`case:<id>:e<event>:followers:<channel>:<chat>` for notices). */
  dedupeKey: string;
}

/** One channel's way of delivering a message. Throws RetryAfterError / ChatUnreachableError / anything (retried). */
export interface ChannelSender {
  readonly channel: string;
  send(chatId: string, message: OutboundMessage, meta?: SendMeta): Promise<void>;
}
