import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Scheduler } from '../../core/schedule/scheduler.ts';
import { createChatHarness, pushButton, type ChatHarness, type ChatUser } from '../helpers/chat-harness.ts';
import { createFakeClock } from '../helpers/fake-clock.ts';
import { createTestScheduler } from '../helpers/test-scheduler.ts';
import { jpeg } from '../helpers/test-images.ts';

// 09:00 in Wuhan on Monday 2 March 2026, a working day.
const clock = createFakeClock('2026-03-02T01:00:00Z');
const ENV = { VERIFY_WITHIN_WORKING_HOURS: '40', AUTO_VERIFY_DAYS: '3' };
let h: ChatHarness;
let scheduler: Scheduler;
let lead: ChatUser, inspA: ChatUser, inspB: ChatUser;
const WANSONG = { lat: 30.5942, lng: 114.2359, crs: 'wgs84' as const };
let seq = 0;

async function photo(uploader: ChatUser, exif: { lat: number; lng: number } | null): Promise<number> {
  seq += 1;
  const a = await h.db.attachment.create({
    data: {
      sha256: String(seq).padStart(64, '0'),
      mime: 'image/jpeg',
      size: 10,
      path: `evidence/${seq}.jpg`,
      uploadedById: await uploader.personId(),
      exifLat: exif?.lat ?? null,
      exifLng: exif?.lng ?? null,
    },
  });
  return a.id;
}

/** Report points ~75 m apart, so no report is taken for a duplicate of another test's. */
const at = (k: number) => ({ ...WANSONG, lng: WANSONG.lng + 0.0008 * k });

/** A resident reports with a photo; returns the case id. */
async function report(resident: ChatUser, text: string, point = WANSONG): Promise<number> {
  await resident.send({ text, location: point });
  await resident.send({ photos: [{ attachmentId: await photo(resident, null) }] });
  const replies = await resident.press('确认提交');
  const number = /JH-\d{8}-\d{4}/.exec(replies.join())![0];
  return (await h.db.case.findUniqueOrThrow({ where: { number } })).id;
}

/** The team lead accepts and resolves with one photo taken at `exif`; returns the replies to 办结. */
async function resolve(caseId: number, exif: { lat: number; lng: number } | null): Promise<string[]> {
  await lead.send({ button: `c:accept:${caseId}` });
  await lead.send({ button: `c:resolve:${caseId}` });
  await lead.send({ text: '已清理完毕，现场恢复' });
  await lead.send({ photos: [{ attachmentId: await photo(lead, exif) }] });
  await lead.press('下一步');
  return lead.press('管理');
}

beforeAll(async () => {
  h = await createChatHarness({ clock: clock.now, env: ENV });
  scheduler = createTestScheduler(h, ENV);
  lead = await h.staffUser('v-lead', 'team_lead', { street: '万松街道', name: '万松队长' });
  inspA = await h.staffUser('v-insp-a', 'inspector', { street: '万松街道', name: '巡查员甲' });
  inspB = await h.staffUser('v-insp-b', 'inspector', { street: '万松街道', name: '巡查员乙' });
});
afterAll(async () => h.close());

describe('verification (核查) as an inspector’s task', () => {
  it('a resolved case is pushed to an inspector of its street with before and after photos and the distance', async () => {
    const caseId = await report(h.user('v-r1'), '小区门口人行道上堆了一大堆建筑垃圾');
    // 60 m north of the report point.
    await resolve(caseId, { lat: WANSONG.lat + 0.00054, lng: WANSONG.lng });
    const task = [...(await inspA.pushes()), ...(await inspB.pushes())].find((p) => p.text.includes('【核查任务】'));
    expect(task?.text).toContain('报告照片 1 张');
    expect(task?.text).toContain('办结照片 1 张');
    expect(task?.text).toMatch(/相距约 6\d 米/);
    expect(task?.photoAttachmentIds).toHaveLength(2);
    const who = (await inspA.pushes()).includes(task!) ? inspA : inspB;
    expect((await who.send({ button: pushButton(task, '核查通过') })).join()).toContain('已核查通过');
    const c = await h.db.case.findUniqueOrThrow({ where: { id: caseId } });
    expect(c.status).toBe('closed');
    expect(c.autoVerified).toBe(false);
  });

  it('tasks go to the inspector with the fewest open ones, never to the resolver', async () => {
    const before = { a: (await inspA.pushes()).length, b: (await inspB.pushes()).length };
    const one = await report(h.user('v-r2'), '人行道上有流动摊贩占道经营', at(1));
    await resolve(one, at(1));
    const two = await report(h.user('v-r3'), '路边有人乱堆建筑垃圾，堆了一大堆', at(2));
    await resolve(two, at(2));
    const tasks = await h.db.verificationTask.findMany({ where: { caseId: { in: [one, two] } } });
    expect(new Set(tasks.map((t) => t.inspectorId)).size).toBe(2);
    expect(tasks.map((t) => t.inspectorId)).not.toContain(await lead.personId());
    const newA = (await inspA.pushes()).slice(before.a).filter((p) => p.text.includes('【核查任务】'));
    const newB = (await inspB.pushes()).slice(before.b).filter((p) => p.text.includes('【核查任务】'));
    expect([newA.length, newB.length]).toEqual([1, 1]);
  });

  it('a resolution photo taken outside the district is accepted, with a warning to the resolver and the inspector', async () => {
    const caseId = await report(h.user('v-r4'), '小区门口有人私设地锁占用车位', at(3));
    // Beijing: far outside 江汉区.
    const replies = await resolve(caseId, { lat: 39.9042, lng: 116.4074 });
    expect(replies.join()).toContain('已办结');
    expect(replies.join()).toContain('不在江汉区范围内');
    const task = await h.db.verificationTask.findFirstOrThrow({ where: { caseId } });
    expect(task.warning).toContain('不在江汉区范围内');
    const push = [...(await inspA.pushes()), ...(await inspB.pushes())].find(
      (p) => p.text.includes('【核查任务】') && p.text.includes('不在江汉区范围内'),
    );
    expect(push).toBeDefined();
  });

  it('on the dashboard too, a resolution photo taken outside the district is accepted with a warning', async () => {
    const caseId = await report(h.user('v-r8'), '人行道上有流动摊贩占道经营', at(4));
    await lead.send({ button: `c:accept:${caseId}` });
    const { number } = await h.db.case.findUniqueOrThrow({ where: { id: caseId } });
    const { token } = await h.app.sessions.open(await lead.personId());
    const cookie = `gl_session=${token}`;
    const page = await h.app.inject({ url: `/cases/${number}`, headers: { cookie } });
    const csrf = /name="_csrf" value="([^"]+)"/.exec(page.body)![1]!;
    const boundary = '----gridlineverify';
    const field = (name: string, value: string) =>
      `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`;
    const payload = Buffer.concat([
      Buffer.from(
        field('_csrf', csrf) + field('action', 'resolve') + field('note', '已劝离') + field('mode721', 'service'),
      ),
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="photo"; filename="a.jpg"\r\nContent-Type: image/jpeg\r\n\r\n`,
      ),
      await jpeg(64, 48, { lat: 39.9042, lng: 116.4074 }), // taken in Beijing
      Buffer.from(`\r\n--${boundary}--\r\n`),
    ]);
    const res = await h.app.inject({
      method: 'POST',
      url: `/cases/${number}/act`,
      headers: { cookie, 'content-type': `multipart/form-data; boundary=${boundary}` },
      payload,
    });
    expect(res.statusCode).toBe(303);
    expect((await h.db.case.findUniqueOrThrow({ where: { id: caseId } })).status).toBe('resolved');
    const flash = decodeURIComponent(res.cookies.find((c) => c.name === 'gl_flash')?.value ?? '');
    expect(flash).toContain('办结成功');
    expect(flash).toContain('不在江汉区范围内');
  });

  it('核查不通过 from the push sends the case back for rework; the next 办结 opens a new task', async () => {
    const caseId = await report(h.user('v-r9'), '路边有人乱堆建筑垃圾，堆了一大堆', at(5));
    await resolve(caseId, at(5));
    const task = await h.db.verificationTask.findFirstOrThrow({ where: { caseId, doneAt: null } });
    const inspector = task.inspectorId === (await inspA.personId()) ? inspA : inspB;
    const push = (await inspector.pushes()).filter((p) => p.text.includes('【核查任务】')).at(-1);
    expect((await inspector.send({ button: pushButton(push, '核查不通过') })).join()).toContain('核查发现的问题');
    expect((await inspector.send({ text: '现场仍有部分垃圾未清运' })).join()).toContain('核查不通过');
    expect((await h.db.case.findUniqueOrThrow({ where: { id: caseId } })).status).toBe('accepted');
    expect((await h.db.verificationTask.findUniqueOrThrow({ where: { id: task.id } })).outcome).toBe('failed');
    await lead.send({ button: `c:resolve:${caseId}` });
    await lead.send({ text: '已全部清运' });
    await lead.press('下一步');
    await lead.press('管理');
    expect(await h.db.verificationTask.count({ where: { caseId, doneAt: null } })).toBe(1);
  });

  it('a merged reporter may rate but is not asked to verify; the reporter is', async () => {
    const reporter = h.user('v-r5');
    const follower = h.user('v-r6');
    const caseId = await report(reporter, '公园门口有人乱扔垃圾堆成小山', at(-2));
    await follower.send({ text: '公园门口有人乱扔垃圾堆成小山', location: at(-2) });
    const filed = await follower.press(follower.lastButtons.some((b) => b.label === '关注') ? '关注' : '确认提交');
    expect(filed.join()).not.toContain('失败');
    await resolve(caseId, at(-2));
    const toReporter = (await reporter.pushes()).at(-1);
    expect(toReporter?.text).toContain('问题是否已经解决');
    expect(toReporter?.buttons?.flat().map((b) => b.label)).toContain('已解决');
    const toFollower = (await follower.pushes()).at(-1);
    expect(toFollower?.text).toContain('已办结');
    expect(toFollower?.text).not.toContain('问题是否已经解决');
    expect(toFollower?.buttons?.flat().map((b) => b.label) ?? []).not.toContain('已解决');
    // The reporter confirms; the follower rates the closed case.
    await reporter.send({ button: pushButton(toReporter, '已解决') });
    const closed = (await follower.pushes()).at(-1);
    expect((await follower.send({ button: pushButton(closed, '满意') })).join()).not.toContain('只有');
    expect(await h.db.rating.count({ where: { caseId, personId: await follower.personId() } })).toBe(1);
  });

  it('auto-verifies only after the inspector’s deadline, marks it, and counts it apart', async () => {
    const caseId = await report(h.user('v-r7'), '小区门口的垃圾桶满了没人清运', at(-4));
    await resolve(caseId, at(-4));
    // Four calendar days later (past AUTO_VERIFY_DAYS) but within 40 working hours: still waiting.
    clock.advanceDays(4);
    await scheduler.tick();
    expect((await h.db.case.findUniqueOrThrow({ where: { id: caseId } })).status).toBe('resolved');
    // Past the inspector's deadline (Monday 09:00 + 40 working hours = the next Monday 17:00).
    clock.advanceDays(4);
    await scheduler.tick();
    const c = await h.db.case.findUniqueOrThrow({ where: { id: caseId }, include: { events: true } });
    expect(c.status).toBe('closed');
    expect(c.autoVerified).toBe(true);
    expect(c.events.find((e) => e.type === 'verified')?.note).toContain('自动');
    const task = await h.db.verificationTask.findFirstOrThrow({ where: { caseId } });
    expect(task.outcome).toBe('auto');

    const admin = await h.staff('district_admin');
    const res = await h.app.inject({
      url: '/api/stats?from=2026-03-01&to=2026-03-31',
      headers: { authorization: admin.auth },
    });
    const totals = res.json<{ totals: { closed: number; autoVerified: number; verifiedByPerson: number } }>().totals;
    // This case and the five whose tasks nobody answered; the inspector's and the reporter's are people's.
    expect(totals.autoVerified).toBe(6);
    expect(totals.closed).toBe(8);
    expect(totals.verifiedByPerson).toBe(2);
  });
});
