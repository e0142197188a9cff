// The 公众号 channel's rows: the customer-service budget per follower (MpBudget), releasing the
// messages that waited for a follower's next message, and a case's facts for 订阅通知 templates.
import { formatShanghai, placeOf } from '../core/case/case-format-fns.ts';
import { RESIDENT_STATUS_LABELS, type CaseStatus } from '../core/case/case-types.ts';
import type { Button, OutboundMessage } from '../core/messaging/outbound-types.ts';
import { openWindow, type BudgetKind, type BudgetWindow } from '../bot/mp/mp-budget-fns.ts';
import type { MpBudgetPort } from '../bot/mp/mp-sender.ts';
import type { CaseFacts } from '../bot/mp/mp-templates.ts';
import { sqlOf, type Db } from './prisma-client.ts';
import type { SqlTx } from './sql-connection.ts';
import { sqlDate } from './sql-values.ts';

type BudgetRow = { windowKind: string; windowStart: string; windowEnd: string; allowed: number; used: number };

const toWindow = (r: BudgetRow): BudgetWindow => ({
  kind: r.windowKind as BudgetKind,
  start: new Date(r.windowStart),
  end: new Date(r.windowEnd),
  allowed: r.allowed,
  used: r.used,
});

export interface MpStore extends MpBudgetPort {
  /** The follower interacted: a new window per the rules, and their waiting messages are due now. */
  interacted(openid: string, kind: BudgetKind, now: Date): Promise<void>;
  window(openid: string): Promise<BudgetWindow | null>;
  /** A callback already processed (the runtime's claim, or claim() below). */
  seen(key: string): Promise<boolean>;
  /** Claims a callback the conversation core does not see (an unsubscribe, a notice); false if claimed before. */
  claim(key: string, now: Date): Promise<boolean>;
  caseFacts(caseId: number, message: OutboundMessage, link: string): Promise<CaseFacts | null>;
  /** The follower saw these numbered choices (an empty list leaves the last ones standing). */
  menuShown(openid: string, buttons: Button[], now: Date): Promise<void>;
  /** The numbered choices last shown to the follower since `since`, or null. */
  lastMenu(openid: string, since: Date): Promise<Button[] | null>;
}

export function createMpStore(db: Db): MpStore {
  const sql = sqlOf(db);
  const read = async (tx: SqlTx, openid: string) => {
    const row = await tx.get<BudgetRow>(
      'SELECT "windowKind", "windowStart", "windowEnd", "allowed", "used" FROM "MpBudget" WHERE "openid" = ?',
      openid,
    );
    return row ? toWindow(row) : null;
  };
  return {
    interacted: (openid, kind, now) =>
      sql.transaction(async (tx) => {
        const w = openWindow(await read(tx, openid), kind, now);
        await tx.run(
          `INSERT INTO "MpBudget" ("openid", "windowKind", "windowStart", "windowEnd", "allowed", "used") VALUES (?, ?, ?, ?, ?, ?)
           ON CONFLICT ("openid") DO UPDATE SET "windowKind" = excluded."windowKind", "windowStart" = excluded."windowStart",
             "windowEnd" = excluded."windowEnd", "allowed" = excluded."allowed", "used" = excluded."used"`,
          openid,
          w.kind,
          sqlDate(w.start),
          sqlDate(w.end),
          w.allowed,
          w.used,
        );
        // Messages held for want of budget go now, first in the chat's order.
        await tx.run(
          `UPDATE "OutboxMessage" SET "nextAttemptAt" = ? WHERE "channel" = 'mp' AND "chatId" = ? AND "status" = 'pending' AND "nextAttemptAt" > ?`,
          sqlDate(now),
          openid,
          sqlDate(now),
        );
      }),
    seen: (key) =>
      sql.transaction(
        async (tx) =>
          (await tx.get('SELECT 1 FROM "ProcessedUpdate" WHERE "channel" = \'mp\' AND "updateId" = ?', key)) !==
          undefined,
      ),
    claim: (key, now) =>
      sql.transaction(
        async (tx) =>
          (
            await tx.run(
              'INSERT INTO "ProcessedUpdate" ("channel", "updateId", "processedAt") VALUES (\'mp\', ?, ?) ON CONFLICT DO NOTHING',
              key,
              sqlDate(now),
            )
          ).changes > 0,
      ),
    menuShown: (openid, buttons, now) =>
      sql.transaction(async (tx) => {
        if (!buttons.length) return;
        await tx.run(
          `INSERT INTO "MpMenu" ("openid", "buttons", "shownAt") VALUES (?, ?, ?)
           ON CONFLICT ("openid") DO UPDATE SET "buttons" = excluded."buttons", "shownAt" = excluded."shownAt"`,
          openid,
          JSON.stringify(buttons.map((b) => ({ id: b.id, label: b.label }))),
          sqlDate(now),
        );
      }),
    lastMenu: (openid, since) =>
      sql.transaction(async (tx) => {
        const row = await tx.get<{ buttons: string }>(
          'SELECT "buttons" FROM "MpMenu" WHERE "openid" = ? AND "shownAt" >= ?',
          openid,
          sqlDate(since),
        );
        return row ? (JSON.parse(row.buttons) as Button[]) : null;
      }),
    window: (openid) => sql.transaction((tx) => read(tx, openid)),
    take: (openid, now) =>
      sql.transaction(
        async (tx) =>
          (
            await tx.run(
              'UPDATE "MpBudget" SET "used" = "used" + 1 WHERE "openid" = ? AND "windowEnd" > ? AND "used" < "allowed"',
              openid,
              sqlDate(now),
            )
          ).changes > 0,
      ),
    refund: (openid) =>
      sql.transaction(async (tx) => {
        await tx.run('UPDATE "MpBudget" SET "used" = "used" - 1 WHERE "openid" = ? AND "used" > 0', openid);
      }),
    exhaust: (openid) =>
      sql.transaction(async (tx) => {
        await tx.run('UPDATE "MpBudget" SET "used" = "allowed" WHERE "openid" = ?', openid);
      }),
    async caseFacts(caseId, message, link) {
      const c = await db.case.findUnique({
        where: { id: caseId },
        select: {
          number: true,
          status: true,
          address: true,
          lat: true,
          lng: true,
          updatedAt: true,
          street: { select: { name: true } },
          item: { select: { name: true } },
        },
      });
      if (!c) return null;
      return {
        number: c.number,
        matter: c.item?.name ?? '待确定',
        status: RESIDENT_STATUS_LABELS[c.status as CaseStatus] ?? c.status,
        place: placeOf({ address: c.address, lat: c.lat, lng: c.lng, streetName: c.street?.name ?? null }),
        time: formatShanghai(c.updatedAt),
        summary: message.text.replace(/\s+/g, ' ').trim(),
        link,
      };
    },
  };
}
