// Builds one SQLite database from the migrations per test run; each test file copies it.
// Each run gets its own folder so concurrent runs (two terminals, CI shards) never collide.
import { mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { applyMigrations } from '../../db/migrate.ts';

const ROOT = path.resolve(import.meta.dirname, '../../.tmp/test');

export function testTmpDir(): string {
  const dir = process.env.GRIDLINE_TEST_TMP;
  if (!dir)
    throw new Error('GRIDLINE_TEST_TMP is unset: run tests through vitest (its globalSetup prepares the database)');
  return dir;
}

export function templateDbPath(): string {
  return path.join(testTmpDir(), 'template.db');
}

export default async function setup(): Promise<() => void> {
  const dir = path.join(ROOT, `run-${process.pid}-${Date.now()}`);
  mkdirSync(dir, { recursive: true });
  process.env.GRIDLINE_TEST_TMP = dir;
  await applyMigrations(`file:${path.join(dir, 'template.db')}`);
  return () => {
    if (!process.env.KEEP_TEST_DBS) rmSync(dir, { recursive: true, force: true });
  };
}
