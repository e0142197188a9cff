import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createChatHarness, type ChatHarness } from '../helpers/chat-harness.ts';
import { createFakeClock } from '../helpers/fake-clock.ts';

// New cases per person per hour: at the intake use-case, so the API and every chat channel share it.
const clock = createFakeClock('2026-03-02T02:00:00.000Z');
let h: ChatHarness;

beforeAll(async () => {
  h = await createChatHarness({
    clock: clock.now,
    env: { REPORTS_PER_HOUR: '3', STAFF_REPORTS_PER_HOUR: '5', DRAFT_TTL_MINUTES: '120' },
  });
});
afterAll(async () => h.close());

const STALLS = ['人行道上有人摆摊卖烤红薯，把路都占了', '路口有流动摊贩卖水果占道', '店外占道经营摆满了桌椅'];
const ADDRESSES = ['江汉区鄱阳路23号门口', '江汉区鄱阳路25号门口', '江汉区鄱阳路27号门口'];

describe('new cases per person', () => {
  it('refuses the API caller past the limit with 429 and a Chinese message, then lets them in an hour later', async () => {
    const resident = await h.staff('resident');
    const post = (i: number) =>
      h.app.inject({
        method: 'POST',
        url: '/api/cases',
        headers: { authorization: resident.auth },
        payload: { text: `${STALLS[i % 3]}（第${i}次）`, address: ADDRESSES[i % 3] },
      });
    for (let i = 0; i < 3; i++) expect((await post(i)).statusCode).toBe(201);
    const refused = await post(3);
    expect(refused.statusCode).toBe(429);
    expect(refused.json().error.code).toBe('rate_limited');
    expect(refused.json().error.message).toContain('一小时内提交的报告已达 3 件');
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    expect(await h.db.case.count({ where: { reporterId: resident.personId } })).toBe(3);
    clock.advanceMinutes(61);
    expect((await post(4)).statusCode).toBe(201);
  });

  it('answers the chat user politely and keeps their draft until they may submit', async () => {
    const u = h.user('flooder', 'telegram');
    for (let i = 0; i < 3; i++) {
      await u.send({ text: STALLS[i]! });
      await u.send({ text: ADDRESSES[i]! });
      expect((await u.press('确认提交')).join()).toMatch(/JH-\d{8}-\d{4}/);
    }
    await u.send({ text: '门面外有人占道卖早点' });
    expect((await u.send({ text: '江汉区鄱阳路29号门口' })).join()).toContain('请确认');
    const refused = (await u.press('确认提交')).join();
    expect(refused).toContain('一小时内提交的报告已达 3 件');
    expect(refused).toContain('您的报告已保留');
    const personId = await u.personId();
    expect(await h.db.case.count({ where: { reporterId: personId } })).toBe(3);
    // Their team lead was told of three cases, not four.
    clock.advanceMinutes(61);
    const later = (await u.press('确认提交')).join();
    expect(later).toMatch(/JH-\d{8}-\d{4}/);
    const last = await h.db.case.findFirstOrThrow({ where: { reporterId: personId }, orderBy: { id: 'desc' } });
    expect(last.text).toContain('占道卖早点');
  });

  it('gives staff filing findings the higher limit', async () => {
    const inspector = await h.staff('inspector', { street: '万松街道' });
    const post = (i: number) =>
      h.app.inject({
        method: 'POST',
        url: '/api/cases',
        headers: { authorization: inspector.auth },
        payload: { text: `${STALLS[i % 3]}（巡查${i}）`, address: ADDRESSES[i % 3] },
      });
    for (let i = 0; i < 5; i++) expect((await post(i)).statusCode).toBe(201);
    expect((await post(5)).statusCode).toBe(429);
  });
});
