// Photos, albums, documents, locations and odd messages through the real telegraf bot, and
// photos, pins and keyboards going out, against the Bot API emulator.
import exifr from 'exifr';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OutboundMessage } from '../../core/messaging/outbound-types.ts';
import { createTelegramHarness, type TelegramHarness } from '../helpers/telegram-harness.ts';
import { jpeg, noisyJpeg } from '../helpers/test-images.ts';

let h: TelegramHarness;
const MB = 1024 * 1024;

beforeAll(async () => {
  h = await createTelegramHarness({ env: { PHOTO_MAX_BYTES: String(1 * MB) } });
});
afterAll(async () => h?.close());

const quiet = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function push(chatId: string, message: OutboundMessage, key: string): Promise<void> {
  await h.domain.outbox.enqueueNow([{ dedupeKey: key, channel: 'telegram', chatId, message }]);
  h.delivery.kick();
}

describe('Telegram: photos coming in', () => {
  it('gathers an album into one message', async () => {
    const u = h.emu.user({ id: 4001 });
    await u.sendAlbum(
      [await jpeg(320, 240), await jpeg(240, 320), await jpeg(300, 300)],
      '路边有人乱堆杂物，堵住了消防通道',
    );
    // Telegram's re-encoded photos carry no GPS: the bot asks where, in the same message.
    await u.expect(/已收到 3 张照片[\s\S]*位置/);
    await quiet(400);
    expect(u.unread()).toEqual([]);
    const stored = await h.db.attachment.findMany({ where: { draftKey: 'telegram:4001:4001' } });
    expect(stored).toHaveLength(3);
    expect(stored.every((a) => a.mime === 'image/jpeg' && a.exifLat === null && a.thumbPath && a.publicPath)).toBe(
      true,
    );
    await u.send('/cancel');
    await u.expect('已取消');
  });

  it('keeps a voice note as evidence and asks for a short text instead of refusing it', async () => {
    const u = h.emu.user({ id: 4009 });
    await u.sendVoice(Buffer.concat([Buffer.from('OggS\0\x02'), Buffer.alloc(300, 5)]));
    await u.expect('已作为证据保存');
    const stored = await h.db.attachment.findMany({ where: { draftKey: 'telegram:4009:4009' } });
    expect(stored.map((a) => a.mime)).toEqual(['audio/ogg']);
    expect(stored[0]!.publicPath).toBeNull(); // a voice never leaves the case
    await u.send('/cancel');
    await u.expect('已取消');
  });

  it('takes the location from the EXIF GPS of a photo sent as a file', async () => {
    const u = h.emu.user({ id: 4002 });
    await u.send('门口一堆建筑垃圾没人清理，堆了好几天');
    await u.expect('位置');
    await u.sendPhoto(await jpeg(640, 480, { lat: 30.5823, lng: 114.2842, takenAt: '2026:11:29 16:40:00' }), {
      asDocument: { mime: 'image/jpeg' },
    });
    await u.expect(/已从照片中读取拍摄位置[\s\S]*请确认/);
    // A photo sent as a file keeps its EXIF GPS: its uploader must be recorded (issue 13.3), or
    // "no uploader" would read as "not the reporter" and the rules built on it would not hold.
    const stored = await h.db.attachment.findFirstOrThrow({ where: { draftKey: 'telegram:4002:4002' } });
    const sender = await h.db.chatIdentity.findUniqueOrThrow({
      where: { channel_externalId: { channel: 'telegram', externalId: '4002' } },
    });
    expect(stored.exifLat).not.toBeNull();
    expect(stored.uploadedById).toBe(sender.personId);
  });

  it('welcomes a newcomer whose first message is a photo (the photo’s uploader is made first)', async () => {
    const u = h.emu.user({ id: 4090 });
    await u.sendPhoto(await jpeg(320, 240), { caption: '路边有人乱堆杂物' });
    // The greeting and the question about the place arrive as one message (replies are combined).
    await u.expect(/这里是江汉区城管执法[\s\S]*位置/);
    await u.send('/cancel');
    await u.expect('已取消');
  });

  it('refuses a file that is not an image, without downloading it', async () => {
    const u = h.emu.user({ id: 4003 });
    const before = h.emu.downloads.length;
    await u.sendPhoto(Buffer.from('%PDF-1.4 整改通知书'), {
      asDocument: { mime: 'application/pdf', name: '通知书.pdf' },
    });
    await u.expect('这不是图片文件');
    await quiet(300);
    expect(u.unread()).toEqual([]);
    expect(h.emu.downloads.length).toBe(before);
  });

  it('refuses a photo over PHOTO_MAX_BYTES by its declared size, before getFile', async () => {
    const u = h.emu.user({ id: 4004 });
    const getFiles = () => h.emu.calls.filter((c) => c.method === 'getFile').length;
    const before = getFiles();
    await u.sendPhoto(await jpeg(64, 48), { claimSize: 5 * MB, caption: '人行道上有人摆摊' });
    await u.expect('照片超过 1 MB');
    await u.expect('位置'); // the caption still counts
    expect(getFiles()).toBe(before);
  });

  it('stops a download that turns out larger than declared', async () => {
    const u = h.emu.user({ id: 4005 });
    const big = await noisyJpeg(2000, 1600);
    expect(big.length).toBeGreaterThan(MB);
    await u.sendPhoto(big, { asDocument: { mime: 'image/jpeg' }, claimSize: 1000 });
    await u.expect('照片超过 1 MB');
    expect(await h.db.attachment.count({ where: { draftKey: 'telegram:4005:4005' } })).toBe(0);
  });
});

describe('Telegram: locations and other messages', () => {
  it('uses the first point of a live location and ignores its later points', async () => {
    const u = h.emu.user({ id: 4101 });
    await u.send('人行道上有人摆摊卖水果');
    await u.expect('位置');
    const updateCount = await h.db.processedUpdate.count();
    await u.sendLocation(30.5795, 114.2869, { livePeriod: 900 });
    const summary = await u.expect('请确认');
    expect(summary.text).toContain('花楼水塔街道');
    await u.moveLiveLocation(u.lastMessageId, 30.6, 114.26);
    await quiet(400);
    expect(u.unread()).toEqual([]);
    expect(await h.db.processedUpdate.count()).toBe(updateCount + 1);
  });

  it('reads a venue as a point with its address', async () => {
    const u = h.emu.user({ id: 4102 });
    await u.send('有人在路边乱贴小广告');
    await u.expect('位置');
    await u.sendVenue(30.5795, 114.2869, '鄱阳街菜场', '江汉区鄱阳街23号');
    expect((await u.expect('请确认')).text).toContain('鄱阳街23号');
  });

  it('answers stickers, edits and commands for other bots as it should', async () => {
    const u = h.emu.user({ id: 4103 });
    await u.send('你好');
    await u.expect('网格通');
    await u.sendSticker();
    await u.expect('暂不支持这类消息（贴纸）');
    await u.edit(u.lastMessageId, '改一下');
    await u.expect('修改后的消息');
    await u.send('/start@some_other_bot');
    await quiet(300);
    expect(u.unread()).toEqual([]);
  });

  it('answers a command addressed to it in a group, in the group', async () => {
    const u = h.emu.user({ id: 4104, group: { id: -1001234, title: '花楼水塔街道执法群' } });
    await u.send(`/status@${h.emu.botUsername} JH-20260101-0001`);
    const reply = await u.expect('没有找到');
    expect(reply.chat_id).toBe('-1001234');
  });
});

describe('Telegram: messages going out', () => {
  it('sends photos as EXIF-free copies, in an album, then the text and a pin', async () => {
    const ids: number[] = [];
    for (const p of [
      await jpeg(320, 240, { lat: 30.5795, lng: 114.2869 }),
      await jpeg(200, 100, { lat: 30.5823, lng: 114.2842 }),
    ]) {
      ids.push((await h.domain.evidence.ingest(p)).attachmentId);
    }
    await push(
      '4201',
      { text: '案件现场照片', photoAttachmentIds: ids, location: { lat: 30.5795, lng: 114.2869 } },
      'out-1',
    );
    const pin = await h.emu.waitFor(
      () => h.emu.sent.find((m) => m.chat_id === '4201' && m.method === 'sendLocation'),
      'the pin',
    );
    const toChat = h.emu.sent.filter((m) => m.chat_id === '4201');
    expect(toChat.map((m) => m.method)).toEqual(['sendMediaGroup', 'sendMediaGroup', 'sendMessage', 'sendLocation']);
    for (const m of toChat.filter((x) => x.photos))
      expect(await exifr.gps(m.photos![0]!).catch(() => undefined)).toBeUndefined();
    expect(pin.latitude).toBeCloseTo(30.5795, 5);
  });

  it('puts one photo, its caption and its buttons in one message', async () => {
    const id = (await h.domain.evidence.ingest(await jpeg(120, 90))).attachmentId;
    await push(
      '4202',
      { text: '请核查处置结果', photoAttachmentIds: [id], buttons: [[{ id: 'r:satisfied:1', label: '满意' }]] },
      'out-2',
    );
    const sent = await h.emu.waitFor(() => h.emu.sent.find((m) => m.chat_id === '4202'), 'the photo');
    expect(sent).toMatchObject({
      method: 'sendPhoto',
      caption: '请核查处置结果',
      reply_markup: { inline_keyboard: [[{ text: '满意', callback_data: 'r:satisfied:1' }]] },
    });
  });

  it('offers the share-location button in private chats only', async () => {
    await push('4203', { text: '请发送位置', requestLocation: true }, 'out-3');
    await push('-1004203', { text: '请发送位置', requestLocation: true }, 'out-4');
    const priv = await h.emu.waitFor(() => h.emu.sent.find((m) => m.chat_id === '4203'), 'private');
    const group = await h.emu.waitFor(() => h.emu.sent.find((m) => m.chat_id === '-1004203'), 'group');
    expect(priv.reply_markup).toMatchObject({ keyboard: [[{ request_location: true }]], one_time_keyboard: true });
    expect(group.reply_markup).toBeUndefined();
  });
});
