import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createChatHarness, type ChatHarness } from '../helpers/chat-harness.ts';

let h: ChatHarness;
beforeAll(async () => {
  h = await createChatHarness();
});
afterAll(async () => h.close());

describe('chat: where a report with no place goes', () => {
  it("files an inspector's finding that names no place in the inspector's own street, without asking", async () => {
    const inspector = await h.staffUser('insp-beihu', 'inspector', { street: '北湖街道', name: '巡查员小王' });
    const ask = (await inspector.send({ text: '人行道上有水果摊占道经营，多次劝导未改' })).join('\n');
    expect(ask).not.toContain('位置');
    expect(inspector.lastButtons.map((b) => b.label)).toContain('需执法');
    const filed = (await inspector.press('需执法')).join('\n');
    expect(filed).toMatch(/JH-\d{8}-\d{4}/);
    const c = await h.db.case.findFirstOrThrow({ orderBy: { id: 'desc' }, include: { street: true } });
    expect(c.street?.name).toBe('北湖街道');
  });

  it('still asks a resident where it is', async () => {
    const resident = h.user('resident-1');
    const reply = (await resident.send({ text: '人行道上有水果摊占道经营，占了大半条路' })).join('\n');
    expect(reply).not.toContain('北湖街道');
    expect(resident.lastButtons.map((b) => b.label)).not.toContain('确认提交');
  });
});
