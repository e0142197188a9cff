// Where the API benchmark's requests go: one Gridline server in this process (so the event-loop
// stall it causes can be measured), or `processes` main.ts processes behind the round-robin
// balancer of test/helpers/process-cluster.ts, as nginx would spread them.
import type { AddressInfo } from 'node:net';
import { createDomain } from '../app/create-domain.ts';
import { loadConfig } from '../config/load-config.ts';
import { createLogger } from '../config/logger.ts';
import type { Db } from '../db/prisma-client.ts';
import { attachReaderPool, createReaderPool } from '../db/reader-pool.ts';
import { createServer } from '../server/app.ts';
import { startProcessCluster } from '../test/helpers/process-cluster.ts';

export interface BenchServer {
  port: number;
  /** Whether the server runs in this process (its event-loop delay is this process's). */
  inProcess: boolean;
  close(): Promise<void>;
}

// One client asks everything here: the per-address flood limits would refuse it after 120.
const LIMITS = { ADDRESS_REQUESTS_PER_MINUTE: '100000' };

export async function startBenchServer(o: {
  engine: 'sqlite' | 'postgres';
  url: string;
  dir: string;
  db: Db;
  readers: number;
  /** 0: in this process; N: N main.ts processes. */
  processes: number;
}): Promise<BenchServer> {
  if (o.processes > 0) {
    if (o.engine === 'sqlite' && o.processes > 1)
      throw new Error('--processes N > 1 needs --db postgres: SQLite serves from one process');
    const cluster = await startProcessCluster({
      dataDir: o.dir,
      env: {
        DATABASE_URL: o.url,
        LOG_LEVEL: 'warn',
        READER_THREADS: String(o.readers),
        WECHATY_PUPPET: '',
        // As deployed: processes starting at once in demo mode would race to create the demo staff.
        DEMO_MODE: 'false',
        ...LIMITS,
      },
    });
    try {
      const procs = await Promise.all(Array.from({ length: o.processes }, (_, i) => cluster.start(`p${i + 1}`)));
      await Promise.all(procs.map((p) => cluster.waitUp(p)));
    } catch (err) {
      await cluster.close();
      throw err;
    }
    return { port: Number(new URL(cluster.url).port), inProcess: false, close: () => cluster.close() };
  }

  const config = loadConfig({ DATA_DIR: o.dir, DATABASE_URL: o.url, LOG_LEVEL: 'silent', ...LIMITS }, o.dir, false);
  const logger = createLogger(config);
  // As main.ts does: heavy reads on reader threads (--readers 0: all on the main connection).
  // PostgreSQL's driver is asynchronous: its reads never held the loop, and need no threads.
  const readers = o.readers > 0 && o.engine === 'sqlite' ? createReaderPool(o.url, o.readers) : null;
  if (readers) attachReaderPool(o.db, readers);
  const app = await createServer({
    config,
    logger,
    db: o.db,
    domain: await createDomain({ db: o.db, config, logger }),
  });
  await app.listen({ host: '127.0.0.1', port: 0 });
  // Idle keep-alive sockets between rows must not be closed under the agent, nor a slow row cut off.
  app.server.keepAliveTimeout = 600_000;
  app.server.requestTimeout = 0;
  app.server.headersTimeout = 0; // a request queued behind a stalled loop is slow, not malformed
  return {
    port: (app.server.address() as AddressInfo).port,
    inProcess: true,
    async close() {
      await app.close();
      await readers?.close();
    },
  };
}
