// The 公众号 customer-service budget as the sender keeps it, against the platform emulator: five
// messages after a follower's message, three for a minute after a menu click, nothing past them
// (the platform never has to answer 45047), and a restart keeps what was used.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RetryAfterError } from '../../core/messaging/outbound-types.ts';
import exifr from 'exifr';
import { createMpStore } from '../../db/mp-store.ts';
import { jpeg } from '../helpers/test-images.ts';
import { createMpWorld, type MpWorld } from '../helpers/mp-world.ts';

let w: MpWorld;
beforeAll(async () => {
  // No time for passive replies here: every answer goes through the customer-service API.
  w = await createMpWorld({ passiveWaitMs: 0 });
});
afterAll(async () => w?.stop());

const custom = (openid: string) => w.emu.follower(openid).inbox.filter((d) => d.via === 'custom');

describe('公众号 customer-service budget', () => {
  it('answers "success" when the reply is not ready in time and sends it through the API', async () => {
    const [r] = await w.emu.deliver({ FromUserName: 'o-slow', MsgType: 'text', Content: '帮助' });
    expect(r).toMatchObject({ status: 200, body: 'success', reply: null });
    await w.until(() => custom('o-slow').length === 1, 'the answer by API');
    expect(custom('o-slow')[0]!.content).toContain('/my');
    expect(await w.mp.store.window('o-slow')).toMatchObject({ kind: 'message', allowed: 5, used: 1 });
  });

  it('sends five after a message, then holds the sixth without asking the platform', async () => {
    await w.emu.deliver({ FromUserName: 'o-budget', MsgType: 'event', Event: 'VIEW', EventKey: 'x' });
    // A VIEW opens nothing: a push now has no budget.
    await expect(w.mp.sender.send('o-budget', { text: '推送 0' })).rejects.toBeInstanceOf(RetryAfterError);
    // The follower writes: the answer goes passively (free) or as the first of the five.
    await w.emu.deliver({ FromUserName: 'o-budget', MsgType: 'text', Content: '你好' });
    await w.until(() => w.emu.follower('o-budget').inbox.length > 0, 'the answer');
    let held = 0;
    for (let i = 1; i <= 7; i++)
      await w.mp.sender.send('o-budget', { text: `推送 ${i}` }).catch((err: unknown) => {
        expect(err).toBeInstanceOf(RetryAfterError);
        held += 1;
      });
    expect(custom('o-budget')).toHaveLength(5);
    const pushes = custom('o-budget').filter((d) => d.content?.startsWith('推送')).length;
    expect(pushes + held).toBe(7);
    expect(held).toBeGreaterThanOrEqual(2);
    expect(w.emu.calls.filter((c) => c.errcode === 45047 || c.errcode === 45015)).toEqual([]);
    // A restart reads the same window from the database.
    const again = await createMpStore(w.db).window('o-budget');
    expect(again).toMatchObject({ kind: 'message', allowed: 5, used: 5 });
  });

  it('gives three for one minute after a menu click, and keeps a longer conversation window', async () => {
    await w.emu.deliver({ FromUserName: 'o-click', MsgType: 'event', Event: 'CLICK', EventKey: 'MY_REPORTS' });
    await w.until(() => custom('o-click').length + w.emu.follower('o-click').inbox.length > 0, 'the answer');
    const window = await w.mp.store.window('o-click');
    expect(window).toMatchObject({ kind: 'event', allowed: 3 });
    expect(window!.end.getTime() - window!.start.getTime()).toBe(60_000);
    w.clock.advanceSeconds(61);
    await expect(w.mp.sender.send('o-click', { text: '一分钟后' })).rejects.toBeInstanceOf(RetryAfterError);

    await w.mp.store.interacted('o-long', 'message', w.clock.now());
    await w.mp.store.interacted('o-long', 'event', w.clock.now());
    expect(await w.mp.store.window('o-long')).toMatchObject({ kind: 'message', allowed: 5 });
  });

  it('believes the platform when it says the window is over (45015) and fetches a new token when it expired', async () => {
    w.emu.follower('o-platform');
    await w.mp.store.interacted('o-platform', 'message', w.clock.now());
    // The platform never saw this follower write: it answers 45015; the sender stops using the window.
    await expect(w.mp.sender.send('o-platform', { text: '窗口外' })).rejects.toBeInstanceOf(RetryAfterError);
    expect(await w.mp.store.window('o-platform')).toMatchObject({ used: 5 });

    await w.emu.deliver({ FromUserName: 'o-token', MsgType: 'text', Content: '你好' });
    await w.until(() => custom('o-token').length === 1, 'the welcome');
    w.emu.expireTokens();
    const tokenCalls = w.emu.calls.filter((c) => c.path === '/cgi-bin/stable_token').length;
    await w.mp.sender.send('o-token', { text: '换了新令牌' });
    expect(custom('o-token').at(-1)).toMatchObject({ content: '换了新令牌' });
    expect(w.emu.calls.filter((c) => c.path === '/cgi-bin/stable_token').length).toBe(tokenCalls + 1);
    expect(w.emu.calls.some((c) => c.errcode === 42001)).toBe(true);
  });

  it('sends photos as uploaded images (the EXIF-free copy), each counted against the budget', async () => {
    await w.emu.deliver({ FromUserName: 'o-photo', MsgType: 'text', Content: '你好' });
    await w.until(() => custom('o-photo').length === 1, 'the welcome');
    const stored = await w.domain.evidence.ingest(await jpeg(320, 240, { lat: 30.589, lng: 114.257 }));
    await w.mp.sender.send('o-photo', { text: '处置后照片', photoAttachmentIds: [stored.attachmentId] });
    const [image, text] = custom('o-photo').slice(1);
    expect(image).toMatchObject({ msgtype: 'image' });
    expect(text).toMatchObject({ msgtype: 'text', content: '处置后照片' });
    const uploaded = w.emu.media.get(image!.mediaId!)!;
    const exif = await exifr.gps(uploaded.bytes).catch(() => undefined);
    expect(exif?.latitude).toBeUndefined();
    expect(await w.mp.store.window('o-photo')).toMatchObject({ used: 3 });
  });

  it('refreshes an expired token once for several sends at the same moment', async () => {
    const ids = ['o-t1', 'o-t2', 'o-t3'];
    for (const id of ids) {
      await w.emu.deliver({ FromUserName: id, MsgType: 'text', Content: '你好' });
      await w.until(() => custom(id).length === 1, 'the welcome');
    }
    w.emu.expireTokens();
    const tokenCalls = w.emu.calls.filter((c) => c.path === '/cgi-bin/stable_token').length;
    await Promise.all(ids.map((id) => w.mp.sender.send(id, { text: '同时发送' })));
    for (const id of ids) expect(custom(id).at(-1)).toMatchObject({ content: '同时发送' });
    expect(w.emu.calls.filter((c) => c.path === '/cgi-bin/stable_token').length).toBe(tokenCalls + 1);
  });
});
