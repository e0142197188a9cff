import { copyFileSync, mkdirSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { createPrismaClient, type Db } from '../../db/prisma-client.ts';
import { templateDbPath, testTmpDir } from './global-setup.ts';

export interface TestDb {
  db: Db;
  url: string;
  dir: string;
}

/** A fresh SQLite file built by the migrations (copied from the run's template), in its own folder. */
export async function createTestDb(): Promise<TestDb> {
  const dir = path.join(testTmpDir(), randomUUID());
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, 'gridline.db');
  copyFileSync(templateDbPath(), file);
  const url = `file:${file}`;
  return { db: await createPrismaClient(url), url, dir };
}
