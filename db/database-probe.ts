import pg from 'pg';
import { pgUrlOf, type Db } from './prisma-client.ts';

/**
 * What /healthz asks of the database: does it answer a statement now. On PostgreSQL on a
 * connection of its own, outside Prisma's pool and the stores' (db/pg-sql-connection.ts): with
 * 16 clients' statistics or exports holding those pools' connections, a probe queued behind them
 * waited for a long read to end and said nothing about the server, and a balancer that polls
 * /healthz would take a busy process for a dead one. A pool of one connection rather than a
 * bare client: it reconnects by itself after the server restarts or a failover, and probes
 * asked at once take turns on it (a SELECT 1 each, well under a millisecond).
 * On SQLite the main connection answers (its statements are the process's own, never queued
 * behind another's: long reads run on the reader threads, db/reader-pool.ts).
 */
export interface DatabaseProbe {
  /** Resolves when the database answered, rejects with its error otherwise. */
  check(): Promise<void>;
  close(): Promise<void>;
}

/** How long a probe waits for a connection or an answer before it calls the database unavailable. */
export const PROBE_TIMEOUT_MS = 5_000;

export function createDatabaseProbe(db: Db): DatabaseProbe {
  const url = pgUrlOf(db);
  if (!url)
    return {
      check: async () => {
        await db.$queryRawUnsafe('SELECT 1');
      },
      close: async () => {},
    };
  const pool = new pg.Pool({
    connectionString: url,
    max: 1,
    connectionTimeoutMillis: PROBE_TIMEOUT_MS,
    query_timeout: PROBE_TIMEOUT_MS,
    // An idle probe connection does not keep a script or a test's process alive.
    allowExitOnIdle: true,
  });
  // A broken idle connection is an 'error' event, which unheard would end the process; the pool
  // drops it and the next probe connects afresh (and fails, and says so, if the server is gone).
  pool.on('error', () => {});
  return {
    check: async () => {
      await pool.query('SELECT 1');
    },
    close: () => pool.end(),
  };
}
