import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import type { Logger } from '../config/logger.ts';
import type { Db } from './prisma-client.ts';

export interface WalCheckpointer {
  /** A last checkpoint, then the thread ends and the connection checkpoints by itself again. */
  stop(): Promise<void>;
}

// Plain JavaScript: the thread runs without the TypeScript loader (tests, tsx and node alike).
const WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.file, { timeout: 5000 });
const checkpoint = () => {
  try { db.pragma('wal_checkpoint(PASSIVE)'); } catch (err) { parentPort.postMessage({ error: String(err) }); }
};
const timer = setInterval(checkpoint, workerData.intervalMs);
parentPort.on('message', (m) => {
  if (m !== 'stop') return;
  clearInterval(timer);
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
 * block the writer, on the machine's other core; the main connection stops checkpointing by
 * itself only once the thread is up, and takes it back when the thread stops or fails.
 */
export async function startWalCheckpointer(
  db: Db,
  databaseUrl: string,
  logger: Logger,
  intervalMs = 500,
): Promise<WalCheckpointer> {
  const file = databaseUrl.replace(/^file:/, '');
  const driver = createRequire(import.meta.url).resolve('better-sqlite3');
  const worker = new Worker(WORKER, { eval: true, workerData: { file, driver, intervalMs } });
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
  worker.on('message', (m: unknown) => {
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
