import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createChatHarness, type ChatHarness } from '../helpers/chat-harness.ts';
import { createCaseFactory } from '../helpers/case-factory.ts';
import { createFakeClock } from '../helpers/fake-clock.ts';

// 10:00 in Wuhan on 2 March 2026: today's numbers are JH-20260302-NNNN.
const clock = createFakeClock('2026-03-02T02:00:00.000Z');
let h: ChatHarness;
let reporterId: number;

/** Cases numbered as the api benchmark and older tools wrote them: no CaseCounter row for their day. */
async function seedNumbered(day: string, count: number): Promise<void> {
  for (let i = 1; i <= count; i++)
    await h.db.case.create({
      data: {
        number: `JH-${day}-${String(i).padStart(4, '0')}`,
        text: '已有案件',
        status: 'closed',
        channel: 'telegram',
        reporterId,
        createdAt: clock.now(),
      },
    });
}

beforeAll(async () => {
  h = await createChatHarness({ clock: clock.now });
  reporterId = (await createCaseFactory(h.db).person({ role: 'resident' })).id;
});
afterAll(async () => h.close());

async function reportThroughChat(userId: string): Promise<string[]> {
  const u = h.user(userId);
  await u.send({ text: '人行道上有人摆摊卖烤红薯，把路都占了' });
  await u.send({ text: '江汉区鄱阳路23号门口' });
  return u.press('确认提交');
}

describe('case numbers', () => {
  it('continues after the numbers in use when the day has cases but no counter row', async () => {
    await seedNumbered('20260302', 3);
    const before = await h.db.case.count();
    const replies = await reportThroughChat('resident-a');
    expect(replies.join()).toContain('JH-20260302-0004');
    expect(await h.db.case.count()).toBe(before + 1);
    expect((await h.db.caseCounter.findUniqueOrThrow({ where: { day: '20260302' } })).last).toBe(4);
  });

  it('catches up when the counter row lags behind the numbers in use', async () => {
    clock.set('2026-03-03T02:00:00.000Z');
    await seedNumbered('20260303', 5);
    await h.db.caseCounter.create({ data: { day: '20260303', last: 2 } });
    expect((await reportThroughChat('resident-b')).join()).toContain('JH-20260303-0006');
  });

  it('gives the API a new number too, instead of a 500', async () => {
    clock.set('2026-03-04T02:00:00.000Z');
    await seedNumbered('20260304', 2);
    const { auth } = await h.staff('resident');
    const res = await h.app.inject({
      method: 'POST',
      url: '/api/cases',
      headers: { authorization: auth },
      payload: { text: '人行道上有人摆摊卖烤红薯，把路都占了', address: '江汉区鄱阳路23号' },
    });
    expect(res.statusCode).toBe(201);
    expect((res.json() as { case: { number: string } }).case.number).toBe('JH-20260304-0003');
  });
});
