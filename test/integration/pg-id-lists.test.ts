// Statements that take a list of ids (one JSON parameter) must find the rows by index on
// PostgreSQL, whatever the planner guesses of the list's length (issue 17: at 1M cases each photo
// report read the whole of Person and ChatIdentity, ~5,000 rows each, for 1-3 ids). Checked on a
// real server: runs with TEST_DATABASE_URL (npm run test:postgres), skipped without it.
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCaseStore } from '../../db/case-store.ts';
import { createOutboxStore, type OutboxStore } from '../../db/outbox-store.ts';
import { createPrismaClient, type Db } from '../../db/prisma-client.ts';
import { seedReferenceData } from '../../db/seed.ts';
import { createSendBudgetStore } from '../../db/send-budget-store.ts';
import { createCaseFactory } from '../helpers/case-factory.ts';
import { startPgWireLog, type PgWireLog } from '../helpers/pg-wire-log.ts';
import { createTestDb, testPgServer, type TestDb } from '../helpers/test-db.ts';

const T0 = new Date('2026-12-01T02:00:00.000Z');
const PEOPLE = 3000;
const MISSING = 9_999_999;

describe.skipIf(!testPgServer())('PostgreSQL statements taking a list of ids', () => {
  let t: TestDb;
  let wire: PgWireLog;
  let db: Db;
  let outbox: OutboxStore;
  let cases: ReturnType<typeof createCaseStore>;
  /** Seeded people: [0] active with one chat account, [1] inactive, [2] active with a blocked account and one more. */
  let people: number[];
  let photos: number[];
  let caseId: number;
  let streetId: number;

  /** A resident's supplement to the test's case with these photos (their ids a list: the Attachment UPDATE). */
  const supplement = (actorId: number, attachmentIds: number[]) => ({
    caseId,
    type: 'supplemented' as const,
    fromStatus: null,
    toStatus: null,
    actorId,
    actorRole: 'resident' as const,
    attachmentIds,
    at: T0,
  });

  beforeAll(async () => {
    t = await createTestDb('postgres');
    await seedReferenceData(t.db);
    streetId = (await t.db.street.findFirstOrThrow({ orderBy: { id: 'asc' } })).id;
    // A district's few thousand people and accounts, and a table of photos: against these a scan
    // of every row is what the planner picked for a list it took for 100 ids.
    await t.db.$executeRawUnsafe(
      `INSERT INTO "Person" ("displayName", "role", "streetId", "active")
       SELECT 'p' || g, CASE WHEN g % 50 = 0 THEN 'inspector' ELSE 'resident' END, $1::int, g % 10 <> 1
       FROM generate_series(1, ${PEOPLE}) g`,
      streetId,
    );
    const seeded = (
      await t.db.$queryRawUnsafe<Array<{ id: number }>>(
        `SELECT "id" FROM "Person" WHERE "displayName" LIKE 'p%' ORDER BY "id"`,
      )
    ).map((r) => r.id);
    await t.db.$executeRawUnsafe(
      `INSERT INTO "ChatIdentity" ("channel", "externalId", "chatId", "personId", "blockedAt")
       SELECT 'telegram', 'u' || p."id", 'c' || p."id", p."id", NULL FROM "Person" p WHERE p."displayName" LIKE 'p%'`,
    );
    // Every tenth person is inactive (g % 10 = 1); person 22 also has two WeCom accounts, one blocked.
    people = [seeded[1]!, seeded[0]!, seeded[21]!];
    await t.db.$executeRawUnsafe(
      `INSERT INTO "ChatIdentity" ("channel", "externalId", "chatId", "personId", "blockedAt")
       VALUES ('wecom', 'w', 'wc', $1::int, $2::timestamp(3)), ('wecom', 'w2', 'wc2', $1::int, NULL)`,
      people[2],
      T0,
    );
    const f = createCaseFactory(t.db);
    caseId = (await f.case({ reporterId: people[0]!, createdAt: T0 })).id;
    await t.db.$executeRawUnsafe(
      `INSERT INTO "Attachment" ("sha256", "mime", "size", "path", "publicKey", "uploadedById")
       SELECT md5(g::text), 'image/jpeg', 1000, 'p/' || g, 'k' || g, $1::int FROM generate_series(1, ${PEOPLE}) g`,
      people[0],
    );
    // Messages sent before: the claims renewed are a few among them.
    await t.db.$executeRawUnsafe(
      `INSERT INTO "OutboxMessage" ("dedupeKey", "channel", "chatId", "personId", "payload", "status", "nextAttemptAt", "createdAt", "sentAt")
       SELECT 'old:' || g, 'telegram', 'c' || g, NULL, '{}', 'sent', $1::timestamp(3), $1::timestamp(3), $1::timestamp(3)
       FROM generate_series(1, ${PEOPLE}) g`,
      T0,
    );
    photos = (
      await t.db.$queryRawUnsafe<Array<{ id: number }>>('SELECT "id" FROM "Attachment" ORDER BY "id" DESC LIMIT 2')
    ).map((r) => r.id);
    await t.db.$executeRawUnsafe('ANALYZE');
    // The stores on a client whose statements (and their parameters) a relay logs, as the process sends them.
    wire = await startPgWireLog(t.url);
    db = await createPrismaClient(wire.urlThrough(t.url));
    outbox = createOutboxStore(db, { clock: () => T0 });
    cases = createCaseStore(db, (tx, ids, message, key, id) => outbox.enqueueForPeople(tx, ids, message, key, id));
  });

  afterAll(async () => {
    await db?.$disconnect();
    await wire?.close();
    await t?.db.$disconnect();
  });

  it('answer lists of none, one and several ids (unknown and inactive ones included) as before', async () => {
    const [active, inactive, twoAccounts] = people as [number, number, number];
    await cases.transaction(async (tx) => {
      expect(await tx.actorsOf([])).toEqual([]);
      expect((await tx.actorsOf([active])).map((a) => a.personId)).toEqual([active]);
      // In the order asked, the inactive and the unknown left out.
      expect((await tx.actorsOf([twoAccounts, MISSING, inactive, active])).map((a) => a.personId)).toEqual([
        twoAccounts,
        active,
      ]);
      expect(await tx.attachmentOwnership([])).toEqual([]);
      expect(
        (await tx.attachmentOwnership([photos[0]!, MISSING, photos[1]!, photos[0]!])).sort((a, b) => a.id - b.id),
      ).toEqual([...photos].sort((a, b) => a - b).map((id) => ({ id, uploadedById: active, caseId: null })));
      await tx.appendEvent(supplement(active, [photos[0]!, MISSING]));
    });
    const moved = await t.db.attachment.findMany({ where: { caseId }, select: { id: true } });
    expect(moved.map((a) => a.id)).toEqual([photos[0]]);

    expect(await outbox.enqueueForPeopleNow([], { text: 'x' }, 'none')).toBe(0);
    // Each person's own message; the inactive, the unknown and the blocked account get none.
    const n = await outbox.enqueueForPeopleNow(
      [twoAccounts, inactive, MISSING, active, twoAccounts],
      (id) => ({ text: `hello ${id}` }),
      'greet',
      caseId,
    );
    expect(n).toBe(3);
    const rows = await t.db.outboxMessage.findMany({
      where: { dedupeKey: { startsWith: 'greet:' } },
      orderBy: { id: 'asc' },
      select: { dedupeKey: true, chatId: true, personId: true, caseId: true, payload: true, status: true },
    });
    // In the accounts' order (ChatIdentity id), as the SQLite read gives them.
    expect(rows).toEqual([
      {
        dedupeKey: `greet:telegram:c${active}`,
        chatId: `c${active}`,
        personId: active,
        caseId,
        status: 'pending',
        payload: JSON.stringify({ text: `hello ${active}` }),
      },
      {
        dedupeKey: `greet:telegram:c${twoAccounts}`,
        chatId: `c${twoAccounts}`,
        personId: twoAccounts,
        caseId,
        status: 'pending',
        payload: JSON.stringify({ text: `hello ${twoAccounts}` }),
      },
      {
        dedupeKey: 'greet:wecom:wc2',
        chatId: 'wc2',
        personId: twoAccounts,
        caseId,
        status: 'pending',
        payload: JSON.stringify({ text: `hello ${twoAccounts}` }),
      },
    ]);

    const claimed = await outbox.claimDue(T0, 10);
    expect(claimed).toHaveLength(3);
    const lease = new Date(T0.getTime() + 60_000);
    expect((await outbox.renew(claimed.slice(0, 2), lease)).map((c) => c.id)).toEqual(
      claimed.slice(0, 2).map((c) => c.id),
    );
    // A lease already renewed is no longer the claim's: not renewed again.
    expect(await outbox.renew(claimed.slice(0, 1), lease)).toEqual([]);
  });

  it('plan index lookups of Person, ChatIdentity and Attachment, custom and generic plans alike', async () => {
    // Earlier tests' claims sent, so this one's rows are claimable (each chat's oldest first).
    await t.db.outboxMessage.updateMany({ where: { status: { not: 'sent' } }, data: { status: 'sent' } });
    wire.executions.length = 0;
    const [active, inactive, twoAccounts] = people as [number, number, number];
    await cases.transaction(async (tx) => {
      await tx.actorsOf([active, inactive]);
      await tx.attachmentOwnership([photos[1]!]);
      await tx.appendEvent(supplement(active, [photos[1]!]));
      await tx.openVerificationTask({
        caseId,
        streetId,
        excludePersonIds: [active],
        dueAt: T0,
        distanceM: null,
        warning: null,
        at: T0,
      });
    });
    await outbox.enqueueForPeopleNow([twoAccounts, active], { text: 'again' }, 'again', caseId);
    const claimed = await outbox.claimDue(T0, 10, { channel: 'telegram', skipChats: ['nobody'] });
    await outbox.renew(claimed, new Date(T0.getTime() + 120_000));
    await createSendBudgetStore(db).reserve(
      'telegram',
      { globalPerSecond: 30, perChatIntervalMs: 1000 },
      [{ chatId: `c${active}`, group: false, cost: 1, holdUntil: T0 }],
      T0,
    );
    // Every statement with a list, once each, with the parameters it ran with.
    const lists = [
      ...new Map(
        wire.executions.filter((e) => /jsonb_array_elements/.test(e.sql)).map((e) => [e.sql, e] as const),
      ).values(),
    ];
    const reads = (table: string) => lists.filter((e) => e.sql.includes(`"${table}"`));
    expect(reads('Person').length).toBeGreaterThanOrEqual(3); // actorsOf, the inspector's pick, the outbox rows
    expect(reads('ChatIdentity')).toHaveLength(1);
    expect(reads('Attachment')).toHaveLength(2);
    expect(claimed).toHaveLength(2);
    expect(lists.filter((e) => /^\s*UPDATE "OutboxMessage" SET "nextAttemptAt"/.test(e.sql))).toHaveLength(1);

    const scans: string[] = [];
    const client = new pg.Client({ connectionString: t.url });
    await client.connect();
    try {
      const literal = (p: string | null) => (p === null ? 'NULL' : `'${p.replaceAll("'", "''")}'`);
      // The first five runs of a prepared statement are planned for their values, then PostgreSQL
      // may keep one plan for any values (pg-sql-connection.ts prepared()): both must hold.
      for (const mode of ['force_custom_plan', 'force_generic_plan']) {
        await client.query(`SET plan_cache_mode = ${mode}`);
        for (const [i, { sql, params }] of lists.entries()) {
          await client.query(`PREPARE list_${i} AS ${sql}`);
          const plan = (
            await client.query<{ 'QUERY PLAN': string }>(`EXPLAIN EXECUTE list_${i}(${params.map(literal).join(', ')})`)
          ).rows
            .map((r) => r['QUERY PLAN'])
            .join('\n');
          await client.query(`DEALLOCATE list_${i}`);
          // OutboxMessage too (the claims renewed): by id or among the rows being sent, never all.
          const scan = /Seq Scan on "(Person|ChatIdentity|Attachment|OutboxMessage)"/.exec(plan);
          if (scan) scans.push(`${mode}: ${scan[0]} in ${sql.replace(/\s+/g, ' ').slice(0, 90)}`);
        }
      }
    } finally {
      await client.end();
    }
    expect(scans).toEqual([]);
  });
});
