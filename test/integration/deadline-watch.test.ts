import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { createDeliveryWorker } from '../../core/messaging/delivery-worker.ts';
import { createDailyJobs } from '../../core/schedule/daily-jobs.ts';
import { createDeadlineWatch, type DeadlineWatch } from '../../core/schedule/deadline-watch.ts';
import { createScheduler } from '../../core/schedule/scheduler.ts';
import { createDailyJobsStore, createDeadlineWatchStore } from '../../db/deadline-watch-store.ts';
import { createOutboxStore, type OutboxStore } from '../../db/outbox-store.ts';
import { createSchedulerRunStore } from '../../db/scheduler-run-store.ts';
import { silentLogger } from '../helpers/test-config.ts';
import { createTestDb } from '../helpers/test-db.ts';
import { createFakeClock, type FakeClock } from '../helpers/fake-clock.ts';
import { createRecordingSender } from '../helpers/recording-sender.ts';

const t = await createTestDb();
afterAll(() => t.db.$disconnect());

// 09:00 in Wuhan on Monday 2 March 2026.
const START = '2026-03-02T01:00:00Z';
const HOUR = 3_600_000;
let clock: FakeClock;
let outbox: OutboxStore;
let watch: DeadlineWatch;
let escalated: number[];
let verified: number[];
let escalateResult: unknown;
let people: { lead: number; enforcer: number; admin: number; resident: number; liaison: number };
let streetId: number;
let itemId: number;
let seq = 0;

async function person(
  role: string,
  chatId: string | null,
  extra: { streetId?: number; departmentId?: number } = {},
): Promise<number> {
  const p = await t.db.person.create({ data: { displayName: role, role, ...extra } });
  if (chatId)
    await t.db.chatIdentity.create({ data: { channel: 'telegram', externalId: chatId, chatId, personId: p.id } });
  return p.id;
}

async function newCase(data: {
  status?: string;
  handling?: string;
  dueInHours?: number;
  responseInHours?: number;
  assigneeId?: number;
  departmentId?: number;
  resolvedHoursAgo?: number;
}) {
  const now = clock.now().getTime();
  return t.db.case.create({
    data: {
      number: `JH-20260302-${String(++seq).padStart(4, '0')}`,
      text: '人行道上有流动摊贩占道经营',
      status: data.status ?? 'dispatched',
      handling: data.handling ?? 'street',
      streetId: data.handling === 'street' || data.handling === undefined ? streetId : null,
      departmentId: data.departmentId ?? null,
      itemId,
      channel: 'telegram',
      reporterId: people.resident,
      assigneeId: data.assigneeId ?? null,
      dueAt: data.dueInHours === undefined ? null : new Date(now + data.dueInHours * HOUR),
      responseDueAt: data.responseInHours === undefined ? null : new Date(now + data.responseInHours * HOUR),
      resolvedAt: data.resolvedHoursAgo === undefined ? null : new Date(now - data.resolvedHoursAgo * HOUR),
    },
  });
}

const rows = async () =>
  (await t.db.outboxMessage.findMany({ orderBy: { id: 'asc' } })).map((r) => ({
    chatId: r.chatId,
    text: (JSON.parse(r.payload) as { text: string }).text,
    key: r.dedupeKey,
  }));

beforeEach(async () => {
  await t.db.outboxMessage.deleteMany();
  await t.db.schedulerRun.deleteMany();
  await t.db.patrol.deleteMany();
  await t.db.case.deleteMany();
  await t.db.chatIdentity.deleteMany();
  await t.db.person.deleteMany();
  await t.db.powerItem.deleteMany();
  await t.db.powerListVersion.deleteMany();
  await t.db.department.deleteMany();
  await t.db.street.deleteMany();
  clock = createFakeClock(START);
  streetId = (await t.db.street.create({ data: { code: '420103010', name: '万松街道', staffCount: 15 } })).id;
  const version = await t.db.powerListVersion.create({
    data: { version: 't1', title: '测试清单', source: 'test', active: true, document: '{}' },
  });
  itemId = (
    await t.db.powerItem.create({
      data: {
        versionId: version.id,
        code: 'SR-01',
        name: '占道经营',
        level: 'street',
        legalBasis: '《城市市容和环境卫生管理条例》',
        keywords: '[]',
        responseHours: 2,
        handlingHours: 24,
        timeBasis: 'working',
        mode721: 'service',
      },
    })
  ).id;
  const dept = await t.db.department.create({
    data: { code: 'SCJG', name: '市场监管', fullName: '江汉区市场监督管理局', kind: 'department' },
  });
  people = {
    lead: await person('team_lead', 'lead', { streetId }),
    enforcer: await person('enforcer', 'enforcer', { streetId }),
    admin: await person('district_admin', 'admin'),
    resident: await person('resident', 'resident'),
    liaison: dept.id, // the department's id; no liaison is bound in these tests
  };
  outbox = createOutboxStore(t.db, { clock: clock.now });
  escalated = [];
  verified = [];
  escalateResult = undefined;
  watch = createDeadlineWatch({
    port: createDeadlineWatchStore(t.db, outbox),
    logger: silentLogger(),
    reminderBeforeHours: 4,
    overdueEscalateHours: 24,
    autoVerifyDays: 3,
    escalateOverdue: async (id) => {
      escalated.push(id);
      return escalateResult;
    },
    // Like the case service: verification closes the case, so it is not found again.
    autoVerify: async (id) => {
      verified.push(id);
      await t.db.case.update({ where: { id }, data: { status: 'closed' } });
      return { id };
    },
  });
});

describe('deadline watch', () => {
  it('reminds the assignee once, REMINDER_BEFORE_HOURS before the deadline', async () => {
    const c = await newCase({ dueInHours: 6, assigneeId: people.enforcer });
    await watch.run(clock.now());
    expect(await rows()).toEqual([]);

    clock.advanceHours(2);
    await watch.run(clock.now());
    clock.advanceMinutes(30);
    await watch.run(clock.now());
    expect(await rows()).toEqual([
      {
        chatId: 'enforcer',
        text: `【即将到期】案件${c.number}（占道经营）将于3月2日 15:00到期，请及时处置。`,
        key: `deadline:remind:${c.id}:${c.dueAt!.getTime()}:telegram:enforcer`,
      },
    ]);
    expect((await t.db.case.findUniqueOrThrow({ where: { id: c.id } })).remindedAt?.toISOString()).toBe(
      '2026-03-02T03:00:00.000Z',
    );

    // The notice reaches the chat through the outbox worker.
    const sender = createRecordingSender('telegram', clock.now);
    await createDeliveryWorker({
      store: outbox,
      senders: [sender],
      clock: clock.now,
      logger: silentLogger(),
      limits: {},
    }).drain();
    expect(sender.textsTo('enforcer')).toHaveLength(1);
  });

  it('without an assignee the reminder goes to the street team lead', async () => {
    await newCase({ dueInHours: 3 });
    await watch.run(clock.now());
    expect((await rows()).map((r) => r.chatId)).toEqual(['lead']);
  });

  it('sends 督办 once to the team lead and the assignee when the deadline passes', async () => {
    const c = await newCase({ dueInHours: 1, assigneeId: people.enforcer });
    await watch.remindDueSoon(clock.now());
    clock.advanceHours(1);
    await watch.run(clock.now());
    clock.advanceHours(2);
    await watch.run(clock.now());
    const overdue = (await rows()).filter((r) => r.text.startsWith('【督办】'));
    expect(overdue.map((r) => r.chatId)).toEqual(['lead', 'enforcer']);
    expect(overdue[0]?.text).toBe(
      `【督办】案件${c.number}（占道经营）已于3月2日 10:00到期，万松街道城管执法队尚未办结，请督促尽快处置并反馈结果。`,
    );
  });

  it('tells the team lead once when a dispatched case is not accepted in time (受理超时)', async () => {
    const late = await newCase({ dueInHours: 24, responseInHours: 1 });
    await newCase({ status: 'accepted', assigneeId: people.enforcer, dueInHours: 24, responseInHours: 1 });
    await watch.run(clock.now());
    expect(await rows()).toEqual([]);
    clock.advanceHours(1);
    await watch.run(clock.now());
    clock.advanceMinutes(30);
    await watch.run(clock.now());
    expect(await rows()).toEqual([
      {
        chatId: 'lead',
        text: `【受理超时】案件${late.number}（占道经营）应于3月2日 10:00前接单，万松街道城管执法队尚未接单，请尽快安排人员接单处置。`,
        key: `deadline:response:${late.id}:${late.responseDueAt!.getTime()}:telegram:lead`,
      },
    ]);
    expect(
      (await t.db.case.findUniqueOrThrow({ where: { id: late.id } })).responseOverdueNotifiedAt?.toISOString(),
    ).toBe('2026-03-02T02:00:00.000Z');
  });

  it('calls escalateOverdue once, OVERDUE_ESCALATE_HOURS after the deadline, and tells the bureau', async () => {
    const c = await newCase({ dueInHours: -1 });
    clock.advanceHours(22);
    await watch.run(clock.now()); // 23 h overdue
    expect(escalated).toEqual([]);
    clock.advanceHours(1);
    await watch.run(clock.now()); // 24 h
    clock.advanceHours(5);
    await watch.run(clock.now());
    expect(escalated).toEqual([c.id]);
    const toBureau = (await rows()).filter((r) => r.chatId === 'admin');
    expect(toBureau.map((r) => r.text)).toEqual([
      `【超期上报】万松街道城管执法队承办的案件${c.number}（占道经营）已超期24小时仍未办结，已上报区城市管理执法局督办。`,
    ]);
    expect((await t.db.case.findUniqueOrThrow({ where: { id: c.id } })).overdueEscalatedAt).not.toBeNull();
  });

  it('sends no escalation notice of its own when the case service set the flag, or declined', async () => {
    const done = await newCase({ dueInHours: -30 });
    const declined = await newCase({ dueInHours: -30 });
    watch = createDeadlineWatch({
      port: createDeadlineWatchStore(t.db, outbox),
      logger: silentLogger(),
      reminderBeforeHours: 4,
      overdueEscalateHours: 24,
      autoVerifyDays: 3,
      escalateOverdue: async (id) => {
        escalated.push(id);
        if (id === declined.id) return null;
        await t.db.case.update({ where: { id }, data: { handling: 'district', overdueEscalatedAt: clock.now() } });
        return { id };
      },
      autoVerify: async () => null,
    });
    await watch.run(clock.now());
    await watch.run(clock.now());
    expect(escalated).toEqual([done.id, declined.id]);
    expect((await rows()).filter((r) => r.text.startsWith('【超期上报】'))).toEqual([]);
    expect(await t.db.case.count({ where: { overdueEscalatedAt: null } })).toBe(0);
  });

  it('never escalates district cases; their 督办 goes to the bureau', async () => {
    await newCase({ handling: 'district', dueInHours: -48 });
    await watch.run(clock.now());
    expect(escalated).toEqual([]);
    expect((await rows()).map((r) => [r.chatId, r.text.slice(0, 4)])).toEqual([['admin', '【督办】']]);
  });

  it('a department with no liaison bound: the bureau hears instead', async () => {
    await newCase({ handling: 'department', departmentId: people.liaison, dueInHours: 2 });
    await watch.run(clock.now());
    expect((await rows()).map((r) => r.chatId)).toEqual(['admin']);
    expect((await rows())[0]?.text).toContain('将于3月2日 11:00到期');
  });

  it('auto-verifies a resolved case after AUTO_VERIFY_DAYS days', async () => {
    const c = await newCase({ status: 'resolved', dueInHours: -10, resolvedHoursAgo: 71 });
    await watch.run(clock.now());
    expect(verified).toEqual([]);
    expect(await rows()).toEqual([]); // resolved: no 督办, no escalation
    clock.advanceHours(1);
    await watch.run(clock.now());
    await watch.run(clock.now());
    expect(verified).toEqual([c.id]);
    expect(escalated).toEqual([]);
  });

  it('a failing callback is retried next pass and does not block other cases', async () => {
    const a = await newCase({ dueInHours: -25 });
    const b = await newCase({ dueInHours: -25 });
    let fail = true;
    watch = createDeadlineWatch({
      port: createDeadlineWatchStore(t.db, outbox),
      logger: silentLogger(),
      reminderBeforeHours: 4,
      overdueEscalateHours: 24,
      autoVerifyDays: 3,
      escalateOverdue: async (id) => {
        escalated.push(id);
        if (id === a.id && fail) throw new Error('database is locked');
      },
      autoVerify: async () => null,
    });
    await watch.run(clock.now());
    fail = false;
    await watch.run(clock.now());
    await watch.run(clock.now());
    expect(escalated).toEqual([a.id, b.id, a.id]);
  });

  it('a postponed deadline (flags cleared, new dueAt) is reminded again', async () => {
    const c = await newCase({ dueInHours: 2, assigneeId: people.enforcer });
    await watch.run(clock.now());
    await t.db.case.update({
      where: { id: c.id },
      data: { dueAt: new Date(clock.now().getTime() + 26 * HOUR), remindedAt: null },
    });
    clock.advanceHours(23);
    await watch.run(clock.now());
    expect((await rows()).map((r) => r.text.slice(0, 6))).toEqual(['【即将到期】', '【即将到期】']);
  });

  it('works through a backlog a bounded number of cases per run, every step getting its share', async () => {
    // A city importing old cases (or the 1M benchmark's seeded year) starts with tens of thousands
    // of overdue cases never notified: at 100 cases per step per run, the watch did up to 500 case
    // steps a minute (100 escalations and 100 verifications are whole use-cases), for hours, and
    // intake on the same process starved. Now one run does at most casesPerRun (default 100) in all.
    const backlog = 120;
    for (let i = 0; i < backlog; i++) await newCase({ dueInHours: -25 }); // overdue and due for escalation
    for (let i = 0; i < backlog; i++) await newCase({ status: 'resolved', dueInHours: -80, resolvedHoursAgo: 80 });
    const notices = async () =>
      new Set((await rows()).filter((r) => r.key.startsWith('deadline:overdue:')).map((r) => r.key.split(':')[2])).size;
    await watch.run(clock.now());
    const first = { notified: await notices(), escalated: escalated.length, verified: verified.length };
    expect(first.notified + first.escalated + first.verified).toBeLessThanOrEqual(100);
    // Every step with work progresses in every run: none waits for another's backlog to clear.
    expect(first.notified).toBeGreaterThan(0);
    expect(first.escalated).toBeGreaterThan(0);
    expect(first.verified).toBeGreaterThan(0);
    // Nothing is lost or done twice: later runs finish the backlog.
    for (let i = 0; i < 20 && (escalated.length < backlog || verified.length < backlog); i++)
      await watch.run(clock.now());
    expect(await notices()).toBe(backlog);
    expect(new Set(escalated).size).toBe(backlog);
    expect(escalated).toHaveLength(backlog);
    expect(new Set(verified).size).toBe(backlog);
  });

  it("runs as the scheduler's minute job", async () => {
    await newCase({ dueInHours: 1 });
    const scheduler = createScheduler({
      jobs: [watch.job],
      runs: createSchedulerRunStore(t.db),
      clock: clock.now,
      logger: silentLogger(),
    });
    await scheduler.tick();
    expect((await rows()).map((r) => r.chatId)).toEqual(['lead']);
  });
});

describe('daily digest and patrol reminder', () => {
  const jobs = () =>
    createDailyJobs({
      port: createDailyJobsStore(t.db, outbox),
      logger: silentLogger(),
      digestHour: 8,
      patrolReminderHour: 18,
    });

  it('sends each team lead and the bureau the figures of their own unit, once a day', async () => {
    clock.set('2026-03-02T00:00:00Z'); // 08:00 in Wuhan
    await newCase({ dueInHours: 5 }); // due today
    await newCase({ dueInHours: -2 }); // overdue
    await newCase({ dueInHours: 30 });
    await newCase({ status: 'resolved', dueInHours: -1, resolvedHoursAgo: 3 });
    await newCase({ handling: 'district', dueInHours: 40 });
    const { digest } = jobs();
    const scheduler = createScheduler({
      jobs: [digest],
      runs: createSchedulerRunStore(t.db),
      clock: clock.now,
      logger: silentLogger(),
    });
    await scheduler.tick();
    clock.advanceHours(2);
    await scheduler.tick();
    expect((await rows()).map((r) => [r.chatId, r.text])).toEqual([
      [
        'lead',
        '【每日汇总】3月2日 万松街道城管执法队\n在办案件 3 件，今日到期 1 件，已超期 1 件，待核查 1 件。\n发送 /queue 查看待办。',
      ],
      [
        'admin',
        '【每日汇总】3月2日 全区\n在办案件 4 件，今日到期 1 件，已超期 1 件，待核查 1 件。\n发送 /queue 查看待办。',
      ],
    ]);
  });

  it('stays quiet for a unit with nothing open', async () => {
    clock.set('2026-03-02T00:00:00Z');
    await jobs().digest.run(clock.now());
    expect(await rows()).toEqual([]);
  });

  it('reminds inspectors whose patrol of today has sent no report', async () => {
    clock.set('2026-03-02T10:00:00Z'); // 18:00 in Wuhan
    const [open, reported, yesterday] = [
      await person('inspector', 'i1', { streetId }),
      await person('inspector', 'i2', { streetId }),
      await person('inspector', 'i3', { streetId }),
    ];
    await t.db.patrol.create({ data: { inspectorId: open, streetId, startedAt: new Date('2026-03-02T01:30:00Z') } });
    await t.db.patrol.create({
      data: {
        inspectorId: reported,
        streetId,
        startedAt: new Date('2026-03-02T01:30:00Z'),
        endedAt: new Date('2026-03-02T08:00:00Z'),
        reportSentAt: new Date('2026-03-02T08:00:00Z'),
      },
    });
    await t.db.patrol.create({
      data: { inspectorId: yesterday, streetId, startedAt: new Date('2026-03-01T15:00:00Z') },
    }); // 23:00 on 1 March
    await jobs().patrolReminder.run(clock.now());
    await jobs().patrolReminder.run(clock.now());
    expect((await rows()).map((r) => [r.chatId, r.text])).toEqual([
      [
        'i1',
        '【巡查提醒】您今天（3月2日）的巡查还未结束。请发送 /patrol 结束巡查；今天的巡查日报会在晚间汇总发送给您和队长。',
      ],
    ]);
  });
});
