// Builds one SQLite database from the migrations per test run; each test file copies it.
// Each run gets its own folder so concurrent runs (two terminals, CI shards) never collide.
// With TEST_DATABASE_URL (a PostgreSQL server), the same on PostgreSQL: a template database
// migrated once, cloned by each test (test-db.ts), and every database of the run dropped at the end.
import { mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { applyMigrations } from '../../db/migrate.ts';
import { adminQuery } from '../../db/pg-scratch-database.ts';

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

/** The run's PostgreSQL template database; test databases are named after it. */
export function pgTemplateName(): string {
  const name = process.env.GRIDLINE_TEST_PG_TEMPLATE;
  if (!name) throw new Error('GRIDLINE_TEST_PG_TEMPLATE is unset: TEST_DATABASE_URL was not set when vitest started');
  return name;
}

export default async function setup(): Promise<() => Promise<void>> {
  const run = `run-${process.pid}-${Date.now()}`;
  const dir = path.join(ROOT, run);
  mkdirSync(dir, { recursive: true });
  process.env.GRIDLINE_TEST_TMP = dir;
  await applyMigrations(`file:${path.join(dir, 'template.db')}`);

  const server = process.env.TEST_DATABASE_URL;
  let dropPg = async () => {};
  if (server) {
    const template = `gridline_${process.pid}_${Date.now()}`;
    await adminQuery(server, `CREATE DATABASE "${template}"`);
    const url = new URL(server);
    url.pathname = `/${template}`;
    await applyMigrations(url.toString());
    process.env.GRIDLINE_TEST_PG_TEMPLATE = template;
    dropPg = async () => {
      const rows = await adminQuery(
        server,
        `SELECT datname FROM pg_database WHERE datname = '${template}' OR datname LIKE '${template}\\_t\\_%'`,
      );
      for (const r of rows) await adminQuery(server, `DROP DATABASE IF EXISTS "${String(r.datname)}" WITH (FORCE)`);
    };
  }
  return async () => {
    if (process.env.KEEP_TEST_DBS) return;
    rmSync(dir, { recursive: true, force: true });
    await dropPg();
  };
}
