// Pure planning of the Bot API calls that deliver one OutboundMessage. No I/O: the sender opens
// the photo files first and executes the plan, so every rule here is unit-tested.
import type { Button, OutboundMessage } from '../../core/messaging/outbound-types.ts';
import { splitText as splitLongText } from '../../core/messaging/text-split-fns.ts';

export interface TelegramCall {
  method: 'sendMessage' | 'sendPhoto' | 'sendMediaGroup' | 'sendLocation';
  payload: Record<string, unknown>;
}

/** Telegram's limits: 4096 characters of text, 1024 of caption, 2–10 items per album, 64 bytes of callback_data. */
export const TEXT_LIMIT = 4096;
export const CAPTION_LIMIT = 1024;
export const ALBUM_MAX = 10;
export const CALLBACK_DATA_MAX_BYTES = 64;

export const LOCATION_BUTTON_LABEL = '📍 发送我的位置';

export interface PlanOptions {
  /** Group and channel ids are negative: the share-location button works in private chats only. */
  isPrivate: boolean;
  /** Button ids that do not fit callback_data are dropped (and reported here) rather than failing the message forever. */
  onDroppedButton?: (button: Button) => void;
}

/** Long text in parts within this channel's message limit. */
export function splitText(text: string, limit = TEXT_LIMIT): string[] {
  return splitLongText(text, limit);
}

function inlineKeyboard(buttons: Button[][] | undefined, opts: PlanOptions): Record<string, unknown> | undefined {
  if (!buttons?.length) return undefined;
  const rows = buttons
    .map((row) =>
      row
        .filter((b) => {
          const fits = Buffer.byteLength(b.id, 'utf8') <= CALLBACK_DATA_MAX_BYTES && b.id.length > 0;
          if (!fits) opts.onDroppedButton?.(b);
          return fits;
        })
        .map((b) => ({ text: b.label, callback_data: b.id })),
    )
    .filter((row) => row.length > 0);
  return rows.length ? { inline_keyboard: rows } : undefined;
}

function replyMarkup(message: OutboundMessage, opts: PlanOptions): Record<string, unknown> | undefined {
  const inline = inlineKeyboard(message.buttons, opts);
  if (inline) return inline; // one message has one keyboard: actions win over the location shortcut
  if (message.requestLocation && opts.isPrivate) {
    return {
      keyboard: [[{ text: LOCATION_BUTTON_LABEL, request_location: true }]],
      resize_keyboard: true,
      one_time_keyboard: true,
    };
  }
  return undefined;
}

/**
 * Photos first (one sendPhoto, or albums of up to ten), then the text with its keyboard, then a
 * location pin. A single photo whose caption fits carries the text and keyboard itself. Plain
 * text only (no parse_mode): user-written text can never break the markup.
 */
export function planSend(
  chatId: string,
  message: OutboundMessage,
  /** The photos' EXIF-free copies: their bytes (or a local path), handed to telegraf as `source`. */
  photoPaths: Array<string | Buffer>,
  opts: PlanOptions,
): TelegramCall[] {
  const calls: TelegramCall[] = [];
  const markup = replyMarkup(message, opts);
  const text = message.text.trim();
  const withMarkup = (p: Record<string, unknown>) => (markup ? { ...p, reply_markup: markup } : p);

  if (photoPaths.length === 1 && text.length <= CAPTION_LIMIT) {
    calls.push({
      method: 'sendPhoto',
      payload: withMarkup({ chat_id: chatId, photo: { source: photoPaths[0] }, ...(text ? { caption: text } : {}) }),
    });
  } else {
    for (let i = 0; i < photoPaths.length; i += ALBUM_MAX) {
      const chunk = photoPaths.slice(i, i + ALBUM_MAX);
      if (chunk.length === 1)
        calls.push({ method: 'sendPhoto', payload: { chat_id: chatId, photo: { source: chunk[0] } } });
      else
        calls.push({
          method: 'sendMediaGroup',
          payload: { chat_id: chatId, media: chunk.map((p) => ({ type: 'photo', media: { source: p } })) },
        });
    }
    const parts = text ? splitText(text) : [];
    parts.forEach((part, i) => {
      const last = i === parts.length - 1;
      calls.push({
        method: 'sendMessage',
        payload: last ? withMarkup({ chat_id: chatId, text: part }) : { chat_id: chatId, text: part },
      });
    });
    // Buttons with no text to carry them: Telegram refuses empty text, and albums take no keyboard.
    if (!parts.length && markup)
      calls.push({ method: 'sendMessage', payload: withMarkup({ chat_id: chatId, text: '请选择：' }) });
  }
  if (message.location) {
    calls.push({
      method: 'sendLocation',
      payload: { chat_id: chatId, latitude: message.location.lat, longitude: message.location.lng },
    });
  }
  return calls;
}
