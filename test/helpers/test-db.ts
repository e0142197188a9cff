import { copyFileSync, mkdirSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import type { Engine } from '../../db/db-engine.ts';
import { createScratchDatabase } from '../../db/pg-scratch-database.ts';
import { createPrismaClient, type Db } from '../../db/prisma-client.ts';
import { pgTemplateName, templateDbPath, testTmpDir } from './global-setup.ts';

export interface TestDb {
  db: Db;
  url: string;
  /** A folder of its own (photos, files), whatever the engine. */
  dir: string;
  engine: Engine;
}

/** The PostgreSQL server tests may use (a postgresql:// URL), or undefined: PostgreSQL tests are skipped. */
export const testPgServer = (): string | undefined => process.env.TEST_DATABASE_URL || undefined;

/**
 * The engine test helpers use when a test does not say: SQLite, or PostgreSQL under
 * `npm run test:postgres` (TEST_ENGINE=postgres, with TEST_DATABASE_URL).
 */
export function defaultTestEngine(): Engine {
  if (process.env.TEST_ENGINE !== 'postgres') return 'sqlite';
  if (!testPgServer())
    throw new Error('TEST_ENGINE=postgres needs TEST_DATABASE_URL (scripts/pg-test-cluster.sh start)');
  return 'postgres';
}

/**
 * A fresh database built by the migrations, in its own folder: on SQLite a copy of the run's
 * template file, on PostgreSQL a new database cloned from the run's template database
 * (global-setup.ts), dropped when the run ends.
 */
export async function createTestDb(engine: Engine = defaultTestEngine()): Promise<TestDb> {
  const dir = path.join(testTmpDir(), randomUUID());
  mkdirSync(dir, { recursive: true });
  if (engine === 'postgres') {
    const scratch = await createScratchDatabase(testPgServer()!, `${pgTemplateName()}_t`, pgTemplateName());
    return { db: await createPrismaClient(scratch.url), url: scratch.url, dir, engine };
  }
  const file = path.join(dir, 'gridline.db');
  copyFileSync(templateDbPath(), file);
  const url = `file:${file}`;
  return { db: await createPrismaClient(url), url, dir, engine };
}
