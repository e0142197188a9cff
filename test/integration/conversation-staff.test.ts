import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createChatHarness, pushButton, type ChatHarness, type ChatUser } from '../helpers/chat-harness.ts';

let h: ChatHarness;
let lead: ChatUser, member: ChatUser, inspector: ChatUser, liaison: ChatUser, admin: ChatUser, otherLead: ChatUser;
const WANSONG = { lat: 30.5942, lng: 114.2359, crs: 'wgs84' as const }; // inside the (approximate) 万松街道 area

async function report(userId: string, text: string): Promise<string> {
  const u = h.user(userId);
  await u.send({ text, location: WANSONG });
  const replies = await u.press('确认提交');
  return /JH-\d{8}-\d{4}/.exec(replies.join())![0];
}

beforeAll(async () => {
  h = await createChatHarness();
  lead = await h.staffUser('ws-lead', 'team_lead', { street: '万松街道', name: '万松队长' });
  member = await h.staffUser('ws-member', 'enforcer', { street: '万松街道', name: '队员小张' });
  inspector = await h.staffUser('ws-insp', 'inspector', { street: '万松街道', name: '巡查员老李' });
  liaison = await h.staffUser('scjg', 'dept_liaison', { department: '市场监管', name: '市场监管联络人' });
  admin = await h.staffUser('bureau', 'district_admin', { name: '区局值班' });
  otherLead = await h.staffUser('bh-lead', 'team_lead', { street: '北湖街道', name: '北湖队长' });
});
afterAll(async () => h.close());

describe('staff in the chat', () => {
  it('binds with a one-time code only once', async () => {
    expect((await h.user('stranger').send({ command: { name: 'bind', args: 'NOPE1234' } })).join()).toContain('无效');
    expect((await lead.send({ command: { name: 'queue', args: '' } })).join()).toMatch(/待办|没有待办/);
    expect((await h.user('resident-q').send({ command: { name: 'queue', args: '' } })).join()).toContain(
      '仅限工作人员',
    );
  });

  it('team lead: queue, reassign to a member who resolves, with photos and the 721 mode', async () => {
    const number = await report('r-stall', '公园门口人行道上好多流动摊贩摆摊卖小吃');
    expect((await lead.send({ command: { name: 'queue', args: '' } })).join()).toContain(number);
    const push = (await lead.pushes()).at(-1);
    expect(push?.text).toContain(number);
    await lead.send({ button: pushButton(push, '转派') });
    expect(lead.lastButtons.map((b) => b.label)).toContain('队员小张');
    expect((await lead.press('队员小张')).join()).toContain('已转派');
    const assigned = (await member.pushes()).at(-1);
    expect(assigned?.text).toContain('转派给您');
    await member.send({ button: pushButton(assigned, '办结') });
    await member.send({ text: '已劝离摊贩，现场恢复通行' });
    // As every channel stores it: with its uploader (only they may attach it).
    const photo = await h.db.attachment.create({
      data: {
        sha256: 'x'.repeat(64),
        mime: 'image/jpeg',
        size: 10,
        path: 'evidence/x.jpg',
        uploadedById: await member.personId(),
      },
    });
    expect((await member.send({ photos: [{ attachmentId: photo.id }] })).join()).toContain('1 张照片');
    await member.press('下一步');
    expect((await member.press('管理')).join()).toContain('已办结');
    const c = await h.db.case.findUniqueOrThrow({ where: { number }, include: { attachments: true } });
    expect(c.mode721).toBe('management');
    expect(c.attachments.map((a) => a.id)).toContain(photo.id);
    // An inspector of the street verifies; the one who resolved it could not.
    expect((await member.send({ button: `c:verify:${c.id}` })).join()).toMatch(/核查/);
    expect((await inspector.send({ button: `c:verify:${c.id}` })).join()).toContain('已核查通过');
  });

  it('team lead: return with a reason, escalate to the bureau, and refusals for the wrong street', async () => {
    const a = await report('r-a', '小区旁边有人乱搭乱建彩钢棚，越搭越大');
    const caseA = await h.db.case.findUniqueOrThrow({ where: { number: a } });
    expect((await otherLead.send({ button: `c:accept:${caseA.id}` })).join()).toContain('不在您的职责范围内');
    await lead.send({ button: `c:escalate:${caseA.id}` });
    expect((await lead.send({ text: '涉及多个产权单位，情况复杂' })).join()).toContain('已上报区局');
    expect((await admin.pushes()).at(-1)?.text).toContain(a);

    const b = await report('r-b', '路边有人乱堆建筑垃圾，堆了一大堆');
    const caseB = await h.db.case.findUniqueOrThrow({ where: { number: b } });
    // 退回 asks where the case belongs first, then why.
    expect((await lead.send({ button: `c:return:${caseB.id}` })).join()).toContain('退回到哪里');
    expect((await lead.send({ command: { name: 'cancel', args: '' } })).join()).toContain('已取消操作');
    await lead.send({ button: `c:return:${caseB.id}` });
    expect((await lead.press('区城管执法局（重新分拣）')).join()).toContain('退回理由');
    expect((await lead.send({ text: '位置在北湖街道辖区' })).join()).toContain('已退回');
    expect((await h.db.case.findUniqueOrThrow({ where: { number: b } })).status).toBe('triage');
  });

  it('department referral: the liaison receives, and resolves', async () => {
    const number = await report('r-food', '公园旁边那家小饭馆卫生很差，后厨老鼠乱窜');
    const c = await h.db.case.findUniqueOrThrow({ where: { number } });
    if (c.handling !== 'department') {
      await lead.send({ button: `c:refer:${c.id}` });
      await lead.press('市场监管');
    }
    const push = (await liaison.pushes()).at(-1);
    expect(push?.text).toContain(number);
    expect(push?.text).not.toContain('r-food');
    await liaison.send({ button: pushButton(push, '接收') });
    await liaison.press('办结');
    await liaison.send({ text: '已责令整改并立案调查' });
    await liaison.press('下一步');
    expect((await liaison.press('执法（处罚）')).join()).toContain('已办结');
  });

  it('inspector: a patrol day with a finding settled on the spot and one that needs enforcement', async () => {
    expect((await inspector.send({ command: { name: 'patrol', args: '' } })).join()).toContain('巡查开始');
    await inspector.send({ text: '水果摊占道经营，已现场劝导' });
    const ask = await inspector.send({ location: WANSONG });
    expect(ask.join()).toContain('请选择');
    expect((await inspector.press('已劝导整改')).join()).toContain('现场劝导整改');
    await inspector.send({ text: '餐馆油烟直排扰民，多次劝导未改', location: WANSONG });
    const opened = await inspector.press('需执法');
    expect(opened.join()).toMatch(/JH-\d{8}-\d{4}/);
    const end = await inspector.send({ command: { name: 'patrol', args: '' } });
    expect(end.join()).toContain('发现问题 2 处');
    // The day's 巡查日报 goes out once in the evening (test/integration/patrol-day.test.ts), not per /patrol.
    expect((await lead.pushes()).some((p) => p.text.includes('巡查日报'))).toBe(false);
    expect(await h.db.patrolFinding.count({ where: { outcome: 'settled' } })).toBe(1);
  });

  it('residents cannot patrol or log in to the dashboard; staff get a one-time link', async () => {
    const r = h.user('r-curious');
    expect((await r.send({ command: { name: 'patrol', args: '' } })).join()).toContain('仅限');
    expect((await r.send({ command: { name: 'login', args: '' } })).join()).toContain('仅限工作人员');
    expect((await lead.send({ command: { name: 'login', args: '' } })).join()).toMatch(/\/login\/[A-Za-z0-9_-]{20,}/);
  });
});
