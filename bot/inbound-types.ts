import type { Crs } from '../core/geo/geo-types.ts';
import type { OutboundMessage } from '../core/messaging/outbound-types.ts';
import type { ChatSnapshot, ConversationKey, FlowState } from './bot-ports.ts';

export type Channel = 'telegram' | 'wechat' | 'wecom' | 'web' | 'mp';

/** A photo the adapter has already stored as evidence (see core/evidence). */
export interface InboundPhoto {
  attachmentId: number;
  /** GPS from the photo's EXIF (WGS-84), when present: it can supply the report's location. */
  exifLat?: number | null;
  exifLng?: number | null;
}

export interface InboundLocation {
  lat: number;
  lng: number;
  /** Telegram and browsers send WGS-84, WeChat GCJ-02. */
  crs: Crs;
  /** Horizontal accuracy in metres when the client says (Telegram horizontal_accuracy, browser coords.accuracy). */
  accuracyM?: number;
  /** Address text the client sends with the point (WeChat, Telegram venue). */
  address?: string;
  /** A venue's title. */
  title?: string;
}

/**
 * One message from a person, normalised by the channel adapter. Flows never see a
 * messenger library's types.
 */
export interface InboundMessage {
  channel: Channel;
  /** Where replies go (private chat id, group id, web session chat). */
  chatId: string;
  /** The sender's stable id on that channel. */
  userId: string;
  /** The channel's update/message id: the same id twice is processed once. */
  updateId?: string;
  displayName?: string;
  isGroup?: boolean;
  /** An edited message: flows answer it but never change a confirmed report with it. */
  edited?: boolean;
  text?: string;
  /** `/status JH-…` → { name: 'status', args: 'JH-…' } (lower-case, without the slash or @bot suffix). */
  command?: { name: string; args: string };
  /** The id of a pressed button (see Button.id), or on WeChat the id picked by a numbered reply. */
  button?: string;
  /**
   * A voice message: the recording as stored evidence (null when it could not be kept), and the
   * channel's own transcript when it gives one.
   */
  voice?: { attachmentId: number | null; transcript?: string };
  /** The text of the message this one replies to (a Telegram reply to a case card). */
  replyToText?: string;
  photos?: InboundPhoto[];
  location?: InboundLocation;
  /** Something the flows cannot use (a sticker, a file, a mini-program card): answered politely. */
  unsupported?: string;
  /**
   * The adapter made the sender a person while storing this message's photos (IdentifySender):
   * the conversation still greets them as new.
   */
  newcomer?: boolean;
}

/**
 * The person behind a channel user (created as a resident on first contact). Adapters call it
 * before storing a photo, so every attachment records its uploader on every channel: ownership
 * and publishing rules depend on it.
 */
export type IdentifySender = (
  m: Pick<InboundMessage, 'channel' | 'chatId' | 'userId' | 'displayName'>,
) => Promise<{ personId: number; isNew: boolean }>;

/** What handling one message produced, to be committed with the update's claim (see bot-runtime.ts). */
export interface HandledMessage {
  replies: OutboundMessage[];
  /** The chat's flow state afterwards: a state to save, null to clear it, absent when unchanged. */
  state?: { key: ConversationKey; next: FlowState | null };
}

/** The conversation core: one call per inbound message, replies returned in order. */
export interface ConversationHandler {
  /** `snapshot`: the sender and chat state as read with the update's check, when the store read them. */
  handle(message: InboundMessage, snapshot?: ChatSnapshot): Promise<HandledMessage>;
}
