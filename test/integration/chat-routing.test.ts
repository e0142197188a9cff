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

async function report(userId: string, text: string): Promise<{ number: string; id: number }> {
  const u = h.user(userId);
  await u.send({ text, location: WANSONG });
  const replies = await u.press('确认提交');
  const number = /JH-\d{8}-\d{4}/.exec(replies.join())![0];
  const c = await h.db.case.findUniqueOrThrow({ where: { number } });
  return { number, id: c.id };
}

const texts = async (u: ChatUser) => (await u.pushes()).map((p) => p.text);

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
