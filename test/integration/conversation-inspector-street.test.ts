import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createChatHarness, type ChatHarness } from '../helpers/chat-harness.ts';

let h: ChatHarness;
beforeAll(async () => {
  h = await createChatHarness();
});
afterAll(async () => h.close());

describe('chat: where a report with no place goes', () => {
  it("files a staff member's report that names no place in their own street, without asking", async () => {
    const enforcer = await h.staffUser('enf-beihu', 'enforcer', { street: '北湖街道', name: '执法队员小王' });
    const summary = (await enforcer.send({ text: '人行道上有水果摊占道经营，占了大半条路' })).join('\n');
    expect(summary).toContain('北湖街道');
    expect(enforcer.lastButtons.map((b) => b.label)).toContain('确认提交');
    const filed = (await enforcer.press('确认提交')).join('\n');
    expect(filed).toMatch(/JH-\d{8}-\d{4}/);
    const c = await h.db.case.findFirstOrThrow({ orderBy: { id: 'desc' }, include: { street: true } });
    expect(c.street?.name).toBe('北湖街道');
  });

  it('still asks a resident where it is', async () => {
    const resident = h.user('resident-1');
    const reply = (await resident.send({ text: '人行道上有水果摊占道经营，占了大半条路' })).join('\n');
    expect(reply).toContain('位置');
    expect(resident.lastButtons.map((b) => b.label)).not.toContain('确认提交');
  });

  it('still asks an inspector on patrol for the spot of a finding (a patrol record is a point)', async () => {
    const inspector = await h.staffUser('insp-beihu', 'inspector', { street: '北湖街道', name: '巡查员小李' });
    expect((await inspector.send({ text: '路边有人乱倒建筑垃圾' })).join()).toContain('请补充位置');
  });
});
