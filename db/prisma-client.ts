import { PrismaBetterSqlite3 } from '@prisma/adapter-better-sqlite3';
import { PrismaPg } from '@prisma/adapter-pg';
import pg from 'pg';
import { PrismaClient } from '../prisma/generated/client.ts';
import { PrismaClient as PgPrismaClient } from '../prisma/generated-pg/client.ts';
import { engineOf, type Engine } from './db-engine.ts';
import { createPgSql, defaultPgPoolSize, tunePgSessions, type PgSql } from './pg-sql-connection.ts';
import { createSharedConnection, type Sql, type WalDurability } from './sql-connection.ts';

export type Db = PrismaClient;
/** A Prisma transaction client: what repository methods accept to join a use-case's transaction. */
export type Tx = Omit<PrismaClient, '$connect' | '$disconnect' | '$on' | '$transaction' | '$extends'>;

const rawByClient = new WeakMap<Db, Sql>();
const durabilityByClient = new WeakMap<Db, WalDurability>();
const pgByClient = new WeakMap<Db, PgSql>();
const pgClients = new WeakSet<Db>();
const pgUrls = new WeakMap<Db, string>();

/** Which engine a client made by createPrismaClient talks to (for SQL that differs: sql-dialect.ts). */
export const engineOfClient = (db: Db): Engine => (pgClients.has(db) ? 'postgres' : 'sqlite');

export interface ClientOptions {
  busyTimeoutMs?: number;
  /**
   * FULL (the default): the WAL is fsynced at every commit, so what was acknowledged survives a
   * power loss, as PostgreSQL promises by default; group commit (sql-connection.ts) shares one
   * fsync among the units of a batch. NORMAL survives a process crash only (benchmarks compare).
   */
  synchronous?: 'FULL' | 'NORMAL';
  /** journal_size_limit: a WAL that starts over is cut back to this (the checkpoint thread also restarts it past this size). */
  walLimitBytes?: number;
  /** PostgreSQL: connections in each of the two pools, Prisma's and the stores' (default: defaultPgPoolSize). */
  pgPoolSize?: number;
}

export const DEFAULT_WAL_LIMIT_BYTES = 16 * 1024 * 1024;

/**
 * One Prisma client over better-sqlite3, set up for a server: WAL so readers never block
 * the writer, synchronous=FULL (see ClientOptions), foreign keys on, and a busy timeout so a
 * second process waits instead of failing.
 */
export async function createPrismaClient(databaseUrl: string, opts: ClientOptions = {}): Promise<Db> {
  if (engineOf(databaseUrl) === 'postgres') return createPgPrismaClient(databaseUrl, opts.pgPoolSize);
  const busyTimeoutMs = opts.busyTimeoutMs ?? 5000;
  // FULL's fsync is done by Gridline on the thread pool (sql-connection.ts walSyncer), so the
  // connection itself runs NORMAL; an in-memory database has no WAL file to sync.
  const walSync = opts.synchronous !== 'NORMAL' && !/^file::memory:|^:memory:/.test(databaseUrl);
  const shared = createSharedConnection(new PrismaBetterSqlite3({ url: databaseUrl, timeout: busyTimeoutMs }), {
    walSync,
  });
  const db = new PrismaClient({ adapter: shared.factory });
  await db.$queryRawUnsafe('PRAGMA journal_mode = WAL');
  await db.$executeRawUnsafe(`PRAGMA synchronous = ${opts.synchronous === 'NORMAL' || walSync ? 'NORMAL' : 'FULL'}`);
  durabilityByClient.set(db, shared.durability);
  await db.$queryRawUnsafe(`PRAGMA journal_size_limit = ${Math.trunc(opts.walLimitBytes ?? DEFAULT_WAL_LIMIT_BYTES)}`);
  await db.$executeRawUnsafe('PRAGMA foreign_keys = ON');
  await db.$executeRawUnsafe(`PRAGMA busy_timeout = ${Math.trunc(busyTimeoutMs)}`);
  rawByClient.set(db, shared.sql);
  return db;
}

/** The WAL fsyncs Gridline does for a SQLite client's commits (sql-connection.ts walSyncer); undefined on PostgreSQL. */
export const walDurabilityOf = (db: Db): WalDurability | undefined => durabilityByClient.get(db);

/** Prepared statements on the client's own connection (see sql-connection.ts), for hot paths. */
export function sqlOf(db: Db): Sql {
  const sql = rawByClient.get(db);
  if (!sql) throw new Error('this Prisma client was not made by createPrismaClient');
  return sql;
}

/** The server a PostgreSQL client made by createPrismaClient talks to (undefined on SQLite): for a connection of its own (db/database-probe.ts). */
export const pgUrlOf = (db: Db): string | undefined => pgUrls.get(db);

function pgSqlOf(db: Db): PgSql {
  const sql = pgByClient.get(db);
  if (!sql) throw new Error('this Prisma client is not a PostgreSQL client made by createPrismaClient');
  return sql;
}

/** A lone statement outside any unit of work on a PostgreSQL client (PgSql.read), for readerOf. */
export const pgReadOf = (db: Db): PgSql['read'] => pgSqlOf(db).read;

/** pgReadOf's statement prepared by name (PgSql.readPrepared): for fixed texts looked up by key. */
export const pgPreparedReadOf = (db: Db): PgSql['readPrepared'] => pgSqlOf(db).readPrepared;

/**
 * The same client on PostgreSQL: generated from the derived schema (scripts/prisma-schema-pg.mjs)
 * into prisma/generated-pg, whose types accept everything the SQLite client's do
 * (test/contract/engine-types.test.ts), so the code keeps one `Db` type. The stores' units of
 * work get their own pool (pg-sql-connection.ts), closed with the client.
 */
async function createPgPrismaClient(databaseUrl: string, poolSize = defaultPgPoolSize()): Promise<Db> {
  // Only $transaction's isolation levels differ (PostgreSQL has more): the cast widens nothing the code uses.
  // Prisma's pool with the same session settings and size as the units' (tunePgSessions), closed with the client.
  const adapter = new PrismaPg(new pg.Pool(tunePgSessions({ connectionString: databaseUrl, max: poolSize })), {
    disposeExternalPool: true,
  });
  const pgClient = new PgPrismaClient({ adapter }) as unknown as Db;
  const sql = createPgSql(databaseUrl, { max: poolSize });
  const disconnect = pgClient.$disconnect.bind(pgClient);
  // Callers disconnect the client only: the units' pool must close with it, or it keeps the process alive.
  pgClient.$disconnect = async () => {
    await Promise.all([disconnect(), sql.close()]);
  };
  await pgClient.$queryRawUnsafe('SELECT 1');
  rawByClient.set(pgClient, sql);
  pgByClient.set(pgClient, sql);
  pgClients.add(pgClient);
  pgUrls.set(pgClient, databaseUrl);
  return pgClient;
}
