import type { OutboundMessage } from '../core/messaging/outbound-types.ts';
import { OUTBOX_PRIORITY, type ClaimedMessage, type OutboxPort } from '../core/messaging/outbox-port.ts';
import type { Prisma } from '../prisma/generated/client.ts';
import { engineOfClient, sqlOf, type Db } from './prisma-client.ts';
import type { SqlTx, SqlValue } from './sql-connection.ts';
import { FINISH_USE_SQL } from './send-budget-store.ts';
import { inList, notInList } from './sql-dialect.ts';
import { sqlDate } from './sql-values.ts';

export interface OutboxRowInput {
  /** Unique per notification and recipient chat: enqueueing the same key again is a no-op. */
  dedupeKey: string;
  channel: string;
  chatId: string;
  personId?: number;
  caseId?: number;
  message: OutboundMessage;
  /** Hold the message until then (default: now). Later messages to the same chat wait behind it, to keep the order. */
  notBefore?: Date;
  /** OUTBOX_PRIORITY: replies before pushes before bulk when a channel's limit makes messages wait. Default push. */
  priority?: number;
}

export type MessageFor = OutboundMessage | ((personId: number) => OutboundMessage);

export interface OutboxStore extends OutboxPort {
  /** Inserts in the caller's transaction; rows whose dedupeKey exists are skipped. Returns rows inserted. */
  enqueue(tx: SqlTx, rows: OutboxRowInput[]): Promise<number>;
  /** One row per chat identity of each active person (blocked chats skipped); key `${base}:${channel}:${chatId}`. */
  enqueueForPeople(
    tx: SqlTx,
    personIds: number[],
    message: MessageFor,
    dedupeKeyBase: string,
    caseId?: number,
    priority?: number,
  ): Promise<number>;
  /**
   * PostgreSQL: `enqueue`'s INSERT (at the store's clock) as SQL and parameters, for a caller that
   * makes it one part of a single statement; nothing is queued unless `onlyIf` holds.
   */
  pgInsert(rows: OutboxRowInput[], onlyIf?: string): { sql: string; params: SqlValue[] };
  /** `enqueue` in a transaction of its own. */
  enqueueNow(rows: OutboxRowInput[]): Promise<number>;
  /** `enqueueForPeople` in a transaction of its own. */
  enqueueForPeopleNow(
    personIds: number[],
    message: MessageFor,
    dedupeKeyBase: string,
    caseId?: number,
  ): Promise<number>;
  countByStatus(): Promise<Record<string, number>>;
  /** After a long outage, an administrator puts dead messages back in the queue (attempts reset). */
  requeueDead(filter?: { ids?: number[]; channel?: string }): Promise<number>;
  /**
   * At start-up, before any worker runs: every row in `sending` was left by a process that died,
   * so all go back to `pending` at once, whatever their lease (counted as an attempt, as in recoverStale).
   */
  reclaimSending(now: Date): Promise<number>;
  /** Deletes delivered rows sent before `before`, so the table does not grow without end. */
  purgeSent(before: Date): Promise<number>;
}

interface RawRow {
  id: number | bigint;
  dedupeKey: string;
  channel: string;
  chatId: string;
  personId: number | bigint | null;
  caseId: number | bigint | null;
  payload: string;
  attempts: number | bigint;
  nextAttemptAt: Date | string;
  priority?: number | bigint;
}

const num = (v: number | bigint): number => Number(v);

interface ClaimParams {
  lease: Date;
  now: Date;
  /** The channel condition's parameter; none when the condition names the channel itself (pgChannelIs). */
  channelParam: string | null;
  skipChats: string;
  limit: number;
  costCap: number;
  maxCost: number;
}

/**
 * PostgreSQL's condition for one channel: its name written into the text rather than passed, where
 * it is a plain name (channels are Gridline's own: telegram, web, wecom, mp…). The claim is
 * prepared by name and PostgreSQL keeps its generic plan only when that costs no more than the
 * plans made for the values. With the channel a parameter, one statement served every channel,
 * and a channel the statistics hold few messages of was planned as nearly empty: the custom plans'
 * mean fell below the generic plan's price and each of the ~1.5 claims a report was planned
 * afresh (0.35 ms, for 0.04 ms of execution, at 1M cases). One text per channel plans each alike.
 */
const pgChannelIs = (channel: string): string | null =>
  /^[a-z][a-z0-9_-]{0,31}$/.test(channel) ? `o."channel" = '${channel}'` : null;

/**
 * claimDue on PostgreSQL: the same choice as the SQLite statement (see there), with the due rows
 * locked FOR UPDATE SKIP LOCKED, so processes claiming at once take different rows and none
 * waits for another. A row another process holds unclaimed counts as older for its chat, so the
 * chat's order holds across processes too.
 *
 * The older messages of a candidate's chat are asked for as "neither sent nor dead" (the queued:
 * pending or sending), which no index can seek on: the planner then finds them by the chat, the
 * only way left, whatever its statistics say. Asked for as IN ('pending', 'sending'), it went
 * through the status index whenever ANALYZE had last seen few queued rows, the usual state; in a
 * backlog that meant every queued row of the channel per candidate (103,124 buffers for a claim
 * of 20 with 6,060 queued at 1M cases; test/integration/pg-outbox-claim-plan.test.ts).
 */
function claimDuePg(tx: SqlTx, byChannel: string, p: ClaimParams): Promise<RawRow[]> {
  return tx.all<RawRow>(
    `WITH due AS (
       SELECT o."id", o."priority",
         1 + coalesce(jsonb_array_length(o."payload"::jsonb -> 'photoAttachmentIds'), 0)
           + (CASE WHEN o."payload"::jsonb -> 'location' IS NOT NULL THEN 1 ELSE 0 END) AS "cost"
       FROM "OutboxMessage" o
       WHERE o."status" = 'pending' AND o."nextAttemptAt" <= ?
         AND ${byChannel}
         AND ${notInList('postgres', 'o."chatId"', 'text')}
         AND NOT EXISTS (
           SELECT 1 FROM "OutboxMessage" p
           WHERE p."channel" = o."channel" AND p."chatId" = o."chatId" AND p."status" NOT IN ('sent', 'dead') AND p."id" < o."id")
       ORDER BY o."priority", o."id"
       LIMIT ?
       FOR UPDATE OF o SKIP LOCKED),
     picked AS (
       SELECT "id" FROM (SELECT "id", SUM(LEAST("cost", ?::bigint)) OVER (ORDER BY "priority", "id") AS "running" FROM due) c
       WHERE "running" <= ?)
     UPDATE "OutboxMessage" SET "status" = 'sending', "nextAttemptAt" = ?
     WHERE "id" IN (SELECT "id" FROM picked)
     RETURNING "id", "dedupeKey", "channel", "chatId", "personId", "caseId", "payload", "attempts", "nextAttemptAt", "priority"`,
    sqlDate(p.now),
    ...(p.channelParam === null ? [] : [p.channelParam]),
    p.skipChats,
    p.limit,
    p.costCap,
    p.maxCost,
    sqlDate(p.lease),
  );
}

const OUTBOX_COLUMNS =
  '"dedupeKey", "channel", "chatId", "personId", "caseId", "payload", "status", "attempts", "nextAttemptAt", "createdAt", "priority"';

const outboxValues = (r: OutboxRowInput, now: Date): SqlValue[] => [
  r.dedupeKey,
  r.channel,
  r.chatId,
  r.personId ?? null,
  r.caseId ?? null,
  JSON.stringify(r.message),
  sqlDate(r.notBefore ?? now),
  sqlDate(now),
  r.priority ?? OUTBOX_PRIORITY.push,
];

/**
 * PostgreSQL: queues `rows` (at least one) in one statement, in their order (ids follow the
 * VALUES list, and each chat's order is its ids'), those whose dedupeKey exists skipped. With
 * `onlyIf` (an SQL condition) nothing is queued unless it holds, so the insert can be one part of
 * a larger statement (processed-update-store.ts). Values are cast: a SELECT's are not inferred
 * from the columns they go to.
 */
export function pgOutboxInsert(
  rows: OutboxRowInput[],
  now: Date,
  onlyIf = 'TRUE',
): { sql: string; params: SqlValue[] } {
  const row = "(?, ?, ?, ?::int, ?::int, ?, 'pending', 0, ?::timestamp(3), ?::timestamp(3), ?::int)";
  return {
    sql: `INSERT INTO "OutboxMessage" (${OUTBOX_COLUMNS}) SELECT * FROM (VALUES ${rows.map(() => row).join(', ')}) AS "v" WHERE ${onlyIf} ON CONFLICT ("dedupeKey") DO NOTHING`,
    params: rows.flatMap((r) => outboxValues(r, now)),
  };
}

/**
 * The outbox over Prisma. Writes that finish a claim match on (id, status 'sending', lease)
 * so a worker that stalled past its lease cannot undo what the next owner did.
 */
export function createOutboxStore(db: Db, opts: { clock?: () => Date; leaseMs?: number } = {}): OutboxStore {
  const clock = opts.clock ?? (() => new Date());
  // The worker renews a claim whose lease would not cover its send (delivery-worker.ts stillHeld).
  const leaseMs = opts.leaseMs ?? 5 * 60_000;
  const sql = sqlOf(db);

  // Every reply goes through here, so inserts are prepared statements on Prisma's connection
  // (sql-connection.ts), joining whichever unit of work the caller holds. On PostgreSQL all the
  // rows go in one statement: a round trip there costs more than the rows.
  async function enqueue(tx: SqlTx, rows: OutboxRowInput[]): Promise<number> {
    const now = clock();
    if (tx.dialect === 'postgres') {
      if (rows.length === 0) return 0;
      const insert = pgOutboxInsert(rows, now);
      return (await tx.run(insert.sql, ...insert.params)).changes;
    }
    let inserted = 0;
    for (const r of rows) {
      // ON CONFLICT DO NOTHING rather than find-then-create: a concurrent writer cannot make it throw.
      inserted += (
        await tx.run(
          `INSERT INTO "OutboxMessage" (${OUTBOX_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, 'pending', 0, ?, ?, ?) ON CONFLICT ("dedupeKey") DO NOTHING`,
          ...outboxValues(r, now),
        )
      ).changes;
    }
    return inserted;
  }

  async function enqueueForPeople(
    tx: SqlTx,
    personIds: number[],
    message: MessageFor,
    dedupeKeyBase: string,
    caseId?: number,
    priority?: number,
  ): Promise<number> {
    if (personIds.length === 0) return 0;
    if (tx.dialect === 'postgres') {
      // One statement: the people's chat accounts and their rows (was a read, then the INSERT).
      // The people are the same list as the SQLite read's (inList: index lookups of ChatIdentity
      // and Person), their messages an object by person id beside it: a join to the messages'
      // rows (jsonb_array_elements, taken for 100 rows) made PostgreSQL hash-join whole scans of
      // ChatIdentity and Person instead.
      const now = sqlDate(clock());
      const ids = [...new Set(personIds)];
      const payloads = Object.fromEntries(
        ids.map((id) => [id, JSON.stringify(typeof message === 'function' ? message(id) : message)]),
      );
      return (
        await tx.run(
          `INSERT INTO "OutboxMessage" (${OUTBOX_COLUMNS})
           SELECT ? || ':' || i."channel" || ':' || i."chatId", i."channel", i."chatId", i."personId", ?::int,
             ?::jsonb ->> i."personId"::text, 'pending', 0, ?::timestamp(3), ?::timestamp(3), ?::int
           FROM "ChatIdentity" i JOIN "Person" p ON p."id" = i."personId"
           WHERE ${inList(tx.dialect, 'i."personId"', 'int')} AND i."blockedAt" IS NULL AND p."active" = TRUE ORDER BY i."id"
           ON CONFLICT ("dedupeKey") DO NOTHING`,
          dedupeKeyBase,
          caseId ?? null,
          JSON.stringify(payloads),
          now,
          now,
          priority ?? OUTBOX_PRIORITY.push,
          JSON.stringify(ids),
        )
      ).changes;
    }
    const identities = await tx.all<{ channel: string; chatId: string; personId: number }>(
      `SELECT i."channel", i."chatId", i."personId" FROM "ChatIdentity" i JOIN "Person" p ON p."id" = i."personId"
       WHERE ${inList(tx.dialect, 'i."personId"', 'int')} AND i."blockedAt" IS NULL AND p."active" = TRUE ORDER BY i."id"`,
      JSON.stringify([...new Set(personIds)]),
    );
    return enqueue(
      tx,
      identities.map((i) => ({
        dedupeKey: `${dedupeKeyBase}:${i.channel}:${i.chatId}`,
        channel: i.channel,
        chatId: i.chatId,
        personId: i.personId,
        ...(caseId !== undefined ? { caseId } : {}),
        ...(priority !== undefined ? { priority } : {}),
        message: typeof message === 'function' ? message(i.personId) : message,
      })),
    );
  }

  /** Sets `set` on the claimed row if the claim still holds; true if it did. */
  const finish = async (c: ClaimedMessage, set: string, ...params: SqlValue[]): Promise<boolean> =>
    (
      await sql.statement((tx) =>
        tx.run(
          `UPDATE "OutboxMessage" SET ${set} WHERE "id" = ? AND "status" = 'sending' AND "nextAttemptAt" = ?`,
          ...params,
          c.id,
          sqlDate(c.leaseUntil),
        ),
      )
    ).changes === 1;

  /** Rows left in `sending` (those `where` picks) go back to the queue now, counted as an attempt. */
  const requeueSending = async (where: Prisma.OutboxMessageWhereInput, now: Date, reason: string) =>
    (
      await db.outboxMessage.updateMany({
        where: { status: 'sending', ...where },
        data: { status: 'pending', nextAttemptAt: now, attempts: { increment: 1 }, lastError: reason },
      })
    ).count;

  return {
    enqueue,
    enqueueForPeople,
    pgInsert: (rows, onlyIf) => pgOutboxInsert(rows, clock(), onlyIf),
    // One INSERT on PostgreSQL (enqueue), so no BEGIN/COMMIT around it.
    enqueueNow: (rows) => sql.statement((tx) => enqueue(tx, rows)),
    // One INSERT … SELECT on PostgreSQL (enqueueForPeople), so no BEGIN/COMMIT around it either.
    enqueueForPeopleNow: (personIds, message, key, caseId) =>
      (engineOfClient(db) === 'postgres' ? sql.statement : sql.transaction)((tx) =>
        enqueueForPeople(tx, personIds, message, key, caseId),
      ),

    async claimDue(now, limit, select = {}) {
      const lease = new Date(now.getTime() + leaseMs);
      const maxCost = select.maxCost ?? Number.MAX_SAFE_INTEGER;
      const costCap = select.costCap ?? Number.MAX_SAFE_INTEGER;
      // One statement, so two workers can never claim the same row. A row is claimable only if
      // no older row of its chat is still pending or sending: that keeps each chat in order.
      // Replies before pushes before bulk (priority), oldest first; chats the rate limiter holds
      // are left alone, and the rows taken add up to at most `maxCost` sends (a photo is one
      // more), so everything claimed can be sent at once: nothing is claimed only to be put back.
      // One channel: an equality, so the (status, channel, priority, id) index gives the order.
      const channelParam = select.channel ?? JSON.stringify(select.otherThan ?? []);
      const skipChats = JSON.stringify(select.skipChats ?? []);
      // One statement: on PostgreSQL without BEGIN/COMMIT (sql.statement), as the worker polls with it.
      const rows = await sql.statement((tx) => {
        const named = tx.dialect === 'postgres' && select.channel !== undefined ? pgChannelIs(select.channel) : null;
        const byChannel =
          named ?? (select.channel !== undefined ? 'o."channel" = ?' : notInList(tx.dialect, 'o."channel"', 'text'));
        if (tx.dialect === 'postgres')
          return claimDuePg(tx, byChannel, {
            lease,
            now,
            channelParam: named === null ? channelParam : null,
            skipChats,
            limit,
            costCap,
            maxCost,
          });
        return tx.all<RawRow>(
          `UPDATE "OutboxMessage" SET "status" = 'sending', "nextAttemptAt" = ?
           WHERE "id" IN (
             SELECT "id" FROM (
               SELECT c."id", SUM(min(c."cost", ?)) OVER (ORDER BY c."priority", c."id") AS "running" FROM (
                 SELECT o."id", o."priority",
                   1 + coalesce(json_array_length(o."payload", '$.photoAttachmentIds'), 0)
                     + (json_type(o."payload", '$.location') IS NOT NULL) AS "cost"
                 FROM "OutboxMessage" o
                 WHERE o."status" = 'pending' AND o."nextAttemptAt" <= ?
                   AND ${byChannel}
                   AND o."chatId" NOT IN (SELECT value FROM json_each(?))
                   AND NOT EXISTS (
                     SELECT 1 FROM "OutboxMessage" p
                     WHERE p."channel" = o."channel" AND p."chatId" = o."chatId" AND p."status" NOT IN ('sent', 'dead') AND p."id" < o."id")
                 ORDER BY o."priority", o."id"
                 LIMIT ?) c)
             WHERE "running" <= ?)
           RETURNING "id", "dedupeKey", "channel", "chatId", "personId", "caseId", "payload", "attempts", "nextAttemptAt", "priority"`,
          sqlDate(lease),
          costCap,
          sqlDate(now),
          channelParam,
          skipChats,
          limit,
          maxCost,
        );
      });
      // In the order they should go out: RETURNING promises none.
      rows.sort((a, b) => num(a.priority ?? 0) - num(b.priority ?? 0) || num(a.id) - num(b.id));
      return rows.map((r) => ({
        id: num(r.id),
        dedupeKey: r.dedupeKey,
        channel: r.channel,
        chatId: r.chatId,
        personId: r.personId === null ? null : num(r.personId),
        caseId: r.caseId === null ? null : num(r.caseId),
        message: JSON.parse(r.payload) as OutboundMessage,
        attempts: num(r.attempts),
        leaseUntil: new Date(r.nextAttemptAt),
      }));
    },

    async renew(claims, leaseUntil) {
      if (claims.length === 0) return [];
      // Rows claimed together share one lease, so this is one statement per claim batch.
      const byLease = new Map<number, number[]>();
      for (const c of claims)
        byLease.set(c.leaseUntil.getTime(), [...(byLease.get(c.leaseUntil.getTime()) ?? []), c.id]);
      const held = new Set<number>();
      await sql.transaction(async (tx) => {
        for (const [lease, ids] of byLease) {
          const rows = await tx.all<{ id: number | bigint }>(
            `UPDATE "OutboxMessage" SET "nextAttemptAt" = ?
             WHERE ${inList(tx.dialect, '"id"', 'int')} AND "status" = 'sending' AND "nextAttemptAt" = ?
             RETURNING "id"`,
            sqlDate(leaseUntil),
            JSON.stringify(ids),
            sqlDate(new Date(lease)),
          );
          for (const r of rows) held.add(num(r.id));
        }
      });
      return claims.filter((c) => held.has(c.id)).map((c) => ({ ...c, leaseUntil }));
    },

    async markSent(id, sentAt, endsUse) {
      const at = sqlDate(sentAt);
      const sent = `UPDATE "OutboxMessage" SET "status" = 'sent', "sentAt" = ? WHERE "id" = ? AND "status" <> 'sent'`;
      // A raw unit, so the sends that finish in one turn of the event loop share one commit on
      // SQLite; one statement, so one round trip on PostgreSQL.
      if (endsUse === undefined) return void (await sql.statement((tx) => tx.run(sent, at, id)));
      // With the budget's use of the send: on PostgreSQL one statement still (a CTE), where it
      // was a round trip each, two per message delivered. Both rows change at once, so whoever
      // claims the chat's next row sees when this send ended (as finish-then-markSent did).
      if (engineOfClient(db) === 'postgres')
        return void (await sql.statement((tx) =>
          tx.run(`WITH "use" AS (${FINISH_USE_SQL}) ${sent}`, at, endsUse, at, id),
        ));
      await sql.transaction(async (tx) => {
        await tx.run(FINISH_USE_SQL, at, endsUse);
        await tx.run(sent, at, id);
      });
    },

    // A claim is finished only while it is still this worker's: same row, still `sending`, same
    // lease. One raw statement each (no Prisma, no BEGIN/COMMIT on PostgreSQL): with several
    // processes sharing a channel's send rate, rows the budget refuses go back often (release).
    async markRetry(claim, nextAttemptAt, error, countAttempt = true) {
      return finish(
        claim,
        `"status" = 'pending', "nextAttemptAt" = ?, "lastError" = ?${countAttempt ? ', "attempts" = "attempts" + 1' : ''}`,
        sqlDate(nextAttemptAt),
        error,
      );
    },

    async markDead(claim, error) {
      return finish(claim, `"status" = 'dead', "lastError" = ?, "attempts" = "attempts" + 1`, error);
    },

    async release(claim, notBefore) {
      return finish(claim, `"status" = 'pending', "nextAttemptAt" = ?`, sqlDate(notBefore));
    },

    // Counted as an attempt: a message that crashes the process every time must die eventually.
    recoverStale: (now) =>
      requeueSending({ nextAttemptAt: { lt: now } }, now, 'lease expired: the worker stopped mid-send'),

    reclaimSending: (now) => requeueSending({}, now, 'the process stopped mid-send'),

    async markChatBlocked(channel, chatId) {
      await db.chatIdentity.updateMany({ where: { channel, chatId, blockedAt: null }, data: { blockedAt: clock() } });
    },

    async requeueDead(filter = {}) {
      const { count } = await db.outboxMessage.updateMany({
        where: {
          status: 'dead',
          ...(filter.ids ? { id: { in: filter.ids } } : {}),
          ...(filter.channel ? { channel: filter.channel } : {}),
        },
        data: { status: 'pending', attempts: 0, nextAttemptAt: clock() },
      });
      return count;
    },

    async purgeSent(before) {
      const { count } = await db.outboxMessage.deleteMany({ where: { status: 'sent', sentAt: { lt: before } } });
      return count;
    },

    async countByStatus() {
      const groups = await db.outboxMessage.groupBy({ by: ['status'], _count: { _all: true } });
      return Object.fromEntries(groups.map((g) => [g.status, g._count._all]));
    },
  };
}
