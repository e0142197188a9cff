import { AsyncLocalStorage } from 'node:async_hooks';
import type { SqlDriverAdapter, SqlDriverAdapterFactory, Transaction } from '@prisma/driver-adapter-utils';
import { Mutex } from 'async-mutex';
import type Database from 'better-sqlite3';

export type SqlValue = string | number | bigint | Buffer | null;

/** Statements on the shared connection, inside a unit of work that holds it. */
export interface SqlTx {
  get<T>(sql: string, ...params: SqlValue[]): T | undefined;
  all<T>(sql: string, ...params: SqlValue[]): T[];
  run(sql: string, ...params: SqlValue[]): { changes: number; lastInsertRowid: number };
}

/**
 * Prepared statements on the very connection Prisma uses. Prisma costs about 0.3 ms a query
 * here and a prepared statement about 0.01 ms, so the paths every chat message takes use this.
 */
export interface Sql {
  /** One SQLite transaction (BEGIN IMMEDIATE … COMMIT, rolled back if `fn` throws). */
  transaction<T>(fn: (tx: SqlTx) => Promise<T> | T): Promise<T>;
  /** Statements that need no transaction of their own: each one commits by itself. */
  exclusive<T>(fn: (tx: SqlTx) => T): Promise<T>;
}

/**
 * better-sqlite3 gives one connection, and Prisma's adapter lets a query run on it while an
 * interactive transaction is open there, so the query silently joins that transaction and is
 * rolled back with it. One gate fixes that and lets raw statements share the connection: a
 * Prisma transaction, a raw unit of work and a lone Prisma query never overlap. Queries issued
 * from inside a raw unit of work run at once and join it.
 */
export function createSharedConnection(inner: SqlDriverAdapterFactory): { factory: SqlDriverAdapterFactory; sql: Sql } {
  const gate = new Mutex();
  const inUnit = new AsyncLocalStorage<true>();
  let client: Database.Database | null = null;
  const statements = new Map<string, Database.Statement>();

  const whenFree = <R>(f: () => Promise<R>): Promise<R> => (inUnit.getStore() || !gate.isLocked() ? f() : gate.runExclusive(f));

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

  const tx: SqlTx = {
    get: <T>(sql: string, ...params: SqlValue[]) => prepared(sql).get(...params) as T | undefined,
    all: <T>(sql: string, ...params: SqlValue[]) => prepared(sql).all(...params) as T[],
    run: (sql, ...params) => {
      const r = prepared(sql).run(...params);
      return { changes: r.changes, lastInsertRowid: Number(r.lastInsertRowid) };
    },
  };

  function refuseNesting(): void {
    if (inUnit.getStore()) throw new Error('a unit of work cannot open another on the same connection');
  }

  const sql: Sql = {
    async transaction(fn) {
      refuseNesting();
      return gate.runExclusive(() =>
        inUnit.run(true, async () => {
          // IMMEDIATE: another process (a CLI script) makes us wait here, not fail at the first write.
          tx.run('BEGIN IMMEDIATE');
          try {
            const result = await fn(tx);
            tx.run('COMMIT');
            return result;
          } catch (err) {
            if (client?.inTransaction) tx.run('ROLLBACK');
            throw err;
          }
        }),
      );
    },
    async exclusive(fn) {
      refuseNesting();
      if (!gate.isLocked()) return fn(tx);
      return gate.runExclusive(() => fn(tx));
    },
  };

  function gated(adapter: SqlDriverAdapter): SqlDriverAdapter {
    return {
      provider: adapter.provider,
      adapterName: adapter.adapterName,
      queryRaw: (q) => whenFree(() => adapter.queryRaw(q)),
      executeRaw: (q) => whenFree(() => adapter.executeRaw(q)),
      executeScript: (s) => whenFree(() => adapter.executeScript(s)),
      ...(adapter.getConnectionInfo ? { getConnectionInfo: () => adapter.getConnectionInfo!() } : {}),
      async startTransaction(level) {
        refuseNesting();
        const release = await gate.acquire();
        try {
          return releasing(await adapter.startTransaction(level), release);
        } catch (err) {
          release();
          throw err;
        }
      },
      async dispose() {
        statements.clear();
        client = null;
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
      return gated(adapter);
    },
  };
  return { factory, sql };
}

/** The transaction, which opens the gate again when Prisma commits or rolls it back. */
function releasing(t: Transaction, release: () => void): Transaction {
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
    commit: () => t.commit().finally(finish),
    rollback: () => t.rollback().finally(finish),
    ...(t.createSavepoint ? { createSavepoint: (n: string) => t.createSavepoint!(n) } : {}),
    ...(t.rollbackToSavepoint ? { rollbackToSavepoint: (n: string) => t.rollbackToSavepoint!(n) } : {}),
    ...(t.releaseSavepoint ? { releaseSavepoint: (n: string) => t.releaseSavepoint!(n) } : {}),
  };
}
