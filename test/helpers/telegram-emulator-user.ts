// A simulated Telegram user for the emulator: sends messages, photos, albums, locations and
// button presses as real updates, and reads what the bot sent to its chat.
import sharp from 'sharp';
import type { SentMessage, TelegramEmulator } from './telegram-emulator.ts';

export interface UserOptions {
  id: number;
  firstName?: string;
  /** A group chat the user writes in (negative id); the private chat with the bot otherwise. */
  group?: { id: number; title: string };
}

export interface PhotoOptions {
  caption?: string;
  mediaGroupId?: string;
  /** Sent as a file ("uncompressed"): Telegram keeps the bytes, EXIF included. */
  asDocument?: { mime?: string; name?: string };
  /** The size Telegram reports, to test limits without huge buffers. */
  claimSize?: number;
}

export interface EmulatedUser {
  id: number;
  chatId: string;
  send(text: string): Promise<number>;
  sendPhoto(bytes: Buffer, opts?: PhotoOptions): Promise<number>;
  sendAlbum(photos: Buffer[], caption?: string): Promise<number[]>;
  sendLocation(lat: number, lng: number, opts?: { livePeriod?: number; accuracy?: number }): Promise<number>;
  /** The later points of a live location arrive as edits of the first message. */
  moveLiveLocation(messageId: number, lat: number, lng: number): Promise<number>;
  sendVenue(lat: number, lng: number, title: string, address: string): Promise<number>;
  sendSticker(): Promise<number>;
  /** A voice note (Ogg/Opus bytes), as Telegram's apps record it. */
  sendVoice(bytes: Buffer): Promise<number>;
  edit(messageId: number, text: string): Promise<number>;
  /** Presses a button (by label) of the newest bot message that has it; returns the callback query id. */
  /** Presses the button on the newest message that has it, or on the newest whose text contains `on`. */
  press(label: string, on?: string): Promise<string>;
  /** Everything the bot sent to this chat. */
  messages(): SentMessage[];
  /** Waits for a bot message to this chat, newer than the last one read, whose text contains `part`. */
  expect(part: string | RegExp, timeoutMs?: number): Promise<SentMessage>;
  /** Messages not read yet by expect(), without waiting. */
  unread(): SentMessage[];
  /** The last message_id this user sent. */
  lastMessageId: number;
}

const textOf = (m: SentMessage) => m.text ?? m.caption ?? '';

export function createEmulatedUser(emu: TelegramEmulator, o: UserOptions): EmulatedUser {
  const from = { id: o.id, is_bot: false, first_name: o.firstName ?? `用户${o.id}`, language_code: 'zh-hans' };
  const chat = o.group
    ? { id: o.group.id, type: 'group', title: o.group.title }
    : { id: o.id, type: 'private', first_name: from.first_name };
  const chatId = String(chat.id);
  let cursor = 0; // index into this chat's messages: everything before it has been read

  async function message(fields: Record<string, unknown>): Promise<number> {
    u.lastMessageId = emu.nextMessageId();
    return emu.pushUpdate({
      message: { message_id: u.lastMessageId, date: Math.floor(Date.now() / 1000), chat, from, ...fields },
    });
  }

  async function photoFields(bytes: Buffer, opts: PhotoOptions): Promise<Record<string, unknown>> {
    if (opts.asDocument) {
      const f = emu.addFile(bytes, { ext: 'jpg', ...(opts.claimSize ? { claimSize: opts.claimSize } : {}) });
      return {
        document: {
          ...f,
          mime_type: opts.asDocument.mime ?? 'image/jpeg',
          file_name: opts.asDocument.name ?? 'IMG_0001.JPG',
        },
      };
    }
    // Telegram re-encodes photos and drops their EXIF; it offers a thumbnail and the full size.
    const full = await sharp(bytes).rotate().jpeg({ quality: 87 }).toBuffer();
    const thumb = await sharp(full).resize(90, 90, { fit: 'inside', withoutEnlargement: true }).jpeg().toBuffer();
    const [fullMeta, thumbMeta] = await Promise.all([sharp(full).metadata(), sharp(thumb).metadata()]);
    const small = emu.addFile(thumb);
    const large = emu.addFile(full, opts.claimSize ? { claimSize: opts.claimSize } : {});
    return {
      photo: [
        { ...small, width: thumbMeta.width, height: thumbMeta.height },
        { ...large, width: fullMeta.width, height: fullMeta.height },
      ],
    };
  }

  const mine = () => emu.sent.filter((m) => m.chat_id === chatId);

  const u: EmulatedUser = {
    id: o.id,
    chatId,
    lastMessageId: 0,
    send(text) {
      const command = /^\/\S+/.exec(text)?.[0];
      return message({
        text,
        ...(command ? { entities: [{ type: 'bot_command', offset: 0, length: command.length }] } : {}),
      });
    },
    async sendPhoto(bytes, opts = {}) {
      return message({
        ...(await photoFields(bytes, opts)),
        ...(opts.caption ? { caption: opts.caption } : {}),
        ...(opts.mediaGroupId ? { media_group_id: opts.mediaGroupId } : {}),
      });
    },
    async sendAlbum(photos, caption) {
      const group = `album-${o.id}-${Date.now()}`;
      const ids: number[] = [];
      for (const [i, p] of photos.entries())
        ids.push(await u.sendPhoto(p, { mediaGroupId: group, ...(i === 0 && caption ? { caption } : {}) }));
      return ids;
    },
    sendVoice(bytes) {
      return message({ voice: { ...emu.addFile(bytes, { ext: 'ogg' }), duration: 3, mime_type: 'audio/ogg' } });
    },
    sendLocation(lat, lng, opts = {}) {
      return message({
        location: {
          latitude: lat,
          longitude: lng,
          ...(opts.accuracy ? { horizontal_accuracy: opts.accuracy } : {}),
          ...(opts.livePeriod ? { live_period: opts.livePeriod } : {}),
        },
      });
    },
    moveLiveLocation(messageId, lat, lng) {
      return emu.pushUpdate({
        edited_message: {
          message_id: messageId,
          date: Math.floor(Date.now() / 1000),
          edit_date: Math.floor(Date.now() / 1000),
          chat,
          from,
          location: { latitude: lat, longitude: lng, live_period: 900 },
        },
      });
    },
    sendVenue(lat, lng, title, address) {
      const location = { latitude: lat, longitude: lng };
      return message({ location, venue: { location, title, address } });
    },
    sendSticker() {
      return message({
        sticker: {
          file_id: 'STK1',
          file_unique_id: 'STKU1',
          type: 'regular',
          width: 512,
          height: 512,
          is_animated: false,
          is_video: false,
          emoji: '👍',
        },
      });
    },
    edit(messageId, text) {
      return emu.pushUpdate({
        edited_message: {
          message_id: messageId,
          date: Math.floor(Date.now() / 1000),
          edit_date: Math.floor(Date.now() / 1000),
          chat,
          from,
          text,
        },
      });
    },
    async press(label, on) {
      const withButton = [...mine()]
        .reverse()
        .find(
          (m) =>
            m.reply_markup?.inline_keyboard?.flat().some((b) => b.text === label) &&
            (on === undefined || textOf(m).includes(on)),
        );
      const button = withButton?.reply_markup?.inline_keyboard?.flat().find((b) => b.text === label);
      if (!withButton || !button)
        throw new Error(
          `no button “${label}” in chat ${chatId}; last messages: ${mine().slice(-3).map(textOf).join(' | ')}`,
        );
      const id = `cq${o.id}-${emu.callbackIds.length + 1}`;
      emu.callbackIds.push(id);
      await emu.pushUpdate({
        callback_query: {
          id,
          from,
          chat_instance: `ci${chatId}`,
          data: button.callback_data,
          message: {
            message_id: withButton.message_id,
            date: Math.floor(withButton.at / 1000),
            chat,
            text: textOf(withButton),
          },
        },
      });
      return id;
    },
    messages: mine,
    unread: () => mine().slice(cursor),
    async expect(part, timeoutMs = 10_000) {
      const matches = (m: SentMessage) => (typeof part === 'string' ? textOf(m).includes(part) : part.test(textOf(m)));
      const find = () => {
        const list = mine();
        const i = list.findIndex((m, k) => k >= cursor && matches(m));
        return i >= 0 ? { i, m: list[i]! } : null;
      };
      const found = await emu.waitFor(find, `“${String(part)}” in chat ${chatId}`, timeoutMs).catch((err: Error) => {
        throw new Error(`${err.message}; unread: ${mine().slice(cursor).map(textOf).join(' | ') || 'none'}`);
      });
      cursor = found.i + 1;
      return found.m;
    },
  };
  return u;
}
