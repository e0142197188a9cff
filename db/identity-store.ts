import { createHash, randomInt } from 'node:crypto';
import type { IdentityPort } from '../bot/bot-ports.ts';
import type { Actor, Role } from '../core/case/case-types.ts';
import { isGroupChat } from '../core/messaging/rate-limiter.ts';
import type { Db } from './prisma-client.ts';

const hash = (code: string) => createHash('sha256').update(code.trim().toUpperCase()).digest('hex');
// No 0/O or 1/I: codes are read aloud and typed on phones.
const ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';

/** On Telegram and WeChat a person's private chat has their user id; a group is never a push address. */
const privateChat = (userId: string, chatId: string) => (isGroupChat(chatId) ? userId : chatId);

type PersonRow = { id: number; role: string; streetId: number | null; departmentId: number | null; displayName: string };
export const toActor = (p: PersonRow): Actor => ({ personId: p.id, role: p.role as Role, streetId: p.streetId, departmentId: p.departmentId, displayName: p.displayName });

export function createIdentityStore(db: Db): IdentityPort {
  return {
    async resolve(channel, userId, chatId, displayName) {
      const found = await db.chatIdentity.findUnique({ where: { channel_externalId: { channel, externalId: userId } }, include: { person: true } });
      if (found) {
        // Pushes go to the person's private chat: a message in a group never moves them there.
        if (found.chatId !== chatId && !isGroupChat(chatId)) await db.chatIdentity.update({ where: { id: found.id }, data: { chatId } });
        if (found.blockedAt) await db.chatIdentity.update({ where: { id: found.id }, data: { blockedAt: null } }); // they wrote again: unblocked
        return { actor: toActor(found.person), isNew: false };
      }
      const person = await db.person.create({
        data: { displayName: displayName?.slice(0, 40) || '居民', role: 'resident', identities: { create: { channel, externalId: userId, chatId: privateChat(userId, chatId) } } },
      });
      return { actor: toActor(person), isNew: true };
    },
    async bind(channel, userId, chatId, code, now) {
      return db.$transaction(async (tx) => {
        const bc = await tx.bindCode.findUnique({ where: { codeHash: hash(code) } });
        if (!bc || bc.usedAt || bc.expiresAt <= now) return null;
        const existing = await tx.chatIdentity.findUnique({ where: { channel_externalId: { channel, externalId: userId } } });
        const person = await tx.person.create({ data: { displayName: bc.displayName, role: bc.role, streetId: bc.streetId, departmentId: bc.departmentId } });
        const direct = privateChat(userId, chatId);
        if (existing) await tx.chatIdentity.update({ where: { id: existing.id }, data: { personId: person.id, chatId: direct } });
        else await tx.chatIdentity.create({ data: { channel, externalId: userId, chatId: direct, personId: person.id } });
        await tx.bindCode.update({ where: { id: bc.id }, data: { usedAt: now, usedById: person.id } });
        return toActor(person);
      });
    },
  };
}

/** An administrator issues a one-time code; only its hash is stored. */
export async function issueBindCode(db: Db, p: { role: Role; displayName: string; streetName?: string; departmentName?: string; validHours?: number; now?: Date }): Promise<string> {
  const code = Array.from({ length: 8 }, () => ALPHABET[randomInt(ALPHABET.length)]).join('');
  const street = p.streetName ? await db.street.findUniqueOrThrow({ where: { name: p.streetName } }) : null;
  const department = p.departmentName ? await db.department.findUniqueOrThrow({ where: { name: p.departmentName } }) : null;
  const now = p.now ?? new Date();
  await db.bindCode.create({
    data: { codeHash: hash(code), role: p.role, displayName: p.displayName, streetId: street?.id ?? null, departmentId: department?.id ?? null, expiresAt: new Date(now.getTime() + (p.validHours ?? 72) * 3_600_000) },
  });
  return code;
}
