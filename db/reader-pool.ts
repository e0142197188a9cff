import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import type { Engine } from './db-engine.ts';
import { engineOfClient, pgReadOf, type Db } from './prisma-client.ts';
import type { SqlValue } from './sql-connection.ts';

/**
 * Long reads off the event loop. better-sqlite3 is synchronous: a statistics miss or an export
 * over a year of cases holds the main thread for as long as SQLite works, and every other
 * request (/healthz included) waits. Here a few worker threads each hold a read-only connection
 * to the same file (WAL mode: readers see the last commit and never block the writer), run the
 * statement and post the rows back; the main thread only awaits.
 *
 * Without a pool attached (tests, scripts) readerOf() falls back to the main connection through
 * Prisma, with the same results; on PostgreSQL, whose driver is asynchronous anyway, to the
 * store's SQL unit (`?` numbered as `$n`).
 */

/** One read: SQL with `?` placeholders and its arguments. */
export interface ReadRequest {
  id: number;
  sql: string;
  args: SqlValue[];
}

/** Its answer: the rows, or the error message SQLite gave. */
export type ReadResponse = { id: number; rows: Record<string, unknown>[] } | { id: number; error: string };

export type ReadFn = <T = Record<string, unknown>>(sql: string, ...args: SqlValue[]) => Promise<T[]>;

/** A read function and the engine it runs on, so callers pick the SQL (sql-dialect.ts); `?` placeholders on both. */
export interface ReadQuery extends ReadFn {
  readonly dialect: Engine;
}

export interface ReaderPool {
  all: ReadQuery;
  close(): Promise<void>;
}

// The worker, as CommonJS source: it needs no TypeScript loader, so it runs the same under
// `node --import tsx`, vitest and a build. The driver's path is resolved here and handed over.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.file, { readonly: true, fileMustExist: true });
db.pragma('busy_timeout = 5000');
const statements = new Map();
parentPort.on('message', (req) => {
  try {
    let st = statements.get(req.sql);
    if (!st) {
      st = db.prepare(req.sql);
      statements.set(req.sql, st);
      if (statements.size > 200) statements.delete(statements.keys().next().value);
    }
    parentPort.postMessage({ id: req.id, rows: st.all(...req.args) });
  } catch (err) {
    parentPort.postMessage({ id: req.id, error: String((err && err.message) || err) });
  }
});
`;

/** The file a `file:` DATABASE_URL names (query parameters dropped). */
export function sqliteFileOf(databaseUrl: string): string {
  return databaseUrl.replace(/^file:/, '').replace(/\?.*$/, '');
}

export function createReaderPool(databaseUrl: string, size = 2): ReaderPool {
  const driver = createRequire(import.meta.url).resolve('better-sqlite3');
  const file = sqliteFileOf(databaseUrl);
  let next = 1;
  let closed = false;
  const pending = new Map<number, { resolve: (rows: Record<string, unknown>[]) => void; reject: (e: Error) => void }>();
  interface Slot {
    worker: Worker;
    busy: Set<number>;
  }
  const slots: Slot[] = [];

  function spawn(i: number): void {
    const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { driver, file } });
    const slot: Slot = { worker, busy: new Set() };
    worker.on('message', (res: ReadResponse) => {
      slot.busy.delete(res.id);
      if (slot.busy.size === 0) worker.unref();
      const p = pending.get(res.id);
      pending.delete(res.id);
      if (!p) return;
      if ('error' in res) p.reject(new Error(res.error));
      else p.resolve(res.rows);
    });
    // A worker that dies takes its reads with it: they fail, and a fresh worker takes its place.
    const lost = (err: unknown) => {
      for (const id of slot.busy) {
        pending.get(id)?.reject(err instanceof Error ? err : new Error(String(err)));
        pending.delete(id);
      }
      slot.busy.clear();
      if (!closed && slots[i] === slot) spawn(i);
    };
    worker.on('error', lost);
    worker.on('exit', (code) => {
      if (!closed) lost(new Error(`reader thread exited (${code})`));
    });
    // Idle threads do not keep the process alive; a thread with a read in flight does (below),
    // or a script awaiting its last read would exit with the promise unsettled.
    worker.unref();
    slots[i] = slot;
  }
  for (let i = 0; i < Math.max(1, size); i++) spawn(i);

  const read: ReadFn = <T>(sql: string, ...args: SqlValue[]) =>
    new Promise<T[]>((resolve, reject) => {
      if (closed) return reject(new Error('the reader pool is closed'));
      const id = next++;
      // The least busy thread: one slow year-long read does not queue the short ones behind it.
      const slot = slots.reduce((a, b) => (b.busy.size < a.busy.size ? b : a));
      pending.set(id, { resolve: resolve as (rows: Record<string, unknown>[]) => void, reject });
      slot.busy.add(id);
      slot.worker.ref();
      slot.worker.postMessage({ id, sql, args } satisfies ReadRequest);
    });
  const all: ReadQuery = Object.assign(read, { dialect: 'sqlite' as const });

  return {
    all,
    async close() {
      closed = true;
      await Promise.all(slots.map((s) => s.worker.terminate()));
      for (const p of pending.values()) p.reject(new Error('the reader pool is closed'));
      pending.clear();
    },
  };
}

const pools = new WeakMap<Db, ReaderPool>();

/** Heavy reads on `db` go to this pool from now on (main.ts, benchmarks, tests that ask for it). */
export function attachReaderPool(db: Db, pool: ReaderPool): void {
  pools.set(db, pool);
}

/** Where heavy reads on `db` run: the attached pool, the main connection through Prisma, or on PostgreSQL the store's SQL unit. */
export function readerOf(db: Db): ReadQuery {
  const pool = pools.get(db);
  if (pool) return pool.all;
  if (engineOfClient(db) === 'postgres') {
    // The store's own pool (pg-sql-connection.ts) numbers the `?` placeholders and reads
    // timestamps and counts as the SQLite statements give them; Prisma's raw query would do
    // neither. One statement needs no transaction: one round trip, not BEGIN/statement/COMMIT.
    const read = pgReadOf(db);
    return Object.assign(<T>(text: string, ...args: SqlValue[]) => read<T>(text, ...args), {
      dialect: 'postgres' as const,
    });
  }
  return Object.assign(<T>(sql: string, ...args: SqlValue[]) => db.$queryRawUnsafe<T[]>(sql, ...args), {
    dialect: 'sqlite' as const,
  });
}
