import { PrismaBetterSqlite3 } from '@prisma/adapter-better-sqlite3';
import { PrismaClient } from '../prisma/generated/client.ts';

export type Db = PrismaClient;
/** A Prisma transaction client: what repository methods accept to join a use-case's transaction. */
export type Tx = Omit<PrismaClient, '$connect' | '$disconnect' | '$on' | '$transaction' | '$extends'>;

/**
 * One Prisma client over better-sqlite3, set up for a server: WAL so readers never block
 * the writer, synchronous=NORMAL (durable against a process crash, which WAL guarantees),
 * foreign keys on, and a busy timeout so a second process waits instead of failing.
 */
export async function createPrismaClient(databaseUrl: string, busyTimeoutMs = 5000): Promise<Db> {
  const adapter = new PrismaBetterSqlite3({ url: databaseUrl, timeout: busyTimeoutMs });
  const db = new PrismaClient({ adapter });
  await db.$queryRawUnsafe('PRAGMA journal_mode = WAL');
  await db.$executeRawUnsafe('PRAGMA synchronous = NORMAL');
  await db.$executeRawUnsafe('PRAGMA foreign_keys = ON');
  await db.$executeRawUnsafe(`PRAGMA busy_timeout = ${Math.trunc(busyTimeoutMs)}`);
  return db;
}
