import { expect, it } from 'vitest';
import type { NewCase } from '../../core/case/case-port.ts';
import { createCaseStore } from '../../db/case-store.ts';
import { createDeadlineWatchStore } from '../../db/deadline-watch-store.ts';
import { createHousekeepingStore } from '../../db/housekeeping-store.ts';
import { createOutboxStore } from '../../db/outbox-store.ts';
import { createPrismaClient, type Db } from '../../db/prisma-client.ts';
import { seedReferenceData } from '../../db/seed.ts';
import { forEachEngine } from './engines.ts';

const T0 = new Date('2026-03-02T02:00:00.000Z');

function storeOf(db: Db) {
  const outbox = createOutboxStore(db, { clock: () => T0 });
  return {
    outbox,
    cases: createCaseStore(db, (tx, ids, message, key, caseId) =>
      outbox.enqueueForPeople(tx, ids, message, key, caseId),
    ),
  };
}

const newCase = (number: string, reporterId: number, over: Partial<NewCase> = {}): NewCase => ({
  number,
  text: '人行道上有人摆摊',
  lat: 30.58,
  lng: 114.27,
  address: '鄱阳路23号',
  streetId: null,
  itemId: null,
  handling: 'street',
  post: null,
  departmentId: null,
  status: 'dispatched',
  urgent: true,
  confidence: 0.9,
  needsTriage: false,
  routingReasons: ['测试'],
  channel: 'telegram',
  reporterId,
  mergedIntoId: null,
  createdAt: T0,
  registeredAt: T0,
  dispatchedAt: T0,
  responseDueAt: new Date(T0.getTime() + 3_600_000),
  dueAt: new Date(T0.getTime() + 86_400_000),
  ...over,
});

forEachEngine((t) => {
  let reporterId = 0;
  let streetId = 0;
  it('sets up reference data', async () => {
    await seedReferenceData(t().db);
    reporterId = (await t().db.person.create({ data: { displayName: '居民', role: 'resident' } })).id;
    streetId = (await t().db.street.findFirstOrThrow()).id;
    await t().db.person.create({ data: { displayName: '队长', role: 'team_lead', streetId } });
  });

  it('writes a case and reads it back as written: dates, booleans, item and names', async () => {
    const { cases } = storeOf(t().db);
    const item = await cases.transaction((tx) => tx.activeItem('SR-001'));
    const row = await cases.transaction(async (tx) => {
      const number = await tx.nextCaseNumber('JH', '2026-03-02');
      const c = await tx.insertCase(newCase(number, reporterId, { streetId, itemId: item?.id ?? null }));
      await tx.appendEvent({
        caseId: c.id,
        type: 'submitted',
        fromStatus: null,
        toStatus: 'dispatched',
        actorId: reporterId,
        actorRole: 'resident',
        at: T0,
      });
      return c;
    });
    expect(row).toMatchObject({
      number: 'JH-20260302-0001',
      urgent: true,
      createdAt: T0,
      dueAt: new Date(T0.getTime() + 86_400_000),
      resolvedAt: null,
      streetId,
      reporterName: '居民',
    });
    expect(item).not.toBeNull();
    expect(row.item).toMatchObject({ code: 'SR-001', urgent: item!.urgent });
    const viaPrisma = await t().db.case.findUniqueOrThrow({ where: { id: row.id } });
    expect(viaPrisma.createdAt).toEqual(T0);
    expect(viaPrisma.urgent).toBe(true);
    expect(await cases.transaction((tx) => tx.followers(row.id))).toEqual([reporterId]);
    expect(await cases.transaction((tx) => tx.handlers('street', streetId, null))).toHaveLength(1);
    const patched = await cases.transaction((tx) =>
      tx.updateCase(row.id, { status: 'resolved', resolvedAt: T0, postponed: true }),
    );
    expect(patched).toMatchObject({ status: 'resolved', resolvedAt: T0 });
    expect(await cases.transaction((tx) => tx.reportedSince(reporterId, new Date(T0.getTime() - 1)))).toEqual({
      count: 1,
      oldest: T0,
    });
    expect(
      await cases.transaction((tx) =>
        tx.findOpenDuplicate({ itemCode: 'SR-001', lat: 30.58, lng: 114.27, radiusM: 50, since: T0 }),
      ),
    ).toMatchObject({ id: row.id });
  });

  it('a unit that throws writes nothing, its case number included', async () => {
    const { cases } = storeOf(t().db);
    await expect(
      cases.transaction(async (tx) => {
        await tx.insertCase(newCase(await tx.nextCaseNumber('JH', '2026-03-03'), reporterId));
        throw new Error('step failed');
      }),
    ).rejects.toThrow('step failed');
    const number = await cases.transaction(
      async (tx) => (await tx.insertCase(newCase(await tx.nextCaseNumber('JH', '2026-03-03'), reporterId))).number,
    );
    expect(number).toBe('JH-20260303-0001');
  });

  // On PostgreSQL each writer is a client of its own, as separate processes would be.
  it('numbers stay unique and without gaps when several writers take them at once', async () => {
    const extra =
      t().engine === 'postgres' ? [await createPrismaClient(t().url), await createPrismaClient(t().url)] : [];
    try {
      const writers = [t().db, ...extra].map((db) => storeOf(db).cases);
      const numbers = await Promise.all(
        Array.from({ length: 30 }, (_, i) =>
          writers[i % writers.length]!.transaction(
            async (tx) =>
              (await tx.insertCase(newCase(await tx.nextCaseNumber('JH', '2026-03-04'), reporterId))).number,
          ),
        ),
      );
      expect(numbers.sort()).toEqual(
        Array.from({ length: 30 }, (_, i) => `JH-20260304-${String(i + 1).padStart(4, '0')}`),
      );
    } finally {
      await Promise.all(extra.map((db) => db.$disconnect()));
    }
  });

  it('flags a deadline once and queues its notices with it', async () => {
    const { cases, outbox } = storeOf(t().db);
    const c = await cases.transaction(async (tx) =>
      tx.insertCase(newCase(await tx.nextCaseNumber('JH', '2026-03-05'), reporterId, { streetId })),
    );
    const watch = createDeadlineWatchStore(t().db, outbox);
    const notice = { personIds: [reporterId], message: { text: '即将超期' }, dedupeKeyBase: `remind:${c.id}` };
    const flags = await Promise.all([0, 1].map(() => watch.flagAndNotify(c.id, 'remindedAt', T0, [notice])));
    expect(flags.sort()).toEqual([false, true]);
    expect((await t().db.case.findUniqueOrThrow({ where: { id: c.id } })).remindedAt).toEqual(T0);
  });

  it('purges old update claims and expired sessions in chunks', async () => {
    const old = new Date('2026-01-01T00:00:00Z');
    await t().db.processedUpdate.createMany({
      data: [
        { channel: 'telegram', updateId: 'old', processedAt: old },
        { channel: 'telegram', updateId: 'new', processedAt: T0 },
      ],
    });
    const counts = await createHousekeepingStore(t().db).purge({
      processedBefore: new Date('2026-02-01T00:00:00Z'),
      expiredBefore: old,
    });
    expect(counts.processedUpdates).toBe(1);
    expect((await t().db.processedUpdate.findMany()).map((u) => u.updateId)).toEqual(['new']);
  });
});
