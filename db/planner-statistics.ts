import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import { engineOf } from './db-engine.ts';
import type { Db } from './prisma-client.ts';

export interface OptimizeResult {
  /** How long the thread's `PRAGMA optimize` ran, pauses between tables included. */
  ms: number;
  /** Rows in sqlite_stat1 afterwards. */
  statRows: number;
  /** Whether it (re)analysed anything; if so every connection reloads the statistics. */
  changed: boolean;
  /** The indexes (or index-less tables) analysed, each with how long it held the write lock. */
  tables: Array<{ sql: string; ms: number }>;
}

/**
 * Rows SQLite samples per index when it analyses (PRAGMA analysis_limit; SQLite's docs suggest
 * 100 to 1000). At 1M cases (bench copy, statistics dropped) one unbounded PRAGMA optimize took
 * 8.7 s, all of it holding the write lock; bounded and index by index, the longest hold was 0.29 s.
 */
export const ANALYSIS_LIMIT = 1000;

// Plain JavaScript: the thread runs without the TypeScript loader (tests, tsx and node alike).
const WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
// fileMustExist: a wrong path is an error, not a new empty database.
const db = new Database(workerData.file, { timeout: 5000, fileMustExist: true });
try {
  const stats = () => {
    const has = db.prepare("SELECT 1 FROM sqlite_schema WHERE name = 'sqlite_stat1'").get();
    return has ? db.prepare("SELECT tbl || ' ' || coalesce(idx, '') || ' ' || stat AS s FROM sqlite_stat1 ORDER BY 1").pluck().all() : [];
  };
  const before = stats().join('\\n');
  db.pragma('analysis_limit = ' + workerData.analysisLimit);
  const started = process.hrtime.bigint();
  // What PRAGMA optimize would analyse (0x10000: every table, not only those this new connection
  // has queried; 0x01: list the statements instead of running them), run one table at a time:
  // each ANALYZE holds the write lock, and the writer waits only for one table, not for all.
  // Between two, a pause longer than SQLite's longest busy-handler sleep (100 ms), or the waiting
  // writer would keep missing the gap and wait for every table after all.
  // A table's indexes are analysed one by one too: at 1M cases the largest index held the lock
  // about 0.3 s, the whole Case table about 0.9 s (load 9).
  const statements = db.pragma('optimize = 0x10003').flatMap((r) => {
    const m = /^ANALYZE "main"[.]"((?:[^"]|"")+)"$/.exec(r.optimize);
    if (!m) return [r.optimize];
    const indexes = db.pragma('index_list("' + m[1] + '")').map((i) => 'ANALYZE "main"."' + i.name.replace(/"/g, '""') + '"');
    return indexes.length > 0 ? indexes : [r.optimize];
  });
  const pause = new Int32Array(new SharedArrayBuffer(4));
  const tables = [];
  for (const [i, sql] of statements.entries()) {
    if (i > 0) Atomics.wait(pause, 0, 0, workerData.pauseMs);
    const t = process.hrtime.bigint();
    db.exec(sql);
    tables.push({ sql, ms: Math.round(Number(process.hrtime.bigint() - t) / 1e5) / 10 });
  }
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  const after = stats();
  const changed = after.join('\\n') !== before;
  // Another connection's ANALYZE does not reach connections already open (the writer, the
  // reader threads): they keep the statistics they loaded with the schema. Changing the schema
  // makes each reload it, statistics included, at its next statement.
  if (changed) db.exec('CREATE TABLE "_gridline_stats_reload" ("x" INTEGER); DROP TABLE "_gridline_stats_reload";');
  parentPort.postMessage({ ms, statRows: after.length, changed, tables });
} catch (err) {
  parentPort.postMessage({ error: String((err && err.message) || err) });
} finally {
  db.close();
}
`;

/**
 * Keeps SQLite's planner statistics current, so plans that depend on them (which of a table's
 * indexes narrows a filter most) are chosen in production as on the analysed benchmark
 * database. `PRAGMA optimize` analyses only tables never analysed or whose size changed about
 * 25-fold since, so it usually does nothing, and bounded by ANALYSIS_LIMIT otherwise. It runs on
 * a thread with a connection of its own, never on the event loop; its write lock is short.
 * PostgreSQL: autovacuum analyses (see checkAutovacuum); nothing to do here.
 */
export async function optimizePlannerStatistics(
  databaseUrl: string,
  opts: { analysisLimit?: number } = {},
): Promise<OptimizeResult | null> {
  if (engineOf(databaseUrl) === 'postgres') return null;
  const file = databaseUrl.replace(/^file:/, '');
  const driver = createRequire(import.meta.url).resolve('better-sqlite3');
  const worker = new Worker(WORKER, {
    eval: true,
    workerData: { file, driver, analysisLimit: opts.analysisLimit ?? ANALYSIS_LIMIT, pauseMs: 150 },
  });
  try {
    const answer = await new Promise<OptimizeResult | { error: string }>((resolve, reject) => {
      worker.once('message', resolve);
      worker.once('error', reject);
      worker.once('exit', (code) => reject(new Error(`statistics thread exited with code ${code}`)));
    });
    if ('error' in answer) throw new Error(`PRAGMA optimize failed: ${answer.error}`);
    return answer;
  } finally {
    await worker.terminate();
  }
}

/**
 * On PostgreSQL, planner statistics are autovacuum's (it ANALYZEs tables as they change): says
 * whether it is on for the server and for every Gridline table, and lists the tables where not.
 */
export async function checkAutovacuum(db: Db): Promise<{ server: boolean; tablesOff: string[] }> {
  const [setting] = await db.$queryRawUnsafe<Array<{ on: string }>>(`SELECT current_setting('autovacuum') AS "on"`);
  const off = await db.$queryRawUnsafe<Array<{ name: string }>>(
    `SELECT c.relname AS "name" FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE n.nspname = current_schema() AND c.relkind = 'r' AND 'autovacuum_enabled=false' = ANY (c.reloptions)`,
  );
  return { server: setting?.on === 'on', tablesOff: off.map((r) => r.name) };
}
