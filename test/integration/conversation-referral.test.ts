import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createChatHarness, type ChatHarness } from '../helpers/chat-harness.ts';
import { createFakeClock } from '../helpers/fake-clock.ts';

let h: ChatHarness;
const clock = createFakeClock('2026-03-03T02:00:00.000Z');

beforeAll(async () => {
  h = await createChatHarness({ clock: clock.now });
});
afterAll(async () => h.close());

describe('a matter of another government body reported in the chat', () => {
  it('names the body and tells the resident where to turn, and files no case for a street team', async () => {
    const u = h.user('resident-referral');
    await u.send({ text: '社区卫生服务中心给我妈一个月做了三次同样的抽血检查，医生态度也很差' });
    const summary = (await u.send({ text: '江汉区鄱阳路23号' })).join('\n');
    expect(summary).toContain('卫健');
    expect(summary).toContain('请向区卫生健康局');
    expect(summary).not.toContain('岗');
    const filed = (await u.press('确认提交')).join('\n');
    expect(filed).toMatch(/JH-\d{8}-\d{4}/);
    const c = await h.db.case.findFirst({ orderBy: { id: 'desc' } });
    expect(c?.handling).toBe('department');
    expect(c?.post).toBeNull();
  });
});
