import type { FastifyInstance } from 'fastify';
import type { Logger } from '../../config/logger.ts';
import { createDomain, type Domain } from '../../app/create-domain.ts';
import { seedReferenceData } from '../../db/seed.ts';
import { issueToken } from '../../db/token-store.ts';
import { createServer } from '../../server/app.ts';
import type { ExportGate } from '../../server/routes/export-gate.ts';
import type { Role } from '../../core/case/case-types.ts';
import type { Engine } from '../../db/db-engine.ts';
import { createTestDb, type TestDb } from './test-db.ts';
import { silentLogger, testConfig } from './test-config.ts';

export interface TestApp extends TestDb {
  app: FastifyInstance;
  domain: Domain;
  /** A person with a bearer token: returns the Authorization header value and the person id. */
  staff(
    role: Role,
    opts?: { street?: string; department?: string; name?: string },
  ): Promise<{ auth: string; personId: number }>;
  close(): Promise<void>;
}

/**
 * The whole HTTP app over a fresh migrated database with reference data, as main.ts assembles it:
 * a SQLite file, or a PostgreSQL database under `npm run test:postgres` (test-db.ts).
 */
export async function createTestApp(
  opts: {
    clock?: () => Date;
    env?: Record<string, string>;
    logger?: Logger;
    exportGate?: ExportGate;
    /** Only for what one engine has (SQLite's reader pool): otherwise the engine the run tests. */
    engine?: Engine;
  } = {},
): Promise<TestApp> {
  const t = await createTestDb(opts.engine);
  await seedReferenceData(t.db);
  const config = testConfig(t.dir, opts.env);
  const logger = opts.logger ?? silentLogger();
  const domain = await createDomain({ db: t.db, config, logger, ...(opts.clock ? { clock: opts.clock } : {}) });
  const app = await createServer({
    config,
    logger,
    db: t.db,
    domain,
    ...(opts.exportGate ? { exportGate: opts.exportGate } : {}),
  });
  let seq = 0;
  return {
    ...t,
    app,
    domain,
    async staff(role, o = {}) {
      seq += 1;
      const street = o.street ? await t.db.street.findUniqueOrThrow({ where: { name: o.street } }) : null;
      const department = o.department
        ? await t.db.department.findUniqueOrThrow({ where: { name: o.department } })
        : null;
      const p = await t.db.person.create({
        data: {
          displayName: o.name ?? `${role}-${seq}`,
          role,
          streetId: street?.id ?? null,
          departmentId: department?.id ?? null,
          phone: role === 'resident' ? `1390000${String(seq).padStart(4, '0')}` : null,
        },
      });
      await t.db.chatIdentity.create({
        data: { channel: 'web', externalId: `p${p.id}`, chatId: `p${p.id}`, personId: p.id },
      });
      return { auth: `Bearer ${await issueToken(t.db, p.id, 'test')}`, personId: p.id };
    },
    async close() {
      await app.close();
      await t.db.$disconnect();
    },
  };
}
