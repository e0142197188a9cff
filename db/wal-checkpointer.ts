import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import type { Logger } from '../config/logger.ts';
import { engineOf } from './db-engine.ts';
import { DEFAULT_WAL_LIMIT_BYTES, type Db } from './prisma-client.ts';

export interface WalCheckpointer {
  /** A last checkpoint, then the thread ends and the connection checkpoints by itself again. */
  stop(): Promise<void>;
}

// Plain JavaScript: the thread runs without the TypeScript loader (tests, tsx and node alike).
const WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.file, { timeout: 5000 });
db.pragma('journal_size_limit = ' + workerData.limitBytes);
const pageSize = db.pragma('page_size', { simple: true });
let restarting = false;
const checkpoint = () => {
  if (restarting) return;
  try {
    const [r] = db.pragma('wal_checkpoint(PASSIVE)');
    if (r && r.log * pageSize > workerData.limitBytes) {
      restarting = true;
      parentPort.postMessage('restart');
    }
  } catch (err) { parentPort.postMessage({ error: String(err) }); }
};
const timer = setInterval(checkpoint, workerData.intervalMs);
parentPort.on('message', (m) => {
  if (m === 'restarted') restarting = false;
  if (m !== 'stop') return;
  clearInterval(timer);
  restarting = false; // a restart asked for as the thread stops is not run: this last checkpoint does its work
  checkpoint();
  db.close();
  parentPort.postMessage('stopped');
});
parentPort.postMessage('ready');
`;

const AUTO_CHECKPOINT_PAGES = 1000; // SQLite's default

/**
 * Moves WAL checkpoints off the event loop. By default the connection that commits copies the
 * WAL back into the database every 1000 pages and fsyncs both files, in the middle of a chat
 * message. Here a worker thread with its own connection runs PASSIVE checkpoints, which never
 * block the writer, on the machine's other core, and a RESTART when the WAL passes `limitBytes`,
 * so the WAL stays bounded under sustained writes; the main connection stops checkpointing by
 * itself only once the thread is up, and takes it back when the thread stops or fails.
 */
export async function startWalCheckpointer(
  db: Db,
  databaseUrl: string,
  logger: Logger,
  opts: { intervalMs?: number; limitBytes?: number } = {},
): Promise<WalCheckpointer> {
  // PostgreSQL checkpoints by itself, off this process.
  if (engineOf(databaseUrl) === 'postgres') return { stop: async () => {} };
  const intervalMs = opts.intervalMs ?? 500;
  const limitBytes = Math.trunc(opts.limitBytes ?? DEFAULT_WAL_LIMIT_BYTES);
  const file = databaseUrl.replace(/^file:/, '');
  const driver = createRequire(import.meta.url).resolve('better-sqlite3');
  // The connection that starts the WAL over is the one that truncates it: the writer, here.
  await db.$queryRawUnsafe(`PRAGMA journal_size_limit = ${limitBytes}`);
  const worker = new Worker(WORKER, { eval: true, workerData: { file, driver, intervalMs, limitBytes } });
  const selfCheckpoint = (pages: number) => db.$queryRawUnsafe(`PRAGMA wal_autocheckpoint = ${pages}`);
  let running = true;
  const fallBack = (reason: unknown) => {
    if (!running) return;
    running = false;
    logger.error({ err: reason }, 'WAL checkpoint thread stopped; the database checkpoints by itself again');
    void selfCheckpoint(AUTO_CHECKPOINT_PAGES).catch(() => undefined);
  };
  await new Promise<void>((resolve, reject) => {
    worker.once('message', (m) => (m === 'ready' ? resolve() : reject(new Error(String(m)))));
    worker.once('error', reject);
  });
  // PASSIVE never waits for the writer, so under sustained writes it never reaches the end of
  // the WAL and the WAL never starts over: it grew to 2 GB for a 19 MB database. Past the limit
  // the thread asks for a RESTART, run here, between two commits of this (the only writing)
  // connection, where it cannot be starved: it copies the few frames PASSIVE left, and the next
  // commit starts the WAL from its beginning, cut back to journal_size_limit. The thread waits
  // meanwhile, so the two never contend for the checkpoint lock.
  const restart = async () => {
    try {
      await db.$queryRawUnsafe('PRAGMA wal_checkpoint(RESTART)');
    } catch (err) {
      logger.warn({ err }, 'WAL restart failed; will try again');
    } finally {
      worker.postMessage('restarted');
    }
  };
  worker.on('message', (m: unknown) => {
    if (m === 'restart' && running) void restart();
    if (m && typeof m === 'object' && 'error' in m)
      logger.warn({ error: (m as { error: string }).error }, 'WAL checkpoint failed; will try again');
  });
  worker.on('error', fallBack);
  worker.on('exit', (code) => fallBack(new Error(`checkpoint thread exited with code ${code}`)));
  await selfCheckpoint(0);
  return {
    async stop() {
      if (!running) return;
      running = false;
      await selfCheckpoint(AUTO_CHECKPOINT_PAGES);
      const stopped = new Promise<void>((resolve) => {
        const onMessage = (m: unknown) => {
          if (m !== 'stopped') return;
          worker.off('message', onMessage);
          resolve();
        };
        worker.on('message', onMessage);
      });
      worker.postMessage('stop');
      await stopped;
      await worker.terminate();
    },
  };
}
