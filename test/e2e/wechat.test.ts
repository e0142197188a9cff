// WeChat end to end: a real Wechaty bot on wechaty-puppet-mock, the real conversation core, a
// migrated SQLite database and the delivery worker. Every reply and push reaches the mock contact
// through the outbox; choices are made by typing their numbers, as on WeChat.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { FileBox } from 'file-box';
import exifr from 'exifr';
import { types } from 'wechaty';
import { jpeg } from '../helpers/test-images.ts';
import { createWeChatWorld, type WeChatPerson, type WeChatWorld } from '../helpers/wechat-world.ts';

let w: WeChatWorld;

beforeAll(async () => {
  w = await createWeChatWorld();
});
afterAll(async () => w?.stop());

const caseNumber = (text: string): string => {
  const n = /JH-\d{8}-\d{4}/.exec(text)?.[0];
  if (!n) throw new Error(`no case number in: ${text}`);
  return n;
};

/** 中山公园 area of 万松街道: WGS-84 (30.5890, 114.2570). WeChat sends it in GCJ-02, ~520 m east and
 * ~270 m south; read as WGS-84 that GCJ-02 point would fall in 满春街道. */
const WANSONG_GCJ = { latitude: 30.586537, longitude: 114.262414 };

describe('WeChat channel (Wechaty + wechaty-puppet-mock)', () => {
  it('logs in through a QR code printed in the terminal', () => {
    expect(w.qrPrinted.join('')).toContain('https://login.weixin.qq.com/l/gridline-test');
    expect(w.channel.status()).toMatchObject({ state: 'logged_in', user: { id: w.botUser.id, name: '网格通' } });
  });

  it('carries a resident report from the first message to the rating, every push included, by numbered replies', async () => {
    const lead = await w.bindStaff('万松王队长', 'team_lead', '万松街道');
    const resident = w.person('张阿姨');

    resident.say('人行道上有人摆摊卖烤红薯，把路都占了');
    // Welcome on first contact and the question for the location: replies to one message, sent as one.
    await resident.expect(/网格通[\s\S]*位置/);
    resident.sendLocation({ ...WANSONG_GCJ, address: '湖北省武汉市江汉区', name: '' });
    const summary = await resident.expect('请确认');
    expect(summary).toContain('万松街道');
    expect(summary).not.toContain('满春街道');
    // The choices as numbered lines, in the order a typed number picks them.
    expect(summary).toContain('回复 1 确认提交\n回复 2 修改\n回复 3 取消');

    const number = caseNumber(await resident.ask('1', '提交成功'));
    const c = await w.db.case.findUniqueOrThrow({ where: { number }, include: { street: true } });
    expect(c.street?.name).toBe('万松街道');
    // Stored in WGS-84: the GCJ-02 point converted back to where it really is.
    expect(c.lat).toBeCloseTo(30.589, 5);
    expect(c.lng).toBeCloseTo(114.257, 5);

    // The team lead answers the push by number, each line naming its case: 1 接单. The answer is
    // the case's card as it is now, where 办结 is offered (never before 接单).
    const push = await lead.expect(`【新案件】${number}`);
    expect(push).toContain(`回复 1 接单（${number}）`);
    expect(push).not.toContain('办结');
    const accepted = await lead.ask('1', '已接单');
    expect(accepted).toContain(`回复 1 办结（${number}）`);
    await resident.expect(`案件 ${number} 已由`);
    await lead.ask('1', '处置结果');
    await lead.ask('已劝离摊贩，恢复人行道通行', '回复 1 下一步');
    lead.sendPhoto(await jpeg(320, 240));
    await lead.expect('已收到 1 张照片');
    await lead.ask('1', '处置方式');
    await lead.ask('1', '已办结');

    // The resident verifies and rates by number too.
    const resolved = await resident.expect(`案件 ${number} 已办结`);
    expect(resolved).toContain('回复 1 已解决');
    resident.say('1');
    // One answer to the press: the closing notice with the rating choices.
    const closed = await resident.received(`案件 ${number} 已结案`);
    expect(closed).toContain('回复 1 满意');
    await resident.ask('1', '感谢评价');
    await resident.ask('处理很快，点赞', '已记录');
    const rating = await w.db.rating.findFirstOrThrow({ where: { case: { number } } });
    expect(rating).toMatchObject({ score: 'satisfied', comment: '处理很快，点赞' });
    const lastEvidence = await w.db.attachment.findMany({ where: { caseId: c.id } });
    expect(lastEvidence.length).toBeGreaterThan(0);

    // Every push queued for the resident was delivered to their WeChat and received.
    const rows = await w.db.outboxMessage.findMany({ where: { channel: 'wechat', chatId: resident.id } });
    expect(rows.length).toBeGreaterThan(5);
    expect(rows.every((r) => r.status === 'sent')).toBe(true);
    const received = resident.inbox.map((m) => m.text);
    for (const r of rows.filter((x) => x.personId !== null)) {
      const text = (JSON.parse(r.payload) as { text: string }).text;
      expect(
        received.some((m) => m.startsWith(text)),
        text,
      ).toBe(true);
    }
  });

  it('takes an inspector finding from a patrol: photo, location, words, settled on the spot or made a case', async () => {
    const lead = await w.bindStaff('花楼水塔李队长', 'team_lead', '花楼水塔街道');
    const inspector = await w.bindStaff('花楼水塔巡查员', 'inspector', '花楼水塔街道');
    await inspector.ask('开始巡查', '巡查开始');

    inspector.sendPhoto(await jpeg(64, 48, { lat: 30.58, lng: 114.288, takenAt: '2026:03:02 09:00:00' }));
    await inspector.expect('请补充简要描述');
    const choice = await inspector.ask('门店占道经营，货物堆在人行道', '回复 1 已劝导整改');
    expect(choice).toContain('回复 2 需执法');
    await inspector.ask('1', '现场劝导整改');

    // 江汉关 area (WGS-84 30.5800, 114.2880), sent in GCJ-02.
    inspector.sendLocation({
      latitude: 30.577559,
      longitude: 114.293423,
      address: '湖北省武汉市江汉区沿江大道',
      name: '江汉关',
    });
    await inspector.expect('请补充');
    await inspector.ask('沿街店铺乱搭棚子，劝说无效', '回复 2 需执法');
    const number = caseNumber(await inspector.ask('2', '提交成功'));
    await lead.expect(number);

    const ended = await inspector.ask('结束巡查', '巡查结束');
    // The day's 巡查日报 goes out once in the evening (test/integration/patrol-day.test.ts), not per /patrol.
    expect(ended).toMatch(/发现问题 2 处/);
    const findings = await w.db.patrolFinding.findMany({ orderBy: { id: 'asc' } });
    expect(findings.map((f) => f.outcome)).toEqual(['settled', 'case']);
  });

  it('answers link cards, mini-programs and voice messages politely, and ignores system notices', async () => {
    const u = w.person('小李');
    u.sendOther(types.Message.Url, '<appmsg>…</appmsg>');
    await u.expect('暂不支持这类消息（链接）');
    u.sendOther(types.Message.MiniProgram);
    await u.expect('暂不支持这类消息（小程序）');
    // A voice message is not refused: the bot asks for a short text (the recording, when the
    // puppet can fetch it, is kept as evidence).
    u.sendOther(types.Message.Audio);
    await u.expect('请用一两句文字说明问题');
    const before = u.inbox.length;
    u.sendOther(types.Message.Unknown, '你已添加了网格通，现在可以开始聊天了。');
    await u.ask('/help', '/status');
    expect(u.inbox.length).toBe(before + 1);
  });

  it('understands Chinese command words and a bare case number', async () => {
    const u = w.person('老周');
    await u.ask('帮助', '/my');
    await u.ask('我的报告', '还没有报告过');
    await u.ask('JH-20260101-0001', '没有找到案件 JH-20260101-0001');
  });

  it('explains a refused photo, answers a file politely, and keeps the EXIF GPS of a photo as evidence', async () => {
    const u = w.person('钱先生');
    await u.ask('你好', '网格通');
    u.sendPhoto(Buffer.from('这不是一张照片'), 'fake.jpg');
    await u.expect('这不是图片文件');
    u.sendOther(types.Message.Attachment); // a file that is no image: the mock has none to give
    await u.expect('暂不支持这类消息（文件）');
    u.say('小区门口有人乱倒建筑垃圾');
    await u.expect('位置');
    u.contact
      .say(
        FileBox.fromBase64(
          (await jpeg(64, 48, { lat: 30.593, lng: 114.26, takenAt: '2026:03:02 09:00:00' })).toString('base64'),
          'IMG_2001.JPG',
        ),
      )
      .to(w.botUser);
    await u.expect('已从照片中读取拍摄位置');
    const photo = await w.db.attachment.findFirstOrThrow({ where: { draftKey: `wechat:${u.id}:${u.id}` } });
    expect(photo.exifLat).toBeCloseTo(30.593, 3);
    // Its uploader is recorded (issue 13.3): ownership and publishing rules depend on it.
    const sender = await w.db.chatIdentity.findUniqueOrThrow({
      where: { channel_externalId: { channel: 'wechat', externalId: u.id } },
    });
    expect(photo.uploadedById).toBe(sender.personId);
  });

  it('in a group, answers what is meant for it and stays quiet otherwise', async () => {
    const a = w.person('群友甲');
    const b = w.person('群友乙');
    const g = w.room('某小区业主群', [a, b]);
    g.say(a, '今天天气不错');
    g.say(b, '2');
    g.say(a, '帮助', true);
    await vi.waitFor(() => expect(g.said.join('\n')).toContain('/status'), { timeout: 10_000 });
    g.say(b, '/my');
    await vi.waitFor(() => expect(g.said.join('\n')).toContain('还没有报告过'), { timeout: 10_000 });
    expect(g.said.some((t) => t.includes('请私聊我'))).toBe(false);
    // Welcome and help for a, welcome and "no reports" for b (each pair one message); nothing for
    // the chatter or the stray "2".
    expect(g.said).toHaveLength(2);
  });

  it('sends photos as their EXIF-free copies', async () => {
    const u: WeChatPerson = w.person('赵师傅');
    await u.ask('你好', '网格通');
    const stored = await w.domain.evidence.ingest(
      await jpeg(200, 150, { lat: 30.59, lng: 114.26, takenAt: '2026:03:02 09:00:00' }),
    );
    expect(stored.exifLat).toBeCloseTo(30.59, 3);
    await w.domain.outbox.enqueueNow([
      {
        dedupeKey: 'photo-test',
        channel: 'wechat',
        chatId: u.id,
        message: { text: '处置照片', photoAttachmentIds: [stored.attachmentId] },
      },
    ]);
    w.worker.kick();
    await u.expect('处置照片');
    const image = u.inbox.find((m) => m.type === types.Message.Image);
    expect(image).toBeTruthy();
    const bytes = await (await image!.box!()).toBuffer();
    expect(bytes.subarray(0, 2)).toEqual(Buffer.from([0xff, 0xd8])); // a JPEG
    expect(await exifr.gps(bytes).catch(() => undefined)).toBeUndefined();
  });
});
