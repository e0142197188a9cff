import type { FastifyInstance } from 'fastify';
import type { Domain } from '../app/create-domain.ts';
import type { Config } from '../config/config-schema.ts';
import type { Logger } from '../config/logger.ts';
import type { Db } from '../db/prisma-client.ts';
import type { ExportGate } from './routes/export-gate.ts';

/** What the HTTP layer is handed by the composition root (main.ts) or a test. */
export interface ServerDeps {
  config: Config;
  logger: Logger;
  db: Db;
  domain: Domain;
  /** How many exports are built at once (server/routes/export-gate.ts); one of its own when absent. */
  exportGate?: ExportGate;
  /** Route plugins the composition root adds (the web chat, webhooks), registered last. */
  extraRoutes?: Array<(app: FastifyInstance) => Promise<void>>;
}
