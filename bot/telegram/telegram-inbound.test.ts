import { describe, expect, it } from 'vitest';
import type { Update } from 'telegraf/types';
import { MALFORMED_UPDATES } from '../../test/helpers/telegram-malformed-updates.ts';
import { mapUpdate, parseCommand } from './telegram-inbound.ts';

const from = { id: 42, is_bot: false, first_name: '张', last_name: '三' };
const privateChat = { id: 42, type: 'private', first_name: '张' };
const msg = (fields: Record<string, unknown>, chat: Record<string, unknown> = privateChat) =>
  ({ update_id: 9, message: { message_id: 1, date: 0, chat, from, ...fields } }) as unknown as Update;

describe('parseCommand', () => {
  it("reads the name in lower case, drops this bot's @suffix, keeps the arguments", () => {
    expect(parseCommand('/Status@Gridline_Bot  JH-20261130-0001 ', 'gridline_bot')).toEqual({
      name: 'status',
      args: 'JH-20261130-0001',
    });
    expect(parseCommand('/start', 'gridline_bot')).toEqual({ name: 'start', args: '' });
    expect(parseCommand('/bind\nAB12CD34', undefined)).toEqual({ name: 'bind', args: 'AB12CD34' });
  });
  it('ignores commands for another bot and text that is not a command', () => {
    expect(parseCommand('/start@other_bot', 'gridline_bot')).toBeNull();
    expect(parseCommand('路过 /start', 'gridline_bot')).toBeUndefined();
    expect(parseCommand('/ 空格', 'gridline_bot')).toBeUndefined();
  });
});

describe('mapUpdate', () => {
  it('keeps the text of the card a message replies to, so the words go to that case', () => {
    const mapped = mapUpdate(
      msg({ text: '摊主每天下午来', reply_to_message: { message_id: 0, text: '已受理，案件编号：JH-20261201-0001' } }),
    );
    expect(mapped.kind === 'message' && mapped.message.replyToText).toBe('已受理，案件编号：JH-20261201-0001');
  });
  it('maps text with the sender, chat and update id', () => {
    expect(mapUpdate(msg({ text: '路边有人摆摊' }))).toEqual({
      kind: 'message',
      files: [],
      messageId: 1,
      message: {
        channel: 'telegram',
        chatId: '42',
        userId: '42',
        updateId: '9',
        isGroup: false,
        displayName: '张 三',
        text: '路边有人摆摊',
      },
    });
  });

  it('maps commands and marks groups', () => {
    const m = mapUpdate(
      msg({ text: '/queue@gridline_bot' }, { id: -100, type: 'supergroup', title: '执法群' }),
      'gridline_bot',
    );
    expect(m).toMatchObject({
      kind: 'message',
      message: { chatId: '-100', isGroup: true, command: { name: 'queue', args: '' } },
    });
  });

  it('maps a button press and keeps the callback id to answer', () => {
    const u = {
      update_id: 10,
      callback_query: {
        id: 'cq1',
        from,
        chat_instance: 'x',
        data: 'c:accept:12',
        message: { message_id: 5, date: 0, chat: privateChat },
      },
    } as unknown as Update;
    expect(mapUpdate(u)).toMatchObject({
      kind: 'message',
      callbackQueryId: 'cq1',
      message: { button: 'c:accept:12', chatId: '42', updateId: '10' },
    });
    const noData = {
      update_id: 11,
      callback_query: { id: 'cq2', from, chat_instance: 'x', game_short_name: 'g' },
    } as unknown as Update;
    expect(mapUpdate(noData)).toMatchObject({ kind: 'ignore', callbackQueryId: 'cq2' });
  });

  it('maps pins (with accuracy), venues and the first point of a live location', () => {
    expect(mapUpdate(msg({ location: { latitude: 30.58, longitude: 114.28, horizontal_accuracy: 25 } }))).toMatchObject(
      { message: { location: { lat: 30.58, lng: 114.28, crs: 'wgs84', accuracyM: 25 } } },
    );
    const venue = { location: { latitude: 30.5, longitude: 114.2 }, title: '菜场', address: '鄱阳街23号' };
    expect(mapUpdate(msg({ location: venue.location, venue }))).toMatchObject({
      message: { location: { lat: 30.5, lng: 114.2, title: '菜场', address: '鄱阳街23号' } },
    });
    expect(mapUpdate(msg({ location: { latitude: 30.58, longitude: 114.28, live_period: 900 } }))).toMatchObject({
      kind: 'message',
    });
    const moved = {
      update_id: 12,
      edited_message: {
        message_id: 1,
        date: 0,
        edit_date: 1,
        chat: privateChat,
        from,
        location: { latitude: 30.6, longitude: 114.3, live_period: 900 },
      },
    } as unknown as Update;
    expect(mapUpdate(moved)).toMatchObject({ kind: 'ignore', reason: 'live location update' });
  });

  it('takes the largest photo size, image documents with their claims, captions as text, album ids', () => {
    const photo = [
      { file_id: 's', width: 90, height: 60, file_size: 900 },
      { file_id: 'l', width: 1280, height: 960, file_size: 90_000 },
    ];
    expect(mapUpdate(msg({ photo, caption: '占道', media_group_id: 'g1' }))).toMatchObject({
      files: [{ fileId: 'l', kind: 'photo', size: 90_000 }],
      mediaGroupId: 'g1',
      message: { text: '占道' },
    });
    const document = {
      file_id: 'd',
      file_unique_id: 'du',
      file_size: 3_000_000,
      mime_type: 'image/heic',
      file_name: 'IMG_1.HEIC',
    };
    expect(mapUpdate(msg({ document }))).toMatchObject({
      files: [{ fileId: 'd', kind: 'document', size: 3_000_000, declaredMime: 'image/heic', fileName: 'IMG_1.HEIC' }],
    });
  });

  it('marks edits and names what it cannot use in Chinese', () => {
    const edited = {
      update_id: 13,
      edited_message: { message_id: 1, date: 0, edit_date: 1, chat: privateChat, from, text: '改' },
    } as unknown as Update;
    expect(mapUpdate(edited)).toMatchObject({ message: { edited: true, text: '改' } });
    expect(mapUpdate(msg({ sticker: { file_id: 'x' } }))).toMatchObject({ message: { unsupported: '贴纸' } });
    // A voice message is fetched and kept as evidence like a photo, not refused.
    const voice = mapUpdate(msg({ voice: { file_id: 'x', file_size: 900, mime_type: 'audio/ogg' } }));
    expect(voice).toMatchObject({ files: [{ fileId: 'x', kind: 'voice', size: 900 }] });
    expect(voice.kind === 'message' && voice.message.unsupported).toBeFalsy();
    // An animation also carries a document; it is a 动图, not a photo.
    expect(
      mapUpdate(msg({ animation: { file_id: 'a' }, document: { file_id: 'a', mime_type: 'video/mp4' } })),
    ).toMatchObject({ files: [], message: { unsupported: '动图' } });
  });

  it('ignores bots, channel posts, service messages and other update kinds; notices a block', () => {
    expect(
      mapUpdate({
        update_id: 1,
        message: { message_id: 1, date: 0, chat: privateChat, from: { ...from, is_bot: true }, text: 'x' },
      } as unknown as Update),
    ).toMatchObject({ kind: 'ignore' });
    expect(mapUpdate(msg({ new_chat_members: [from] }, { id: -5, type: 'group', title: 'g' }))).toMatchObject({
      kind: 'ignore',
      reason: 'service message',
    });
    expect(
      mapUpdate({
        update_id: 2,
        channel_post: { message_id: 1, date: 0, chat: { id: -9, type: 'channel', title: 'c' }, text: 'x' },
      } as unknown as Update),
    ).toMatchObject({ kind: 'ignore' });
    const bot = { id: 1, is_bot: true, first_name: 'b' };
    const kicked = {
      update_id: 3,
      my_chat_member: {
        chat: privateChat,
        from,
        date: 0,
        old_chat_member: { user: bot, status: 'member' },
        new_chat_member: { user: bot, status: 'kicked', until_date: 0 },
      },
    } as unknown as Update;
    expect(mapUpdate(kicked)).toEqual({ kind: 'blocked', chatId: '42' });
  });
});

describe('mapUpdate on malformed updates (issue 13.8)', () => {
  it.each(MALFORMED_UPDATES)('calls %s malformed instead of throwing or passing it on', (_what, body) => {
    const mapped = mapUpdate({ update_id: 77, ...body } as unknown as Update);
    expect(mapped).toMatchObject({ kind: 'malformed', reason: expect.any(String) as unknown });
  });

  it('still answers a malformed button press that carries its id', () => {
    const body = MALFORMED_UPDATES.find(([what]) => what === 'button data as a number')![1];
    expect(mapUpdate({ update_id: 78, ...body } as unknown as Update)).toMatchObject({
      kind: 'malformed',
      callbackQueryId: 'cq-y',
    });
  });
});
