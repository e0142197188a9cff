import type { ProcessedUpdatePort } from '../bot/bot-runtime.ts';
import type { Db } from './prisma-client.ts';

/** Inbound idempotency by (channel, update id): the primary key makes the claim atomic. */
export function createProcessedUpdateStore(db: Db): ProcessedUpdatePort {
  return {
    async claim(channel, updateId) {
      const inserted = await db.$executeRaw`INSERT OR IGNORE INTO "ProcessedUpdate" ("channel", "updateId", "processedAt") VALUES (${channel}, ${updateId}, ${new Date()})`;
      return inserted === 1;
    },
    async release(channel, updateId) {
      await db.processedUpdate.deleteMany({ where: { channel, updateId } });
    },
  };
}
