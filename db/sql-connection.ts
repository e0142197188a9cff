import type { SqlDriverAdapter, SqlDriverAdapterFactory, Transaction } from '@prisma/driver-adapter-utils';
import fs from 'node:fs';
import type Database from 'better-sqlite3';
import { ConnectionGate } from './connection-gate.ts';
import type { Engine } from './db-engine.ts';

export type SqlValue = string | number | bigint | Buffer | null;

/**
 * Statements inside a unit of work, with `?` placeholders, on either engine: on SQLite the
 * shared connection's prepared statements (settled at once), on PostgreSQL a pooled
 * connection's transaction (pg-sql-connection.ts). `dialect` picks SQL where the two differ
 * (sql-dialect.ts). An insert that needs its id says `RETURNING "id"` and uses get().
 */
export interface SqlTx {
  readonly dialect: Engine;
  get<T>(sql: string, ...params: SqlValue[]): Promise<T | undefined>;
  all<T>(sql: string, ...params: SqlValue[]): Promise<T[]>;
  run(sql: string, ...params: SqlValue[]): Promise<{ changes: number }>;
}

/**
 * Prepared statements on the very connection Prisma uses. Prisma costs about 0.3 ms a query
 * here and a prepared statement about 0.01 ms, so the paths every chat message takes use this.
 */
export interface Sql {
  /**
   * One unit of work: all of `fn`'s statements commit together, or none if it throws. The
   * promise settles once the unit is committed. `fn` gets the connection to itself, so it
   * must use `tx` only: opening another unit, or a Prisma query, from inside it never returns.
   */
  transaction<T>(fn: (tx: SqlTx) => Promise<T> | T): Promise<T>;
  /**
   * A unit of exactly one statement. On PostgreSQL a statement is atomic on its own, so it runs
   * without BEGIN and COMMIT: one round trip instead of three (a second statement in it throws).
   * On SQLite it is a unit like any other.
   */
  statement<T>(fn: (tx: SqlTx) => Promise<T>): Promise<T>;
}

/** Most units a batch holds before it is committed even though more are waiting. */
const MAX_UNITS_PER_COMMIT = 32;

/**
 * better-sqlite3 gives one connection, and Prisma's adapter lets a query run on it while an
 * interactive transaction is open there, so the query silently joins that transaction and is
 * rolled back with it. One gate fixes that and lets raw statements share the connection: a
 * Prisma transaction, a raw unit of work and a lone Prisma query never overlap.
 *
 * Group commit: a commit costs ~0.1 ms of write() calls, more than the statements of a typical
 * unit. A finished unit's transaction stays open (its statements behind a released savepoint)
 * until the event loop's next check phase, so the units other chats run meanwhile join it; the
 * batch is committed then, before Prisma next touches the connection, or at
 * MAX_UNITS_PER_COMMIT. Only then are the units' promises settled: nothing is acknowledged
 * before it is committed, and (walSync, the default) before the WAL is fsynced, off the loop.
 */
export function createSharedConnection(
  inner: SqlDriverAdapterFactory,
  opts: { walSync?: boolean } = {},
): { factory: SqlDriverAdapterFactory; sql: Sql; durability: WalDurability } {
  const gate = new ConnectionGate();
  let client: Database.Database | null = null;
  const wal = walSyncer(() => client, opts.walSync === true);
  const statements = new Map<string, Database.Statement>();
  let batch: { units: number; settle: Array<{ resolve: () => void; reject: (err: unknown) => void }> } | null = null;

  function prepared(sql: string): Database.Statement {
    let stmt = statements.get(sql);
    if (!stmt) {
      if (!client) throw new Error('the database is not connected yet');
      // Prisma's adapter turns on safe integers for the connection; ids here fit in a double.
      stmt = client.prepare(sql).safeIntegers(false);
      statements.set(sql, stmt);
    }
    return stmt;
  }

  // Synchronous underneath; the batch's own BEGIN/COMMIT/SAVEPOINT use `direct`.
  const direct = {
    get: <T>(sql: string, ...params: SqlValue[]) => prepared(sql).get(...params) as T | undefined,
    all: <T>(sql: string, ...params: SqlValue[]) => prepared(sql).all(...params) as T[],
    run: (sql: string, ...params: SqlValue[]) => ({ changes: prepared(sql).run(...params).changes }),
  };
  const tx: SqlTx = {
    dialect: 'sqlite',
    get: async (sql, ...params) => direct.get(sql, ...params),
    all: async (sql, ...params) => direct.all(sql, ...params),
    run: async (sql, ...params) => direct.run(sql, ...params),
  };

  function openBatch(): NonNullable<typeof batch> {
    if (!batch) {
      // IMMEDIATE: another process (a CLI script) makes us wait here, not fail at the first write.
      direct.run('BEGIN IMMEDIATE');
      batch = { units: 0, settle: [] };
    }
    return batch;
  }

  function commitBatch(): void {
    const b = batch;
    if (!b) return;
    batch = null;
    try {
      direct.run('COMMIT');
    } catch (err) {
      if (client?.inTransaction) direct.run('ROLLBACK');
      for (const s of b.settle) s.reject(err);
      return;
    }
    if (!wal.enabled) {
      for (const s of b.settle) s.resolve();
      return;
    }
    wal.committed().then(
      () => b.settle.forEach((s) => s.resolve()),
      (err: unknown) => b.settle.forEach((s) => s.reject(err)),
    );
  }

  /** SQLite ended the whole transaction by itself (an I/O error, a full disk): every unit in it is lost. */
  function failBatch(err: unknown): void {
    const b = batch;
    batch = null;
    for (const s of b?.settle ?? []) s.reject(err);
  }

  let flushScheduled = false;
  function scheduleFlush(): void {
    if (flushScheduled) return;
    flushScheduled = true;
    setImmediate(() => {
      flushScheduled = false;
      // A unit still running (awaiting) keeps the batch; its hand-over schedules the flush again.
      if (!gate.held) commitBatch();
    });
  }

  function handOver(): void {
    if (batch) {
      if (batch.units >= MAX_UNITS_PER_COMMIT || gate.next === 'prisma') commitBatch();
      else scheduleFlush();
    }
    gate.release();
  }

  /** Prisma runs outside any batch: what raw units left open is committed first. */
  const forPrisma =
    <R>(f: () => Promise<R>) =>
    () => {
      commitBatch();
      return f();
    };

  const sql: Sql = {
    statement: (fn) => sql.transaction(fn),
    async transaction(fn) {
      const turn = gate.acquire('raw');
      if (turn) await turn;
      let result: Awaited<ReturnType<typeof fn>> | undefined;
      let committed: Promise<void>;
      try {
        const b = openBatch();
        direct.run('SAVEPOINT unit');
        try {
          const r = fn(tx);
          result = r instanceof Promise ? await r : (r as Awaited<typeof r>);
          direct.run('RELEASE unit');
        } catch (err) {
          if (client?.inTransaction) {
            direct.run('ROLLBACK TO unit');
            direct.run('RELEASE unit');
          } else failBatch(err);
          throw err;
        }
        b.units += 1;
        committed = new Promise<void>((resolve, reject) => b.settle.push({ resolve, reject }));
      } finally {
        handOver();
      }
      await committed;
      return result as Awaited<ReturnType<typeof fn>>;
    },
  };

  const whenFree = <R>(f: () => Promise<R>): Promise<R> =>
    gate.held ? gate.run('prisma', forPrisma(f)) : forPrisma(f)();

  function gated(adapter: SqlDriverAdapter): SqlDriverAdapter {
    return {
      provider: adapter.provider,
      adapterName: adapter.adapterName,
      queryRaw: (q) => wal.after(whenFree(() => adapter.queryRaw(q))),
      executeRaw: (q) => wal.after(whenFree(() => adapter.executeRaw(q))),
      executeScript: (s) => wal.after(whenFree(() => adapter.executeScript(s))),
      ...(adapter.getConnectionInfo ? { getConnectionInfo: () => adapter.getConnectionInfo!() } : {}),
      async startTransaction(level) {
        const turn = gate.acquire('prisma');
        if (turn) await turn;
        try {
          commitBatch();
          return releasing(await adapter.startTransaction(level), () => gate.release(), wal.after);
        } catch (err) {
          gate.release();
          throw err;
        }
      },
      async dispose() {
        if (!gate.held) commitBatch();
        statements.clear();
        client = null;
        await wal.close();
        await adapter.dispose();
      },
    };
  }

  const factory: SqlDriverAdapterFactory = {
    provider: inner.provider,
    adapterName: inner.adapterName,
    async connect() {
      const adapter = await inner.connect();
      // The adapter keeps its better-sqlite3 handle in a public field; this is the one place that knows.
      client = (adapter as unknown as { client: Database.Database }).client;
      statements.clear();
      immediateTransactions(client);
      return gated(adapter);
    },
  };
  return { factory, sql, durability: wal };
}

/** The transaction, which opens the gate again when Prisma commits or rolls it back. */
function releasing(t: Transaction, release: () => void, durable: WalSyncer['after']): Transaction {
  let open = true;
  const finish = () => {
    if (open) {
      open = false;
      release();
    }
  };
  return {
    provider: t.provider,
    adapterName: t.adapterName,
    options: t.options,
    queryRaw: (q) => t.queryRaw(q),
    executeRaw: (q) => t.executeRaw(q),
    commit: () => durable(t.commit().finally(finish)),
    rollback: () => t.rollback().finally(finish),
    ...(t.createSavepoint ? { createSavepoint: (n: string) => t.createSavepoint!(n) } : {}),
    ...(t.rollbackToSavepoint ? { rollbackToSavepoint: (n: string) => t.rollbackToSavepoint!(n) } : {}),
    ...(t.releaseSavepoint ? { releaseSavepoint: (n: string) => t.releaseSavepoint!(n) } : {}),
  };
}

/**
 * Prisma's adapter opens its transactions with a plain (deferred) BEGIN: one that reads and then
 * writes while another process (the server, or a command-line tool beside it) has committed
 * meanwhile fails with SQLITE_BUSY at once, busy_timeout or not. BEGIN IMMEDIATE takes the write
 * lock first, so it waits on busy_timeout instead; in one process the gate serialises anyway.
 */
function immediateTransactions(client: Database.Database): void {
  const prepare = client.prepare.bind(client);
  client.prepare = ((source: string) =>
    prepare(source === 'BEGIN' ? 'BEGIN IMMEDIATE' : source)) as typeof client.prepare;
}

/** What tests and benchmarks can see of the WAL fsyncs done for commits (walSync). */
export interface WalDurability {
  readonly enabled: boolean;
  /** Commits (batches and Prisma writes) waiting on, or covered by, a WAL fsync. */
  readonly stats: { commits: number; durable: number; fsyncs: number };
}

interface WalSyncer extends WalDurability {
  /** Resolves once everything committed so far is on disk: one fsync shared by all who wait meanwhile. */
  durable(): Promise<void>;
  /**
   * A batch of raw units was just committed: durable() when it changed rows; a batch that only
   * read (every API request's sign-in, db/token-store.ts) waits for the fsync under way only, as
   * a read through Prisma does (after()), instead of starting one of its own that every request
   * and /healthz then waited for.
   */
  committed(): Promise<void>;
  /** `p`'s result, after the WAL fsync when the connection changed rows (Prisma's own writes). */
  after<T>(p: Promise<T>): Promise<T>;
  /** Waits for the fsync under way, then closes the WAL's descriptor (the connection is closing). */
  close(): Promise<void>;
}

/**
 * synchronous=FULL fsyncs the WAL inside COMMIT, on the event loop: with a photo report's eight or
 * so commits, about 2 ms of the loop's ~11 ms per report at intake. With walSync the connection
 * runs synchronous=NORMAL (COMMIT writes the WAL frames but does not fsync; SQLite still fsyncs at
 * every checkpoint, and NORMAL in WAL mode never corrupts) and Gridline fsyncs the WAL file itself
 * on libuv's thread pool before anything committed is acknowledged: a unit's promise, a Prisma
 * write or transaction commit. What was acknowledged is on disk, as with FULL; only the wait moved
 * off the loop. The -wal file keeps its inode while the connection is open (a checkpoint restart
 * rewrites and truncates it in place), so one descriptor serves the connection's life.
 */
function walSyncer(clientOf: () => Database.Database | null, enabled: boolean): WalSyncer {
  const stats = { commits: 0, durable: 0, fsyncs: 0 };
  let fd: number | null = null;
  let fdOf: Database.Database | null = null;
  let running: Promise<void> | null = null;
  let next: Promise<void> | null = null;
  let changesSeen = 0;
  let countOf: Database.Statement | null = null;

  const descriptor = (): number => {
    const client = clientOf();
    if (!client) throw new Error('the database is not connected');
    if (fd === null || fdOf !== client) {
      if (fd !== null) fs.closeSync(fd);
      fd = fs.openSync(`${client.name}-wal`, 'r');
      fdOf = client;
    }
    return fd;
  };

  function fsyncNow(): Promise<void> {
    const covered = stats.commits;
    return new Promise<void>((resolve, reject) => {
      let at: number;
      try {
        at = descriptor();
      } catch (err) {
        return reject(err);
      }
      stats.fsyncs += 1;
      fs.fsync(at, (err) => {
        if (err) return reject(err);
        stats.durable = Math.max(stats.durable, covered);
        resolve();
      });
    });
  }

  function durable(): Promise<void> {
    stats.commits += 1;
    return schedule();
  }

  function schedule(): Promise<void> {
    if (!running) {
      running = fsyncNow().finally(() => (running = null));
      return running;
    }
    // An fsync already running may have started before this commit's frames were written: the
    // next one, shared by every commit made meanwhile, covers them.
    next ??= running
      .then(
        () => undefined,
        () => undefined,
      )
      .then(() => {
        next = null;
        return schedule();
      });
    return next;
  }

  function changed(): boolean {
    const client = clientOf();
    if (!client?.open) return false;
    if (countOf?.database !== client) countOf = client.prepare('SELECT total_changes() AS n');
    const n = Number((countOf.get() as { n: number | bigint }).n);
    const moved = n !== changesSeen;
    changesSeen = n;
    return moved;
  }

  const underWay = async () => {
    await (next ?? running);
  };

  return {
    enabled,
    stats,
    durable,
    committed: () => (changed() ? durable() : underWay()),
    async after(p) {
      const r = await p;
      if (!enabled) return r;
      // A write waits for its own fsync; a read waits for one already under way, so nothing it
      // returns was written by a commit that is not on disk yet (as with FULL, where none is).
      if (changed()) await durable();
      else await underWay();
      return r;
    },
    async close() {
      await (next ?? running)?.catch(() => undefined);
      if (fd !== null) fs.closeSync(fd);
      fd = null;
      fdOf = null;
    },
  };
}
