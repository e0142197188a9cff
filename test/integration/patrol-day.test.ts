import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Scheduler } from '../../core/schedule/scheduler.ts';
import { createChatHarness, type ChatHarness, type ChatUser } from '../helpers/chat-harness.ts';
import { createFakeClock } from '../helpers/fake-clock.ts';
import { createTestScheduler } from '../helpers/test-scheduler.ts';

// 09:00 in Wuhan on Monday 2 March 2026.
const clock = createFakeClock('2026-03-02T01:00:00Z');
const ENV = { PATROL_IDLE_MINUTES: '120', PATROL_REPORT_HOUR: '20', PATROL_REMINDER_HOUR: '18' };
let h: ChatHarness;
let scheduler: Scheduler;
let lead: ChatUser, li: ChatUser, wang: ChatUser, otherLead: ChatUser;
const WANSONG = { lat: 30.5942, lng: 114.2359, crs: 'wgs84' as const };
let seq = 0;

const patrol = (u: ChatUser) => u.send({ command: { name: 'patrol', args: '' } });
const reportsTo = async (u: ChatUser) => (await u.pushes()).filter((p) => p.text.includes('巡查日报'));

async function photo(uploader: ChatUser): Promise<number> {
  seq += 1;
  const a = await h.db.attachment.create({
    data: {
      sha256: String(seq).padStart(64, 'f'),
      mime: 'image/jpeg',
      size: 10,
      path: `evidence/p${seq}.jpg`,
      uploadedById: await uploader.personId(),
    },
  });
  return a.id;
}

/** A browser session for a chat user, as a Cookie header. */
async function dashboardCookie(u: ChatUser): Promise<string> {
  const { token } = await h.app.sessions.open(await u.personId());
  return `gl_session=${token}`;
}

beforeAll(async () => {
  h = await createChatHarness({ clock: clock.now, env: ENV });
  scheduler = createTestScheduler(h, ENV);
  lead = await h.staffUser('p-lead', 'team_lead', { street: '万松街道', name: '万松队长' });
  li = await h.staffUser('p-li', 'inspector', { street: '万松街道', name: '巡查员老李' });
  wang = await h.staffUser('p-wang', 'inspector', { street: '万松街道', name: '巡查员小王' });
  otherLead = await h.staffUser('p-bh', 'team_lead', { street: '北湖街道', name: '北湖队长' });
  // A department with nobody bound leaves its cases with the bureau (chat-routing.test.ts).
  await h.staffUser('p-szyh', 'dept_liaison', { department: '市政养护', name: '市政养护联络人' });
});
afterAll(async () => h.close());

describe('a patrol day', () => {
  it('files a broken manhole cover as a department’s matter, not under 需执法', async () => {
    clock.set('2026-03-02T01:05:00Z'); // 09:05
    expect((await patrol(wang)).join()).toContain('巡查开始');
    const asked = await wang.send({ text: '人行道上窨井盖破损缺失，很危险', location: WANSONG });
    expect(asked.join()).toContain('市政养护');
    const filed = await wang.press('移交部门');
    const number = /JH-\d{8}-\d{4}/.exec(filed.join())![0];
    expect(filed.join()).toContain('市政养护');
    const c = await h.db.case.findUniqueOrThrow({ where: { number } });
    expect(c.handling).toBe('department');
    const finding = await h.db.patrolFinding.findFirstOrThrow({ where: { caseId: c.id } });
    expect(finding.outcome).toBe('referred');
  });

  it('a second /patrol the same day sends no second report; one 巡查日报 a day lists each finding', async () => {
    clock.set('2026-03-02T01:10:00Z'); // 09:10
    await patrol(li);
    await li.send({ text: '水果摊占道经营，已现场劝导' });
    await li.send({ photos: [{ attachmentId: await photo(li) }] });
    await li.send({ location: { ...WANSONG, address: '万松街道青年路西侧' } });
    expect((await li.press('已劝导整改')).join()).toContain('现场劝导整改');
    clock.set('2026-03-02T01:40:00Z'); // 09:40
    const first = await patrol(li);
    expect(first.join()).toContain('巡查结束');
    // A second patrol the same day, with a case opened.
    clock.set('2026-03-02T05:00:00Z'); // 13:00
    await patrol(li);
    await li.send({ text: '餐馆油烟直排扰民，多次劝导未改', location: WANSONG });
    const opened = await li.press('需执法');
    const number = /JH-\d{8}-\d{4}/.exec(opened.join())![0];
    clock.set('2026-03-02T05:30:00Z');
    await patrol(li);
    // Ending a patrol sends nothing to the lead: the day's report goes once, in the evening.
    expect(await reportsTo(lead)).toHaveLength(0);

    clock.set('2026-03-02T12:00:00Z'); // 20:00
    await scheduler.tick();
    await scheduler.tick();
    const mine = await reportsTo(li);
    expect(mine).toHaveLength(1);
    const report = mine[0]!.text;
    expect(report).toContain('巡查员老李');
    expect(report).toMatch(/09:1\d/);
    expect(report).toContain('青年路');
    expect(report).toContain('照片 1 张');
    expect(report).toContain('已劝导整改');
    expect(report).toContain(`立案 ${number}`);
    // The lead: one digest with both inspectors' reports; the other street's lead nothing.
    const digests = await reportsTo(lead);
    expect(digests).toHaveLength(1);
    expect(digests[0]!.text).toContain('巡查员老李');
    expect(digests[0]!.text).toContain('巡查员小王');
    expect(digests[0]!.text).toContain('已劝导整改');
    expect(digests[0]!.text).toContain('移交市政养护');
    expect(await reportsTo(otherLead)).toHaveLength(0);
  });

  it('a patrol ends itself after the idle time, and the inspector is told', async () => {
    clock.set('2026-03-03T01:00:00Z'); // Tuesday 09:00
    await patrol(li);
    await li.send({ text: '共享单车乱停放堵塞盲道', location: WANSONG });
    await li.press('已劝导整改');
    clock.advanceMinutes(119);
    await scheduler.tick();
    expect(await h.db.patrol.count({ where: { inspectorId: await li.personId(), endedAt: null } })).toBe(1);
    clock.advanceMinutes(2);
    await scheduler.tick();
    expect(await h.db.patrol.count({ where: { inspectorId: await li.personId(), endedAt: null } })).toBe(0);
    expect((await li.pushes()).at(-1)?.text).toContain('自动结束');
  });

  it('settled findings are on the dashboard’s patrol page, for the street’s staff only', async () => {
    const cookie = await dashboardCookie(lead);
    const page = await h.app.inject({ url: '/patrols?date=2026-03-02', headers: { cookie } });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('巡查员老李');
    expect(page.body).toContain('水果摊占道经营');
    expect(page.body).toContain('已劝导整改');
    const other = await h.app.inject({
      url: '/patrols?date=2026-03-02',
      headers: { cookie: await dashboardCookie(otherLead) },
    });
    expect(other.statusCode).toBe(200);
    expect(other.body).not.toContain('水果摊占道经营');
    const bad = await h.app.inject({ url: '/patrols?date=not-a-day', headers: { cookie } });
    expect(bad.statusCode).toBe(400);
    const anonymous = await h.app.inject({ url: '/patrols' });
    expect([302, 303, 401]).toContain(anonymous.statusCode);
  });
});
