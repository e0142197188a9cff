import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import type { Engine } from './db-engine.ts';
import { engineOfClient, pgPreparedReadOf, pgReadOf, type Db } from './prisma-client.ts';
import { pgReadMany } from './pg-read-many.ts';
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

/** Several reads in one message, answered in one message (each its rows or its error). */
export interface BatchRequest {
  id: number;
  batch: Array<Omit<ReadRequest, 'id'>>;
}
export type BatchResponse = { id: number; results: Array<{ rows: Record<string, unknown>[] } | { error: string }> };

export type ReadFn = <T = Record<string, unknown>>(sql: string, ...args: SqlValue[]) => Promise<T[]>;

/** A read function and the engine it runs on, so callers pick the SQL (sql-dialect.ts); `?` placeholders on both. */
export interface ReadQuery extends ReadFn {
  readonly dialect: Engine;
  /**
   * Several statements in one trip, when the reader has it (the pool: one message to a thread
   * and one back, instead of a message and a thread woken per statement). batchedReads() uses
   * it; callers that wrap a ReadQuery may leave it out.
   */
  readonly many?: (reads: ReadonlyArray<Omit<ReadRequest, 'id'>>) => Promise<Record<string, unknown>[][]>;
  /**
   * The same reader with its statements prepared by name once per connection, when it has such a
   * thing (PostgreSQL: PgSql.readPrepared). Only for fixed texts whose plan does not depend on the
   * values (lookups by key); a statistic over a period wants each plan made for its dates. The
   * reader threads keep their SQLite statements prepared anyway. See preparedReads().
   */
  readonly prepared?: ReadQuery;
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
db.pragma('cache_size = -' + workerData.cacheKib);
const statements = new Map();
function run(req) {
  let st = statements.get(req.sql);
  if (!st) {
    st = db.prepare(req.sql);
    statements.set(req.sql, st);
    if (statements.size > 200) statements.delete(statements.keys().next().value);
  }
  return st.all(...req.args);
}
const failed = (err) => String((err && err.message) || err);
parentPort.on('message', (req) => {
  if (req.batch) {
    const results = req.batch.map((r) => {
      try {
        return { rows: run(r) };
      } catch (err) {
        return { error: failed(err) };
      }
    });
    parentPort.postMessage({ id: req.id, results });
    return;
  }
  try {
    parentPort.postMessage({ id: req.id, rows: run(req) });
  } catch (err) {
    parentPort.postMessage({ id: req.id, error: failed(err) });
  }
});
`;

/**
 * Each reader connection's page cache, in KiB (better-sqlite3's build default is 16 MB). A team
 * lead's capped search count reads about 2,600 cases scattered over a 1M-case file; with the
 * default each rotation of terms read many again from the OS (10-30 ms a count, 4-15 with 64 MB).
 * Two readers: 128 MB at most, taken only as pages are read.
 */
export const READER_CACHE_KIB = 65_536;

/** How many statements of a batch one thread takes before the batch is shared between threads. */
const BATCH_PER_THREAD = 8;

/** The file a `file:` DATABASE_URL names (query parameters dropped). */
export function sqliteFileOf(databaseUrl: string): string {
  return databaseUrl.replace(/^file:/, '').replace(/\?.*$/, '');
}

export function createReaderPool(databaseUrl: string, size = 2): ReaderPool {
  const driver = createRequire(import.meta.url).resolve('better-sqlite3');
  const file = sqliteFileOf(databaseUrl);
  let next = 1;
  let closed = false;
  // A batch's answer is its rows per statement; the pending entry takes either shape.
  const pending = new Map<number, { resolve: (rows: never) => void; reject: (e: Error) => void }>();
  interface Slot {
    worker: Worker;
    busy: Set<number>;
  }
  const slots: Slot[] = [];

  function spawn(i: number): void {
    const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { driver, file, cacheKib: READER_CACHE_KIB } });
    const slot: Slot = { worker, busy: new Set() };
    worker.on('message', (res: ReadResponse | BatchResponse) => {
      slot.busy.delete(res.id);
      if (slot.busy.size === 0) worker.unref();
      const p = pending.get(res.id);
      pending.delete(res.id);
      if (!p) return;
      if ('error' in res) p.reject(new Error(res.error));
      else if ('results' in res) p.resolve(res.results as never);
      else p.resolve(res.rows as never);
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

  const send = <R>(message: (id: number) => ReadRequest | BatchRequest) =>
    new Promise<R>((resolve, reject) => {
      if (closed) return reject(new Error('the reader pool is closed'));
      const id = next++;
      // The least busy thread: one slow year-long read does not queue the short ones behind it.
      const slot = slots.reduce((a, b) => (b.busy.size < a.busy.size ? b : a));
      pending.set(id, { resolve: resolve as (rows: never) => void, reject });
      slot.busy.add(id);
      slot.worker.ref();
      slot.worker.postMessage(message(id));
    });
  const read: ReadFn = <T>(sql: string, ...args: SqlValue[]) =>
    send<T[]>((id) => ({ id, sql, args }) satisfies ReadRequest);
  // A batch goes to one thread, run one statement after the other; a long one (more than
  // BATCH_PER_THREAD statements: the misses that fill a cache of whole days) is split between
  // threads so they work on it together.
  const many = async (reads: ReadonlyArray<Omit<ReadRequest, 'id'>>): Promise<Record<string, unknown>[][]> => {
    const parts = Math.min(slots.length, Math.ceil(reads.length / BATCH_PER_THREAD));
    const chunks = Array.from({ length: parts }, (_, k) => reads.filter((_, i) => i % parts === k));
    const answers = await Promise.all(
      chunks.map((batch) => send<BatchResponse['results']>((id) => ({ id, batch: [...batch] }) satisfies BatchRequest)),
    );
    return reads.map((_, i) => {
      const r = answers[i % parts]![Math.floor(i / parts)]!;
      if ('error' in r) throw new Error(r.error);
      return r.rows;
    });
  };
  const all: ReadQuery = Object.assign(read, { dialect: 'sqlite' as const, many });

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
    // `many`: the reads batchedReads() gathers go as one statement (pg-read-many.ts).
    const read = pgReadOf(db);
    const named = pgPreparedReadOf(db);
    return Object.assign(<T>(text: string, ...args: SqlValue[]) => read<T>(text, ...args), {
      dialect: 'postgres' as const,
      many: pgReadMany(read),
      prepared: Object.assign(<T>(text: string, ...args: SqlValue[]) => named<T>(text, ...args), {
        dialect: 'postgres' as const,
        many: pgReadMany(named),
      }),
    });
  }
  return Object.assign(<T>(sql: string, ...args: SqlValue[]) => db.$queryRawUnsafe<T[]>(sql, ...args), {
    dialect: 'sqlite' as const,
  });
}

/** `read`, its statements prepared by name when it can (ReadQuery.prepared): for fixed lookups by key. */
export const preparedReads = (read: ReadQuery): ReadQuery => read.prepared ?? read;

/**
 * A reader that sends together what is asked of it in one go: every read issued before the
 * current microtasks run out (the statements an aggregation starts at once, in its Promise.all
 * calls) leaves as one `many` batch when `read` has it, or one by one as before. On the pool
 * that is one message to a reader thread and one back instead of a pair per statement: with
 * 16 requests at once, each pair's post and wake-up is event-loop time every request waits for.
 * A statement's error rejects its own read only.
 */
export function batchedReads(read: ReadQuery): ReadQuery {
  const many = read.many;
  if (!many) return read;
  type Queued = Omit<ReadRequest, 'id'> & { resolve: (rows: never) => void; reject: (e: unknown) => void };
  let queue: Queued[] = [];
  const flush = () => {
    const reads = queue;
    queue = [];
    if (reads.length === 1) {
      const [r] = reads as [Queued];
      read(r.sql, ...r.args).then(r.resolve as (rows: unknown) => void, r.reject);
      return;
    }
    many(reads.map(({ sql, args }) => ({ sql, args }))).then(
      (rows) => reads.forEach((r, i) => r.resolve(rows[i] as never)),
      // One failed statement: each read again on its own, so only its own caller sees the error.
      () => reads.forEach((r) => read(r.sql, ...r.args).then(r.resolve as (rows: unknown) => void, r.reject)),
    );
  };
  const batched = <T>(sql: string, ...args: SqlValue[]) =>
    new Promise<T[]>((resolve, reject) => {
      if (queue.length === 0) queueMicrotask(flush);
      queue.push({ sql, args, resolve: resolve as (rows: never) => void, reject });
    });
  return Object.assign(batched, { dialect: read.dialect, many });
}
