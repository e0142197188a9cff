// Builds one SQLite database from the migrations per test run; each test file copies it.
import { mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { applyMigrations } from '../../db/migrate.ts';

export const TEST_TMP = path.resolve(import.meta.dirname, '../../.tmp/test');
export const TEMPLATE_DB = path.join(TEST_TMP, 'template.db');

export default async function setup(): Promise<void> {
  rmSync(TEST_TMP, { recursive: true, force: true });
  mkdirSync(TEST_TMP, { recursive: true });
  await applyMigrations(`file:${TEMPLATE_DB}`);
}
