import { createHash, randomInt } from 'node:crypto';
import type { ChatAccount, Identity, IdentityPort } from '../bot/bot-ports.ts';
import type { Actor, Role } from '../core/case/case-types.ts';
import { isGroupChat } from '../core/messaging/rate-limiter.ts';
import { sqlOf, type Db } from './prisma-client.ts';
import type { SqlTx } from './sql-connection.ts';
import { sqlDate } from './sql-values.ts';

const hash = (code: string) => createHash('sha256').update(code.trim().toUpperCase()).digest('hex');
// No 0/O or 1/I: codes are read aloud and typed on phones.
const ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';

/** On Telegram and WeChat a person's private chat has their user id; a group is never a push address. */
const privateChat = (userId: string, chatId: string) => (isGroupChat(chatId) ? userId : chatId);

type PersonRow = {
  id: number;
  role: string;
  streetId: number | null;
  departmentId: number | null;
  displayName: string;
};
export const toActor = (p: PersonRow): Actor => ({
  personId: p.id,
  role: p.role as Role,
  streetId: p.streetId,
  departmentId: p.departmentId,
  displayName: p.displayName,
});

/** The account columns of a read that joins "ChatIdentity" i to its "Person" p. */
export const ACCOUNT_COLUMNS = `p."id", p."role", p."streetId", p."departmentId", p."displayName", p."active", i."id" AS "identityId", i."chatId", i."blockedAt"`;

export type AccountRow = PersonRow & {
  identityId: number;
  chatId: string;
  blockedAt: unknown;
  active: number | boolean;
};

export const toChatAccount = (r: AccountRow): ChatAccount => ({
  ...toActor(r),
  active: !!r.active,
  identityId: r.identityId,
  chatId: r.chatId,
  blocked: !!r.blockedAt,
});

/**
 * A deactivated person keeps their chat but none of their staff powers, from their next message
 * on: they can still report problems and follow their own reports, like any resident.
 */
const chatActor = ({ personId, role, streetId, departmentId, displayName, active }: ChatAccount): Actor =>
  active
    ? { personId, role, streetId, departmentId, displayName }
    : { personId, role: 'resident', streetId: null, departmentId: null, displayName };

const findIdentity = async (tx: SqlTx, channel: string, userId: string): Promise<ChatAccount | null> => {
  const r = await tx.get<AccountRow>(
    `SELECT ${ACCOUNT_COLUMNS} FROM "ChatIdentity" i JOIN "Person" p ON p."id" = i."personId" WHERE i."channel" = ? AND i."externalId" = ?`,
    channel,
    userId,
  );
  return r ? toChatAccount(r) : null;
};

/** A known person wrote again: their chat account follows where they write from. */
async function sawAgain(tx: SqlTx, found: ChatAccount, chatId: string): Promise<Actor> {
  // Pushes go to the person's private chat: a message in a group never moves them there.
  if (found.chatId !== chatId && !isGroupChat(chatId))
    await tx.run('UPDATE "ChatIdentity" SET "chatId" = ? WHERE "id" = ?', chatId, found.identityId);
  if (found.blocked) await tx.run('UPDATE "ChatIdentity" SET "blockedAt" = NULL WHERE "id" = ?', found.identityId); // they wrote again: unblocked
  return chatActor(found);
}

export function createIdentityStore(db: Db): IdentityPort {
  const sql = sqlOf(db);
  return {
    // Every chat message starts here, so it runs on prepared statements rather than Prisma.
    async resolve(channel, userId, chatId, displayName, known) {
      const name = displayName?.slice(0, 40) || '居民';
      const newcomer = (id: number): Identity => ({
        actor: toActor({ id, role: 'resident', streetId: null, departmentId: null, displayName: name }),
        isNew: true,
      });
      // SQLite: one transaction, so two first messages of a newcomer (private chat and group) make
      // one person. Nearly every message comes from someone known: one read (on PostgreSQL made
      // with the message's update check already, processed-update-store.ts arrive, and otherwise
      // before any BEGIN, pg-sql-connection.ts), so no transaction and no lock.
      const existing = await sql.transaction(async (tx) => {
        const found = known !== undefined ? known : await findIdentity(tx, channel, userId);
        if (found) return { actor: await sawAgain(tx, found, chatId), isNew: false };
        if (tx.dialect === 'postgres') return null; // made below, in one statement
        // SQLite: units run one at a time, so nobody else can make this person meanwhile.
        const now = sqlDate(new Date());
        const { id } = (await tx.get<{ id: number }>(
          'INSERT INTO "Person" ("displayName", "role", "active", "createdAt") VALUES (?, \'resident\', TRUE, ?) RETURNING "id"',
          name,
          now,
        ))!;
        await tx.run(
          'INSERT INTO "ChatIdentity" ("channel", "externalId", "chatId", "personId", "createdAt") VALUES (?, ?, ?, ?, ?)',
          channel,
          userId,
          privateChat(userId, chatId),
          id,
          now,
        );
        return newcomer(id);
      });
      if (existing) return existing;
      // PostgreSQL runs units side by side: a newcomer's two first messages may both get here.
      // The person and their chat account are made in one statement (one round trip, no BEGIN,
      // no lock: it was BEGIN, an advisory lock, a second read, two INSERTs and COMMIT), the
      // account first, under its unique key: the second message waits there for the first's
      // commit and inserts nothing, and then neither does its person (no person without an
      // account is ever left). Foreign keys are checked at the end of the statement, by when the
      // person it names exists.
      const now = sqlDate(new Date());
      const made = await sql.statement((tx) =>
        tx.get<{ id: number }>(
          `WITH "next" AS (SELECT nextval(pg_get_serial_sequence('"Person"', 'id'))::int AS "id"),
           "account" AS (
             INSERT INTO "ChatIdentity" ("channel", "externalId", "chatId", "personId", "createdAt")
             SELECT ?, ?, ?, "next"."id", ?::timestamp(3) FROM "next"
             ON CONFLICT ("channel", "externalId") DO NOTHING RETURNING "personId")
           INSERT INTO "Person" ("id", "displayName", "role", "active", "createdAt")
           SELECT "personId", ?, 'resident', TRUE, ?::timestamp(3) FROM "account" RETURNING "id"`,
          channel,
          userId,
          privateChat(userId, chatId),
          now,
          name,
          now,
        ),
      );
      if (made) return newcomer(made.id);
      // The other message made them: read them now that it has committed.
      return sql.transaction(async (tx) => {
        const found = await findIdentity(tx, channel, userId);
        if (!found) throw new Error(`chat account ${channel}:${userId} neither made nor found`);
        return { actor: await sawAgain(tx, found, chatId), isNew: false };
      });
    },
    async bind(channel, userId, chatId, code, now) {
      return db.$transaction(async (tx) => {
        const bc = await tx.bindCode.findUnique({ where: { codeHash: hash(code) } });
        if (!bc || bc.usedAt || bc.expiresAt <= now) return null;
        const existing = await tx.chatIdentity.findUnique({
          where: { channel_externalId: { channel, externalId: userId } },
        });
        // A street's staff join its team, so posts (岗位) and transfers know where they belong.
        const team =
          bc.streetId !== null
            ? await tx.team.findFirst({
                where: { streetId: bc.streetId },
                orderBy: { id: 'asc' },
                select: { id: true },
              })
            : null;
        const person = await tx.person.create({
          data: {
            displayName: bc.displayName,
            role: bc.role,
            streetId: bc.streetId,
            departmentId: bc.departmentId,
            teamId: team?.id ?? null,
          },
        });
        const direct = privateChat(userId, chatId);
        if (existing)
          await tx.chatIdentity.update({ where: { id: existing.id }, data: { personId: person.id, chatId: direct } });
        else
          await tx.chatIdentity.create({ data: { channel, externalId: userId, chatId: direct, personId: person.id } });
        await tx.bindCode.update({ where: { id: bc.id }, data: { usedAt: now, usedById: person.id } });
        return toActor(person);
      });
    },
  };
}

/** An administrator issues a one-time code; only its hash is stored. */
export async function issueBindCode(
  db: Db,
  p: { role: Role; displayName: string; streetName?: string; departmentName?: string; validHours?: number; now?: Date },
): Promise<string> {
  const code = Array.from({ length: 8 }, () => ALPHABET[randomInt(ALPHABET.length)]).join('');
  const street = p.streetName ? await db.street.findUniqueOrThrow({ where: { name: p.streetName } }) : null;
  const department = p.departmentName
    ? await db.department.findUniqueOrThrow({ where: { name: p.departmentName } })
    : null;
  const now = p.now ?? new Date();
  await db.bindCode.create({
    data: {
      codeHash: hash(code),
      role: p.role,
      displayName: p.displayName,
      streetId: street?.id ?? null,
      departmentId: department?.id ?? null,
      expiresAt: new Date(now.getTime() + (p.validHours ?? 72) * 3_600_000),
    },
  });
  return code;
}
