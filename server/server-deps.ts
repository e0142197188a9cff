import type { FastifyInstance } from 'fastify';
import type { Domain } from '../app/create-domain.ts';
import type { Config } from '../config/config-schema.ts';
import type { Logger } from '../config/logger.ts';
import type { Db } from '../db/prisma-client.ts';
import type { ExportGate } from './routes/export-gate.ts';
import type { StatsCaches } from './routes/stats-routes.ts';

/** What the HTTP layer is handed by the composition root (main.ts) or a test. */
export interface ServerDeps {
  config: Config;
  logger: Logger;
  db: Db;
  domain: Domain;
  /** How many exports are built at once (server/routes/export-gate.ts); one of its own when absent. */
  exportGate?: ExportGate;
  /**
   * The statistics' shared parts (whole days, hour rows, labels), kept for every page and API that
   * shows figures: createServer makes one set when absent, so a dashboard view costs what an API
   * request costs instead of the whole days' sums each time.
   */
  statsCaches?: StatsCaches;
  /** Route plugins the composition root adds (the web chat, webhooks), registered last. */
  extraRoutes?: Array<(app: FastifyInstance) => Promise<void>>;
}
