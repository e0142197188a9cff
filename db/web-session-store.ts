import { createHash, randomBytes } from 'node:crypto';
import type { Actor } from '../core/case/case-types.ts';
import { toActor } from './identity-store.ts';
import { hashLoginToken } from './login-link-store.ts';
import type { Db } from './prisma-client.ts';

export const SESSION_HOURS = 12;
const hash = (token: string) => createHash('sha256').update(token).digest('hex');

/** Cookie sessions for the dashboard and the web chat; only the token's hash is stored. */
export function createWebSessionStore(db: Db) {
  return {
    async open(personId: number, now = new Date()): Promise<{ token: string; expiresAt: Date }> {
      const token = randomBytes(32).toString('base64url');
      const expiresAt = new Date(now.getTime() + SESSION_HOURS * 3_600_000);
      await db.webSession.create({ data: { tokenHash: hash(token), personId, expiresAt } });
      return { token, expiresAt };
    },
    async actorFor(token: string, now = new Date()): Promise<Actor | null> {
      const s = await db.webSession.findUnique({ where: { tokenHash: hash(token) } });
      if (!s || s.expiresAt <= now) return null;
      const p = await db.person.findUnique({ where: { id: s.personId } });
      return p && p.active ? toActor(p) : null;
    },
    async close(token: string): Promise<void> {
      await db.webSession.deleteMany({ where: { tokenHash: hash(token) } });
    },
    /** Redeems a one-time /login link from the bot: valid once, for 15 minutes. */
    async redeemLoginLink(token: string, now = new Date()): Promise<number | null> {
      return db.$transaction(async (tx) => {
        const link = await tx.loginLink.findUnique({ where: { tokenHash: hashLoginToken(token) } });
        if (!link || link.usedAt || link.expiresAt <= now) return null;
        await tx.loginLink.update({ where: { id: link.id }, data: { usedAt: now } });
        return link.personId;
      });
    },
  };
}

export type WebSessionStore = ReturnType<typeof createWebSessionStore>;
