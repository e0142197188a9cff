import { createHash, randomBytes } from 'node:crypto';
import type { LoginLinkPort } from '../bot/bot-ports.ts';
import type { Db } from './prisma-client.ts';

export const LOGIN_LINK_MINUTES = 15;
export const hashLoginToken = (token: string) => createHash('sha256').update(token).digest('hex');

/** One-time dashboard sign-in links sent by the bot on /login; only the hash is stored. */
export function createLoginLinkStore(db: Db): LoginLinkPort {
  return {
    async create(personId, now) {
      const token = randomBytes(24).toString('base64url');
      await db.loginLink.create({
        data: {
          tokenHash: hashLoginToken(token),
          personId,
          expiresAt: new Date(now.getTime() + LOGIN_LINK_MINUTES * 60_000),
        },
      });
      return token;
    },
  };
}
