// Issue 16: what a resident sees in the chat, as a new user would meet it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatShanghai } from '../../core/case/case-format-fns.ts';
import type { OutboundMessage } from '../../core/messaging/outbound-types.ts';
import { createChatHarness, pushButton, type ChatHarness, type ChatUser } from '../helpers/chat-harness.ts';
import { createFakeClock } from '../helpers/fake-clock.ts';
import { jpeg } from '../helpers/test-images.ts';
import { createWebChatStore } from '../../db/web-chat-store.ts';

// A Tuesday, 10:00 in Wuhan: a working day, whatever the date the tests run on.
const clock = createFakeClock('2026-12-01T02:00:00.000Z');
let h: ChatHarness;
let lead: ChatUser;
const HUALOU = { lat: 30.5823, lng: 114.2842, crs: 'wgs84' as const };
const NUMBER = /JH-\d{8}-\d{4}/;

beforeAll(async () => {
  h = await createChatHarness({ clock: clock.now });
  lead = await h.staffUser('w-lead', 'team_lead', { street: '花楼水塔街道', name: '花楼队长' });
});
afterAll(async () => h.close());

/** Replies to one message plus the pushes it queued for the same person: everything they are told. */
async function told(u: ChatUser, act: () => Promise<string[]>): Promise<string[]> {
  const before = (await u.pushes()).length;
  const replies = await act();
  const pushes = (await u.pushes()).slice(before).map((p) => p.text);
  return [...replies, ...pushes];
}

let spot = 0;
/** A point of its own (~65 m apart), so two tests' reports are never merged as duplicates. */
function nextSpot() {
  spot += 1;
  return { ...HUALOU, lat: HUALOU.lat + (spot % 3) * 0.0006, lng: HUALOU.lng + Math.floor(spot / 3) * 0.0006 };
}

async function submitted(u: ChatUser, text: string, extra: Record<string, unknown> = {}): Promise<string> {
  await u.send({ text, location: nextSpot(), ...extra });
  const all = await told(u, () => u.press('确认提交'));
  return NUMBER.exec(all.join())![0];
}

/** The newest reply to this user as queued for the channel (photos included). */
async function lastReply(u: ChatUser): Promise<OutboundMessage> {
  const row = await h.db.outboxMessage.findFirstOrThrow({
    where: { chatId: u.userId, dedupeKey: { startsWith: 'reply:' } },
    orderBy: { id: 'desc' },
  });
  return JSON.parse(row.payload) as OutboundMessage;
}

async function resolve(number: string, outcome: string, photoIds: number[] = []): Promise<void> {
  const push = (await lead.pushes()).filter((p) => p.text.includes(number)).at(-1);
  const c = await h.db.case.findUniqueOrThrow({ where: { number } });
  // 办结 is offered once the case is accepted (on the answer's card), never before 接单.
  if (c.status === 'dispatched') await lead.send({ button: pushButton(push, '接单') });
  await lead.send({ button: `c:resolve:${c.id}` });
  await lead.send({ text: outcome });
  if (photoIds.length) await lead.send({ photos: photoIds.map((attachmentId) => ({ attachmentId })) });
  await lead.press('下一步');
  await lead.press('服务（劝导）');
}

describe('one message per event', () => {
  it('answers a submission once, with the case number', async () => {
    const u = h.user('once-1');
    await u.send({ text: '人行道上有人摆摊卖烤红薯，把路都占了', location: HUALOU });
    const all = await told(u, () => u.press('确认提交'));
    expect(all.filter((t) => NUMBER.test(t))).toHaveLength(1);
  });

  it('tells a merged reporter once', async () => {
    const point = { lat: 30.5801, lng: 114.2851, crs: 'wgs84' as const };
    const first = await submitted(h.user('once-dup-a'), '门口一堆建筑垃圾没人清理，堆了好几天', { location: point });
    const b = h.user('once-dup-b');
    await b.send({ text: '这里有人乱倒建筑垃圾，堆在路边好几天了', location: { ...point, lat: point.lat + 0.0001 } });
    const all = await told(b, () => b.press('确认提交'));
    expect(all.filter((t) => t.includes(first))).toHaveLength(1);
  });

  it('thanks for a rating once', async () => {
    const u = h.user('once-rate');
    const number = await submitted(u, '路边有人摆摊卖水果，人行道走不通');
    await resolve(number, '已劝离摊贩');
    const closed = await u.send({ button: pushButton((await u.pushes()).at(-1), '已解决') });
    expect(closed.join()).toContain('已结案');
    const all = await told(u, () => u.press('满意'));
    expect(all.filter((t) => t.includes('感谢'))).toHaveLength(1);
  });
});

describe('plain words for residents', () => {
  it('summarises what the resident reported and why, never the matched words', async () => {
    const u = h.user('words-summary');
    const replies = await u.send({ text: '店家把桌子摆到人行道上了，店门口全是桌子', location: HUALOU });
    const summary = replies.join('\n');
    expect(summary).toContain('店家把桌子摆到人行道上了');
    expect(summary).not.toContain('命中');
    expect(summary).toContain('《武汉市城市综合管理条例》');
    expect(summary).toContain('花楼水塔街道城管执法队');
  });

  it('says plainly that a person decides a report sent to triage, and by when', async () => {
    const u = h.user('words-triage');
    const summary = (await u.send({ text: '小区物业不管事，电梯坏了一个月', location: HUALOU })).join('\n');
    expect(summary).not.toContain('承办：住房');
    expect(summary).not.toContain('办理时限');
    expect(summary).toMatch(/工作人员.*前/);
    const all = await told(u, () => u.press('确认提交'));
    expect(all.filter((t) => NUMBER.test(t))).toHaveLength(1);
    expect(all.join()).not.toContain('住房');
    expect(all.join()).not.toContain('人工分派后确定');
  });

  it('asks a resident who says 仍未解决 in plain words, moves the deadline and tells the new date once', async () => {
    const u = h.user('words-rework');
    const number = await submitted(u, '人行道上有人摆摊卖小吃，占了半边路');
    const before = await h.db.case.findUniqueOrThrow({ where: { number } });
    clock.advanceHours(24);
    await resolve(number, '已劝离');
    const ask = await u.send({ button: pushButton((await u.pushes()).at(-1), '仍未解决') });
    expect(ask.join()).not.toMatch(/核查|返工/);
    const all = await told(u, () => u.send({ text: '摊贩第二天又来了' }));
    const after = await h.db.case.findUniqueOrThrow({ where: { number } });
    expect(after.dueAt!.getTime()).toBeGreaterThan(before.dueAt!.getTime());
    expect(all).toHaveLength(1);
    expect(all[0]).not.toMatch(/核查|返工/);
    expect(all[0]).toContain(formatShanghai(after.dueAt));
  });
});

describe('outcome with evidence', () => {
  it('sends the resolution photos and redacts a third party’s phone number', async () => {
    const u = h.user('evidence-1');
    const number = await submitted(u, '有人在人行道上摆摊卖炸串，油烟很大');
    const photo = await h.domain.evidence.ingest(await jpeg(64, 48, { lat: 30.58, lng: 114.28 }), {
      uploadedById: await lead.personId(),
    });
    await resolve(number, '已劝离，店主（电话13912345678）承诺不再摆摊', [photo.attachmentId]);
    const resolved = (await u.pushes()).at(-1) as OutboundMessage;
    expect(resolved.text).toContain('已办结');
    expect(resolved.photoAttachmentIds).toEqual([photo.attachmentId]);
    expect(resolved.text).not.toContain('13912345678');
    expect((await u.send({ command: { name: 'status', args: number } })).join()).not.toMatch(/核查|分拣/);
    // The web chat page shows the photo by its random key, never by its id.
    const { entries } = await createWebChatStore(h.db, clock.now).history('evidence-1', 200);
    const shown = entries
      .map((e) => e.message as Record<string, unknown>)
      .find((m) => String(m.text).includes('已办结'));
    expect(shown?.photoKeys).toEqual([photo.key]);
    expect(shown?.photoAttachmentIds).toBeUndefined();
    await u.send({ button: pushButton(resolved, '已解决') });
    const closed = await lastReply(u);
    expect(closed.text).toContain('已结案');
    expect(closed.photoAttachmentIds).toEqual([photo.attachmentId]);
    expect(closed.text).not.toContain('13912345678');
    expect((await u.send({ command: { name: 'status', args: number } })).join()).not.toContain('13912345678');
  });
});

describe('staff words reaching a reporter', () => {
  it('redacts a third party’s phone number in the reason a report is not taken up', async () => {
    const u = h.user('reject-1');
    const number = await submitted(u, '小区物业不管事，电梯坏了一个月');
    const push = (await lead.pushes()).filter((p) => p.text.includes(number)).at(-1);
    await lead.send({ button: pushButton(push, '不予受理') });
    await lead.send({ text: '属物业服务纠纷，已告知物业经理（电话13812345678）' });
    const told = (await u.pushes()).at(-1)!;
    expect(told.text).toContain('不予受理');
    expect(told.text).not.toContain('13812345678');
  });
});

describe('adding to a submitted case', () => {
  it('adds a photo captioned with the case number to that case and tells the handler', async () => {
    const u = h.user('add-1');
    const number = await submitted(u, '人行道上有人摆摊卖烤肠，挡住盲道');
    const photo = await h.domain.evidence.ingest(await jpeg(40, 30), { uploadedById: await u.personId() });
    const leadBefore = (await lead.pushes()).length;
    const replies = await u.send({ text: `补充照片 ${number}`, photos: [{ attachmentId: photo.attachmentId }] });
    expect(replies.join()).toContain(number);
    expect(replies.join()).not.toContain('请确认');
    expect(await h.db.conversation.count({ where: { chatId: 'add-1', flow: 'report' } })).toBe(0);
    const c = await h.db.case.findUniqueOrThrow({ where: { number }, include: { attachments: true } });
    expect(c.attachments.map((a) => a.id)).toContain(photo.attachmentId);
    const told = (await lead.pushes()).slice(leadBefore);
    expect(told).toHaveLength(1);
    expect(told[0]!.text).toContain(number);
    expect(told[0]!.text).toContain('补充照片');
    expect(told[0]!.photoAttachmentIds).toEqual([photo.attachmentId]);
  });

  it('adds text sent as a reply to the case card', async () => {
    const u = h.user('add-2');
    const number = await submitted(u, '路口有人摆摊卖水果，占了半条路');
    const card = (await lastReply(u)).text;
    const replies = await u.send({ text: '摊主每天下午四点来', replyToText: card });
    expect(replies.join()).toContain(number);
    const events = await h.db.caseEvent.findMany({ where: { case: { number }, type: 'supplemented' } });
    expect(events.map((e) => e.note)).toEqual(['摊主每天下午四点来']);
  });

  it('takes a corrected place sent as a reply to the case card, and tells the handler', async () => {
    const u = h.user('add-3');
    const number = await submitted(u, '人行道上有人摆摊卖臭豆腐');
    const card = (await lastReply(u)).text;
    const leadBefore = (await lead.pushes()).length;
    await u.send({ location: { ...nextSpot(), address: '江汉区花楼街 12 号' }, replyToText: card });
    const note = (await h.db.caseEvent.findFirstOrThrow({ where: { case: { number }, type: 'supplemented' } })).note;
    expect(note).toBe('更正位置：江汉区花楼街 12 号');
    expect((await lead.pushes()).slice(leadBefore).map((p) => p.text)).toEqual([expect.stringContaining('更正位置')]);
  });

  it('does not add to a case the person does not follow', async () => {
    const number = await submitted(h.user('add-owner'), '有人在人行道上摆摊卖鞋子');
    await h.user('add-stranger').send({ text: `补充 ${number} 摊主很凶` });
    expect(await h.db.caseEvent.count({ where: { case: { number }, type: 'supplemented' } })).toBe(0);
  });
});

describe('other languages', () => {
  it('answers an English report in English, saying how to report', async () => {
    const replies = await h.user('english-1').send({ text: 'There is a street vendor blocking the sidewalk' });
    expect(replies.join()).not.toContain('没有识别出');
    expect(replies.join()).toMatch(/[A-Za-z]+ [A-Za-z]+ [A-Za-z]+/);
  });

  it('explains the confirm buttons in English when an English report comes with a place', async () => {
    const u = h.user('english-2');
    const replies = await u.send({ text: 'Rubbish dumped on the pavement for days', location: nextSpot() });
    expect(replies.join()).toContain('确认提交');
    expect(replies.join()).toMatch(/Press 确认提交/);
  });
});

describe('places and prompts', () => {
  it('does not send a reporter away for a photo taken outside the district when the text names 花楼街', async () => {
    const u = h.user('place-photo');
    const photo = await h.domain.evidence.ingest(await jpeg(64, 48, { lat: 30.545, lng: 114.36 }), {
      uploadedById: await u.personId().catch(async () => {
        await u.send({ command: { name: 'help', args: '' } });
        return u.personId();
      }),
    });
    const replies = await u.send({
      text: '花楼街上有人摆摊卖水果，堵住了路',
      photos: [{ attachmentId: photo.attachmentId, exifLat: photo.exifLat, exifLng: photo.exifLng }],
    });
    expect(replies.join()).not.toContain('不在江汉区范围内');
    expect(replies.join()).toContain('花楼水塔街道');
  });

  it('asks the web chat for a location with the button it has', async () => {
    const replies = await h.user('place-web', 'web').send({ text: '有人在人行道上摆摊卖水果' });
    const ask = replies.join();
    expect(ask).toContain('位置');
    expect(ask).not.toContain('📎');
  });

  it('greets staff as staff', async () => {
    const replies = await lead.send({ command: { name: 'start', args: '' } });
    expect(replies.join()).not.toContain('请直接发给我');
    expect(replies.join()).toContain('/queue');
  });
});

describe('voice messages', () => {
  /** The first bytes of an Ogg/Opus voice note as Telegram sends it. */
  const oggVoice = () => Buffer.concat([Buffer.from('OggS\0\x02'), Buffer.alloc(200, 7)]);

  it('keeps the recording as evidence, asks for a short text, and files it with the case', async () => {
    const u = h.user('voice-1');
    await u.send({ command: { name: 'help', args: '' } });
    const kept = await h.domain.evidence.ingestVoice(oggVoice(), { uploadedById: await u.personId() });
    const replies = await u.send({ voice: { attachmentId: kept.attachmentId } });
    expect(replies.join()).toContain('语音');
    expect(replies.join()).toContain('文字');
    expect(replies.join()).not.toContain('暂不支持');
    await u.send({ text: '人行道上有人摆摊卖烤红薯，路都堵了', location: nextSpot() });
    const number = NUMBER.exec((await u.press('确认提交')).join())![0];
    const c = await h.db.case.findUniqueOrThrow({ where: { number }, include: { attachments: true } });
    expect(c.attachments.map((a) => [a.id, a.mime])).toEqual([[kept.attachmentId, 'audio/ogg']]);
    // Staff play it on the case page; it is not shown as a broken photo.
    const admin = await h.staff('district_admin');
    const page = await h.app.inject({ url: `/cases/${number}`, headers: { authorization: admin.auth } });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain(`<audio controls preload="none" src="/api/attachments/${kept.key}"`);
  });

  it('reads a transcript the channel gives as the report text', async () => {
    const u = h.user('voice-2');
    const replies = await u.send({
      voice: { attachmentId: null, transcript: '店家把桌子摆到人行道上了，店门口全是桌子' },
      location: nextSpot(),
    });
    expect(replies.join()).toContain('请确认');
    expect(replies.join()).toContain('店家把桌子摆到人行道上了');
  });
});
