// Routing corrections from the chat (issue 15, item 2): 退回 with a destination, the bureau's
// dispatch to any street, escalation notices, 缓办 and 合并, units nobody is bound to, and
// acceptance deadlines. Every test runs on a pinned clock.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDeadlineWatch, type DeadlineWatch } from '../../core/schedule/deadline-watch.ts';
import { createDeadlineWatchStore } from '../../db/deadline-watch-store.ts';
import { createChatHarness, pushButton, type ChatHarness, type ChatUser } from '../helpers/chat-harness.ts';
import { createFakeClock } from '../helpers/fake-clock.ts';
import { silentLogger } from '../helpers/test-config.ts';

// 10:00 in Wuhan on Tuesday 1 December 2026, a working day.
const clock = createFakeClock('2026-12-01T02:00:00Z');
let h: ChatHarness;
let watch: DeadlineWatch;
let lead: ChatUser, otherLead: ChatUser, admin: ChatUser;
const WANSONG = { lat: 30.5942, lng: 114.2359, crs: 'wgs84' as const };

// Other points inside 万松街道, over 200 m apart: a street chosen for a case's point is learned
// for that point, so each test that moves a case to another street files at its own.
const AT = {
  esc1: { lat: 30.6, lng: 114.238, crs: 'wgs84' as const },
  esc2: { lat: 30.596, lng: 114.245, crs: 'wgs84' as const },
  post: { lat: 30.602, lng: 114.232, crs: 'wgs84' as const },
  merge: { lat: 30.5985, lng: 114.2485, crs: 'wgs84' as const },
  ret2: { lat: 30.6035, lng: 114.2415, crs: 'wgs84' as const },
  ret3: { lat: 30.5965, lng: 114.2385, crs: 'wgs84' as const },
  left: { lat: 30.6015, lng: 114.2455, crs: 'wgs84' as const },
};

async function report(userId: string, text: string, location = WANSONG): Promise<{ number: string; id: number }> {
  const u = h.user(userId);
  await u.send({ text, location });
  const replies = await u.press('确认提交');
  const number = /JH-\d{8}-\d{4}/.exec(replies.join())![0];
  const c = await h.db.case.findUniqueOrThrow({ where: { number } });
  return { number, id: c.id };
}

beforeAll(async () => {
  h = await createChatHarness({ clock: clock.now });
  watch = createDeadlineWatch({
    port: createDeadlineWatchStore(h.db, h.domain.outbox),
    logger: silentLogger(),
    t: (key, vars) => h.domain.messages.t(key, vars),
    reminderBeforeHours: 4,
    overdueEscalateHours: 24,
    autoVerifyDays: 3,
    escalateOverdue: (id) => h.domain.cases.feedback.escalateOverdue(id),
    autoVerify: (id) => h.domain.cases.feedback.autoVerify(id),
  });
  lead = await h.staffUser('ws-lead', 'team_lead', { street: '万松街道', name: '万松队长' });
  otherLead = await h.staffUser('bh-lead', 'team_lead', { street: '北湖街道', name: '北湖队长' });
  admin = await h.staffUser('bureau', 'district_admin', { name: '区局值班' });
});
afterAll(async () => h.close());

describe('acceptance deadlines', () => {
  it('an urgent gas leak gets its 30 minutes to accept: no 受理超时 a minute after filing', async () => {
    clock.set('2026-12-01T02:00:00Z');
    const { id } = await report('r-gas', '楼道里一股很浓的煤气味，好像燃气泄漏了');
    const c = await h.db.case.findUniqueOrThrow({ where: { id }, include: { item: true } });
    expect(c.item?.code).toBe('YS-RQ-001');
    expect(c.item?.responseHours).toBe(0.5);
    expect(c.responseDueAt!.getTime() - c.createdAt.getTime()).toBe(30 * 60_000);
    clock.advanceMinutes(1);
    expect(await watch.notifyResponseOverdue(clock.now())).toBe(0);
    clock.advanceMinutes(30);
    expect(await watch.notifyResponseOverdue(clock.now())).toBe(1);
  });
});

describe('a unit nobody is bound to', () => {
  it('an urgent gas leak for 燃气企业 reaches the bureau with actions it may take', async () => {
    clock.set('2026-12-01T03:00:00Z');
    const resident = h.user('r-gas2');
    await resident.send({
      text: '单元门口闻到很浓的天然气味，像是燃气泄漏',
      location: { ...WANSONG, lat: WANSONG.lat + 0.001 },
    });
    const submitted = (await resident.press('确认提交')).join();
    expect(submitted).toContain('区城市管理执法局');
    const number = /JH-\d{8}-\d{4}/.exec(submitted)![0];
    const push = (await admin.pushes()).filter((p) => p.text.includes(number)).at(-1)!;
    expect(push.text).toContain('燃气企业');
    const labels = push.buttons!.flat().map((b) => b.label);
    expect(labels).toEqual(expect.arrayContaining(['接单', '派遣街道', '移送部门']));
    for (const label of ['派遣街道', '移送部门', '接单']) {
      const answer = (await admin.send({ button: pushButton(push, label) })).join();
      expect(answer).not.toContain('不在您的职责范围内');
      await admin.send({ command: { name: 'cancel', args: '' } });
    }
    const c = await h.db.case.findUniqueOrThrow({ where: { number } });
    expect(c.handling).toBe('district');
    expect(c.status).toBe('accepted');
  });
});

describe('a department whose only liaison left', () => {
  it('the bureau may act on its cases instead of being refused', async () => {
    clock.set('2026-12-01T02:00:00Z');
    const liaison = await h.staffUser('sthj', 'dept_liaison', { department: '生态环境', name: '生态环境联络人' });
    const { number, id } = await report('r-left', '工地晚上十一点还在施工，噪音很大', AT.left);
    await lead.send({ button: `c:refer:${id}` });
    await lead.press('生态环境');
    expect((await liaison.pushes()).some((p) => p.text.includes(number))).toBe(true);
    await h.db.person.update({ where: { id: await liaison.personId() }, data: { active: false } });
    expect((await admin.send({ button: `c:refer:${id}` })).join()).not.toContain('案件已移送部门');
    await admin.send({ command: { name: 'cancel', args: '' } });
    expect((await admin.send({ button: `c:accept:${id}` })).join()).toContain('已接单');
    expect((await h.db.case.findUniqueOrThrow({ where: { id } })).status).toBe('accepted');
  });
});

describe('escalation', () => {
  it('上报区局 from the chat reaches the bureau as 【上报区局】 with the reason and the steps so far', async () => {
    clock.set('2026-12-01T02:00:00Z');
    const { number, id } = await report('r-esc1', '店铺门口的油烟机直排，油烟很大扰民', AT.esc1);
    await lead.send({ button: `c:accept:${id}` });
    clock.advanceHours(1);
    await lead.send({ button: `c:escalate:${id}` });
    await lead.send({ text: '涉及多个产权单位，情况复杂' });
    const push = (await admin.pushes()).filter((p) => p.text.includes(number)).at(-1)!;
    expect(push.text).toMatch(/^【上报区局】/);
    expect(push.text).toContain('涉及多个产权单位');
    expect(push.text).toContain('办理经过');
    expect(push.text).toContain('接单');
    // The bureau may send it on to a street of its choice from the same push.
    await admin.send({ button: pushButton(push, '派遣街道') });
    // The street may be typed as well as pressed.
    expect((await admin.send({ text: '不知道' })).join()).toContain('没有“不知道”这个街道');
    expect(admin.lastButtons.map((b) => b.label)).toContain('北湖街道');
    expect((await admin.send({ text: '北湖' })).join()).toContain('派遣至北湖街道');
    const item = admin.lastButtons.find((b) => b.id.startsWith('g:'))!;
    expect((await admin.send({ button: item.id })).join()).toContain('已立案派遣');
    const c = await h.db.case.findUniqueOrThrow({ where: { id }, include: { street: true } });
    expect([c.handling, c.street?.name, c.status]).toEqual(['street', '北湖街道', 'dispatched']);
    expect((await otherLead.pushes()).filter((p) => p.text.includes(number)).at(-1)?.text).toContain('【区局派遣】');
  });

  it('an overdue case escalated by the scheduler: the bureau reads 【超期上报】 with its history, the lead is told', async () => {
    clock.set('2026-12-01T02:00:00Z');
    const { number, id } = await report('r-esc2', '人行道上堆满了装修垃圾，行人无法通过', AT.esc2);
    await lead.send({ button: `c:accept:${id}` });
    const c = await h.db.case.findUniqueOrThrow({ where: { id } });
    clock.set(new Date(c.dueAt!.getTime() + 25 * 3_600_000));
    await watch.run(clock.now());
    const bureau = (await admin.pushes()).filter((p) => p.text.includes(number));
    expect(bureau.map((p) => p.text.slice(0, 6))).not.toContain('【新案件】');
    const escalated = bureau.at(-1)!;
    expect(escalated.text).toMatch(/^【超期上报】/);
    expect(escalated.text).toContain('万松街道城管执法队');
    expect(escalated.text).toContain('办理经过');
    expect(escalated.text).toContain('接单');
    expect(escalated.buttons?.flat().map((b) => b.label)).toContain('派遣街道');
    const told = (await lead.pushes()).filter((p) => p.text.includes(number)).at(-1)!;
    expect(told.text).toContain('超期自动上报');
    // The 超期上报 is the bureau's 督办: no second notice in the next minute.
    const before = (await admin.pushes()).length;
    clock.advanceMinutes(1);
    await watch.run(clock.now());
    expect((await admin.pushes()).length).toBe(before);
  });
});

describe('缓办 and 合并 in the chat', () => {
  it('缓办: the lead gives a reason and a date, the bureau approves in the chat', async () => {
    clock.set('2026-12-01T02:00:00Z');
    const { number, id } = await report('r-post', '小区里有人私自占用绿地种菜', AT.post);
    await lead.send({ button: `c:accept:${id}` });
    expect((await lead.send({ button: `c:request_postponement:${id}` })).join()).toContain('缓办的理由');
    expect((await lead.send({ text: '需园林部门共同处置，等待排期' })).join()).toContain('申请延期至何时');
    expect((await lead.send({ text: '下周吧' })).join()).toContain('没有看懂');
    expect((await lead.send({ text: '12月20日' })).join()).toContain('等待区城管执法局审批');
    const push = (await admin.pushes()).filter((p) => p.text.includes(number)).at(-1)!;
    expect(push.text).toContain('【缓办申请】');
    expect(push.text).toContain('需园林部门共同处置');
    expect((await admin.send({ button: pushButton(push, '批准缓办') })).join()).toContain('已批准');
    const c = await h.db.case.findUniqueOrThrow({ where: { id } });
    // 20 December, 17:30 in Wuhan.
    expect(c.dueAt?.toISOString()).toBe('2026-12-20T09:30:00.000Z');
    expect(c.postponed).toBe(true);
    expect((await lead.pushes()).filter((p) => p.text.includes(number)).at(-1)?.text).toContain('已批准');
  });

  it('合并: asks for the original case number, checks it, and merges', async () => {
    clock.set('2026-12-01T02:00:00Z');
    const first = await report('r-m1', '街角的共享单车乱停乱放堵住盲道', AT.merge);
    const second = await report('r-m2', '路口有人在人行道上摆摊卖水果', AT.merge);
    expect((await lead.send({ button: `c:merge:${second.id}` })).join()).toContain('原案件编号');
    expect((await lead.send({ text: '就是上午那个' })).join()).toContain('不是案件编号');
    expect((await lead.send({ text: second.number })).join()).toContain('有效的案件编号');
    expect((await lead.send({ text: 'JH-20261201-9999' })).join()).toContain('有效的案件编号');
    expect((await lead.send({ text: first.number })).join()).toContain('已合并');
    const c = await h.db.case.findUniqueOrThrow({ where: { id: second.id } });
    expect(c.status).toBe('merged');
    expect(c.mergedIntoId).toBe(first.id);
  });
});

// Last: returns teach the place memory which street a point belongs to.
describe('退回 with a destination', () => {
  it('asks where the case belongs, then why; the other street reads both', async () => {
    clock.set('2026-12-01T02:00:00Z');
    const { number, id } = await report('r-ret1', '路边有人乱堆建筑垃圾，堆了一大堆');
    const push = (await lead.pushes()).find((p) => p.text.includes(number));
    await lead.send({ button: pushButton(push, '退回') });
    const offered = lead.lastButtons.map((b) => b.label);
    expect(offered).toContain('北湖街道');
    expect(offered).not.toContain('万松街道');
    expect(offered).toContain('区城管执法局（重新分拣）');
    expect(offered).toContain('其他部门');
    expect((await lead.press('北湖街道')).join()).toContain('退回理由');
    expect((await lead.send({ text: '该地点属北湖街道辖区，非本街道' })).join()).toContain('已退回');
    const c = await h.db.case.findUniqueOrThrow({ where: { id }, include: { street: true } });
    expect(c.street?.name).toBe('北湖街道');
    expect(c.status).toBe('dispatched');
    const got = (await otherLead.pushes()).filter((p) => p.text.includes(number)).at(-1);
    expect(got?.text).toContain('退回');
    expect(got?.text).toContain('万松街道城管执法队');
    expect(got?.text).toContain('该地点属北湖街道辖区');
  });

  it('to the bureau: its push shows the reason, and its 立案派遣 goes to the street it chooses', async () => {
    clock.set('2026-12-01T02:00:00Z');
    const { number, id } = await report('r-ret2', '路边绿化带里被人倒了很多建筑垃圾', AT.ret2);
    await lead.send({ button: `c:return:${id}` });
    await lead.press('区城管执法局（重新分拣）');
    await lead.send({ text: '现场在两个街道交界处，须区局协调' });
    const bureauPush = (await admin.pushes()).filter((p) => p.text.includes(number)).at(-1);
    expect(bureauPush?.text).toContain('须区局协调');
    expect(bureauPush?.text).toContain('万松街道城管执法队');
    await admin.send({ button: pushButton(bureauPush, '立案派遣') });
    expect(admin.lastButtons.map((b) => b.label)).toContain('北湖街道');
    await admin.press('北湖街道');
    const item = admin.lastButtons.find((b) => b.id.startsWith('g:'));
    expect(item).toBeDefined();
    expect((await admin.send({ button: item!.id })).join()).toContain('已立案派遣');
    const c = await h.db.case.findUniqueOrThrow({ where: { id }, include: { street: true } });
    expect(c.street?.name).toBe('北湖街道');
    expect(c.handling).toBe('street');
    expect((await otherLead.pushes()).filter((p) => p.text.includes(number)).at(-1)?.text).toContain('新案件');
  });

  it('to a department: its liaison reads the reason; to one nobody is bound to, the bureau takes it', async () => {
    clock.set('2026-12-01T02:00:00Z');
    const liaison = await h.staffUser('scjg', 'dept_liaison', { department: '市场监管', name: '市场监管联络人' });
    const { number, id } = await report('r-ret3', '路边小摊占道卖熟食，没有健康证', AT.ret3);
    await lead.send({ button: `c:return:${id}` });
    await lead.press('其他部门');
    expect(lead.lastButtons.map((b) => b.label)).toEqual(expect.arrayContaining(['市场监管', '燃气企业']));
    await lead.press('市场监管');
    expect((await lead.send({ text: '无证食品经营属市场监管职责' })).join()).toContain('已退回');
    const got = (await liaison.pushes()).filter((p) => p.text.includes(number)).at(-1)!;
    expect(got.text).toContain('【退回改派】');
    expect(got.text).toContain('无证食品经营属市场监管职责');
    // The liaison sends it on to a department nobody is bound to: the bureau holds it.
    await liaison.send({ button: pushButton(got, '退回') });
    await liaison.press('其他部门');
    await liaison.press('燃气企业');
    await liaison.send({ text: '涉及瓶装液化气使用' });
    const c = await h.db.case.findUniqueOrThrow({ where: { id } });
    expect([c.handling, c.status]).toEqual(['district', 'dispatched']);
    const bureau = (await admin.pushes()).filter((p) => p.text.includes(number)).at(-1)!;
    expect(bureau.text).toContain('【待区局处置】');
    expect(bureau.text).toContain('燃气企业尚无人员');
  });
});
