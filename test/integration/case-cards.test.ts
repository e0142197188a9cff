import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OutboundMessage } from '../../core/messaging/outbound-types.ts';
import { createChatHarness, pushButton, type ChatHarness, type ChatUser } from '../helpers/chat-harness.ts';
import { createFakeClock } from '../helpers/fake-clock.ts';
import { createDeadlineWatch } from '../../core/schedule/deadline-watch.ts';
import { createDeadlineWatchStore } from '../../db/deadline-watch-store.ts';
import { silentLogger } from '../helpers/test-config.ts';
import { issueBindCode } from '../../db/identity-store.ts';

// Issue 15, item 1: every message about a case is a card with exactly the actions its reader may take.
let h: ChatHarness;
let lead: ChatUser, liaison: ChatUser, admin: ChatUser, wxLead: ChatUser;
const WANSONG = { lat: 30.5942, lng: 114.2359, crs: 'wgs84' as const };
let seq = 0;

async function photoOf(u: ChatUser): Promise<number> {
  seq += 1;
  const a = await h.db.attachment.create({
    data: {
      sha256: String(seq).padStart(64, '0'),
      mime: 'image/jpeg',
      size: 10,
      path: `evidence/${seq}.jpg`,
      uploadedById: await u.personId(),
    },
  });
  return a.id;
}

let reports = 0;
async function report(
  userId: string,
  text: string,
  o: { photo?: boolean; pin?: boolean; near?: number } = {},
): Promise<string> {
  const u = h.user(userId);
  reports += 1;
  // Some 60 m apart: never merged as duplicates of each other (unless `near` an earlier one).
  const n = o.near ?? reports;
  const at = { ...WANSONG, lat: WANSONG.lat + (n % 4) * 0.0006, lng: WANSONG.lng + Math.floor(n / 4) * 0.0007 };
  await u.send({ text });
  if (o.photo) await u.send({ photos: [{ attachmentId: await photoOf(u) }] });
  if (o.pin !== false) await u.send({ location: at });
  const replies = (await u.press('确认提交')).join();
  return (/案件编号：(JH-\d{8}-\d{4})/.exec(replies) ??
    /已有相同问题正在处理：案件 (JH-\d{8}-\d{4})/.exec(replies))![1]!;
}

const labels = (m: OutboundMessage | undefined) => (m?.buttons ?? []).flat().map((b) => b.label);
const caseOf = (number: string) => h.db.case.findUniqueOrThrow({ where: { number } });
const pushAbout = async (u: ChatUser, number: string) =>
  (await u.pushes()).filter((p) => p.text.includes(number)).at(-1);

const clock = createFakeClock('2026-12-07T02:00:00Z');
beforeAll(async () => {
  h = await createChatHarness({ clock: clock.now });
  lead = await h.staffUser('c-lead', 'team_lead', { street: '万松街道', name: '万松队长' });
  liaison = await h.staffUser('c-scjg', 'dept_liaison', { department: '市场监管', name: '市场监管联络人' });
  admin = await h.staffUser('c-bureau', 'district_admin', { name: '区局值班' });
  wxLead = h.user('wx-lead', 'wechat');
});
afterAll(async () => h.close());

describe('case cards', () => {
  it('a push to the team lead carries the photo, a pin, the place beyond the street name, the words, deadline and state', async () => {
    const number = await report('c-r1', '公园门口人行道上好多流动摊贩摆摊卖小吃', { photo: true });
    const push = await pushAbout(lead, number);
    const c = await caseOf(number);
    const photos = await h.db.attachment.findMany({ where: { caseId: c.id } });
    expect(push?.photoAttachmentIds).toEqual(photos.map((p) => p.id));
    expect(push?.location).toEqual({ lat: c.lat, lng: c.lng });
    expect(push?.text).not.toMatch(/地点：万松街道\n/);
    expect(push?.text).toContain('地点：万松街道（北纬');
    expect(push?.text).toContain(`地图：http://localhost:3000/cases/${number}`);
    expect(push?.text).toContain('内容：公园门口人行道上好多流动摊贩摆摊卖小吃');
    expect(push?.text).toContain('时限：');
    expect(push?.text).toContain('状态：已派遣');
    expect(push?.card).toMatchObject({ caseId: c.id, number, status: '已派遣' });
  });

  it('a report that names only a road is dispatched with that road as its address, never "—"', async () => {
    const number = await report('c-r2', '雪松路上有人占道摆摊卖水果，行人过不去', { pin: false });
    const c = await caseOf(number);
    expect(c.address).toContain('雪松路');
    const push = await pushAbout(lead, number);
    expect(push?.text).toMatch(/地点：万松街道 .*雪松路/);
    expect(push?.text).not.toContain('—');
  });

  it('buttons follow the state: no 办结 before 接单, no 接单 once 处置中 (返工); a stale button answers with the card now', async () => {
    const number = await report('c-r3', '小区门口有人乱堆建筑垃圾，堆了一大堆');
    const push = await pushAbout(lead, number);
    expect(labels(push)).toContain('接单');
    expect(labels(push)).not.toContain('办结');
    const accepted = await lead.send({ button: pushButton(push, '接单') });
    expect(accepted.join()).toContain('已接单');
    expect(lead.lastButtons.map((b) => b.label)).toContain('办结');
    expect(lead.lastButtons.map((b) => b.label)).not.toContain('接单');
    // The old push's 接单 again: the reason, then the case as it is now and what can be done.
    const again = (await lead.send({ button: pushButton(push, '接单') })).join();
    expect(again).toContain('不能接单');
    expect(again).toContain('状态：处置中');
    expect(lead.lastButtons.map((b) => b.label)).toContain('办结');

    await lead.press('办结');
    await lead.send({ text: '已清运' });
    await lead.press('下一步');
    await lead.press('管理');
    const resident = h.user('c-r3');
    await resident.send({ button: pushButton((await resident.pushes()).at(-1), '仍未解决') });
    await resident.send({ text: '第二天又堆上了' });
    const rework = (await lead.pushes()).filter((p) => p.text.includes('【返工】')).at(-1);
    expect(rework?.text).toContain(number);
    expect(labels(rework)).not.toContain('接单');
    expect(labels(rework)).toContain('办结');
    expect(rework?.text).toContain('状态：处置中');
  });

  it('a case returned to the bureau can no longer be 上报区局 from its old push', async () => {
    const number = await report('c-r4', '路边违章搭建了一个彩钢棚，越搭越大');
    const push = await pushAbout(lead, number);
    await lead.send({ button: pushButton(push, '退回') });
    await lead.press('区城管执法局（重新分拣）');
    await lead.send({ text: '不属于本街道辖区' });
    expect((await caseOf(number)).status).toBe('triage');
    const answer = (await lead.send({ button: pushButton(push, '上报区局') })).join();
    expect(answer).not.toContain('上报区局的理由');
    expect(answer).toContain('区城管执法局');
    expect((await caseOf(number)).handling).toBe('district');
    // The bureau's card lets it sort the case.
    expect(labels(await pushAbout(admin, number))).toContain('立案派遣');
  });

  it('a triage card of a case a department sent back does not offer 移送部门', async () => {
    const number = await report('c-r5', '公园旁边那家小饭馆卫生很差，后厨老鼠乱窜');
    const c = await caseOf(number);
    if (c.handling !== 'department') {
      await lead.send({ button: `c:refer:${c.id}` });
      await lead.press('市场监管');
    }
    // The department says where it belongs (chat-routing.test.ts): back to the street.
    await liaison.send({ button: pushButton(await pushAbout(liaison, number), '退回') });
    await liaison.press('万松街道');
    await liaison.send({ text: '不属于本部门职责' });
    const back = (await lead.pushes()).filter((p) => p.text.includes('【退回改派】') && p.text.includes(number)).at(-1);
    expect(back).toBeDefined();
    expect(labels(back)).toContain('接单');
    // Whatever the card offers is allowed: 移送部门, if offered, asks where to rather than refusing.
    if (labels(back).includes('移送部门'))
      expect((await lead.send({ button: pushButton(back, '移送部门') })).join()).not.toContain('案件已移送部门');
  });

  it('a case referred to a unit nobody is bound to reaches the bureau without buttons it would be refused', async () => {
    const number = await report('c-r6', '小区楼下闻到很浓的煤气味，好像燃气管道漏气了');
    const c = await caseOf(number);
    if (c.handling !== 'department') {
      await lead.send({ button: `c:refer:${c.id}` });
      await lead.press('燃气企业');
    }
    const push = await pushAbout(admin, number);
    expect(push).toBeDefined();
    for (const b of push!.buttons?.flat() ?? []) {
      const answer = (await admin.send({ button: b.id })).join();
      expect(answer, b.label).not.toContain('不在您的职责范围内');
      await admin.send({ command: { name: 'cancel', args: '' } });
    }
  });

  it('/queue lists open cases as cards, one message each with its own buttons; /status opens a card', async () => {
    const first = await report('c-r7', '街边有人占道经营卖水果');
    const second = await report('c-r8', '人行道上有人摆摊卖早点');
    const replies = await h.bot.runtime.receive({
      channel: 'web',
      chatId: 'c-lead',
      userId: 'c-lead',
      updateId: 'q1',
      command: { name: 'queue', args: '' },
    });
    expect(replies[0]?.text).toMatch(/待办案件 \d+\+? 件/);
    const cards = replies.filter((r) => r.card);
    expect(cards.length).toBeGreaterThanOrEqual(2);
    for (const r of cards) {
      expect(r.buttons?.length).toBeTruthy();
      for (const b of r.buttons!.flat()) expect(b.id.endsWith(`:${r.card!.caseId}`)).toBe(true);
    }
    expect(cards.map((r) => r.card!.number)).toEqual(expect.arrayContaining([first, second]));
    // A bare "1" after cards of several cases acts on none of them: it asks which case.
    const before = await h.db.case.findMany({ select: { status: true }, orderBy: { id: 'asc' } });
    expect((await lead.send({ text: '1' })).join()).toContain('案件编号');
    expect(await h.db.case.findMany({ select: { status: true }, orderBy: { id: 'asc' } })).toEqual(before);

    expect((await lead.send({ command: { name: 'status', args: first } })).join()).toContain('状态：已派遣');
    expect(lead.lastButtons.map((b) => b.label)).toContain('接单');
  });

  it('a typed or pasted case number opens its card, not "没有识别出需要处理的问题"; a resident gets the reporter view', async () => {
    const number = await report('c-r9', '门面外摆占道经营，桌椅摆到人行道上');
    const typed = (await lead.send({ text: number.toLowerCase() })).join();
    expect(typed).not.toContain('没有识别出需要处理的问题');
    expect(typed).toContain(number);
    expect(typed).toContain('状态：已派遣');
    expect(lead.lastButtons.map((b) => b.label)).toContain('接单');
    expect((await lead.send({ text: `看看 ${number} 怎么样了` })).join()).toContain('状态：已派遣');

    const resident = h.user('c-r9');
    const own = (await resident.send({ text: number })).join();
    expect(own).toContain('状态：已交承办单位');
    expect(resident.lastButtons).toEqual([]);
    expect((await h.user('c-stranger').send({ text: number })).join()).toContain('没有找到');
  });

  it('numbered replies name their case: "1 <number>" acts on that case even when another came later', async () => {
    const code = await issueBindCode(h.db, { role: 'team_lead', displayName: '微信队长', streetName: '万松街道' });
    expect((await wxLead.send({ command: { name: 'bind', args: code } })).join()).toContain('绑定成功');
    const older = await report('c-r10', '路口有人乱摆摊卖水果');
    const newer = await report('c-r11', '人行道上有人乱堆杂物');
    expect((await pushAbout(wxLead, older))?.card?.number).toBe(older);
    const answer = (await wxLead.send({ text: `1 ${older}` })).join();
    expect(answer).toContain(`已接单：案件 ${older}`);
    expect((await caseOf(older)).status).toBe('accepted');
    expect((await caseOf(newer)).status).toBe('dispatched');
    expect((await wxLead.send({ text: `接单 ${newer}` })).join()).toContain(`已接单：案件 ${newer}`);
  });

  it("督办 (and every deadline notice) is the case card with the reader's actions", async () => {
    const number = await report('c-r12', '人行道上有人摆摊卖烤红薯，把路都占了');
    const watch = createDeadlineWatch({
      port: createDeadlineWatchStore(h.db, h.domain.outbox),
      logger: silentLogger(),
      reminderBeforeHours: 4,
      overdueEscalateHours: 24 * 30,
      autoVerifyDays: 30,
      escalateOverdue: async () => null,
      autoVerify: async () => null,
      cards: (id, people, text) => h.domain.cases.cardsFor(id, people, text),
    });
    clock.advanceDays(10);
    await watch.notifyOverdue(clock.now());
    const overdue = (await lead.pushes()).filter((p) => p.text.includes('【督办】') && p.text.includes(number)).at(-1);
    expect(overdue?.card?.number).toBe(number);
    expect(overdue?.card?.overdue).toBe(true);
    expect(overdue?.text).toContain('（已逾期）');
    expect(labels(overdue)).toContain('接单');
    expect(labels(overdue)).not.toContain('办结');
  });

  it('a follower of a merged duplicate is not offered 已解决 / 仍未解决, which it would be refused', async () => {
    const number = await report('c-r13', '小区门口有人乱堆建筑垃圾，堆了一大堆');
    const spot = reports;
    const second = await report('c-r14', '小区门口有人乱堆建筑垃圾，堆了一大堆', { near: spot });
    expect(second).toBe(number);
    const c = await caseOf(number);
    await lead.send({ button: `c:accept:${c.id}` });
    await lead.send({ button: `c:resolve:${c.id}` });
    await lead.send({ text: '已清运' });
    await lead.press('下一步');
    await lead.press('管理');
    const reporter = (await h.user('c-r13').pushes()).at(-1);
    const follower = (await h.user('c-r14').pushes()).at(-1);
    expect(reporter?.text).toContain('已办结');
    expect(labels(reporter)).toEqual(['已解决', '仍未解决']);
    expect(follower?.text).toContain('已办结');
    expect(labels(follower)).toEqual([]);
  });
});
