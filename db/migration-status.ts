import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import Database from 'better-sqlite3';
import pg from 'pg';
import type { MigrationList } from '@prisma/schema-engine-wasm/schema_engine_bg';

/**
 * The migrations in `list` that the database at `file` has not finished (all of them when the
 * file or its _prisma_migrations table is missing, or when a recorded one failed or its file
 * changed since: the schema engine then reports that itself).
 *
 * Why this exists: the schema engine opens SQLite with `locking_mode=EXCLUSIVE`, which a WAL
 * database grants only when no other connection is open, so it fails (SocketTimeout) beside a
 * running server. A plain connection reading one table takes no lock a reader or writer waits on,
 * so a tool on a current schema never starts the engine.
 */
export function pendingMigrations(file: string, list: MigrationList): string[] {
  const all = list.migrationDirectories.map((d) => d.path);
  if (!existsSync(file)) return all;
  const db = new Database(file, { fileMustExist: true, timeout: 5000 });
  try {
    const table = db.prepare(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = '_prisma_migrations'`).get();
    if (!table) return all;
    return pendingOf(db.prepare(RECORDED).all() as RecordedMigration[], list);
  } finally {
    db.close();
  }
}

/**
 * The same for PostgreSQL. There the engine takes an advisory lock and would do no harm, but
 * every run leaves a 10 s timer of the WebAssembly engine behind, which keeps a command-line tool
 * (token:create, staff, …) alive 10 s after its work is done: a current database needs no engine.
 */
export async function pendingPgMigrations(databaseUrl: string, list: MigrationList): Promise<string[]> {
  const all = list.migrationDirectories.map((d) => d.path);
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const table = await client.query<{ t: string | null }>(`SELECT to_regclass('"_prisma_migrations"')::text AS t`);
    if (!table.rows[0]?.t) return all;
    return pendingOf((await client.query<RecordedMigration>(RECORDED)).rows, list);
  } finally {
    await client.end();
  }
}

const RECORDED = `SELECT migration_name AS name, checksum, finished_at AS finished, rolled_back_at AS "rolledBack" FROM _prisma_migrations`;

interface RecordedMigration {
  name: string;
  checksum: string;
  finished: unknown;
  rolledBack: unknown;
}

function pendingOf(rows: RecordedMigration[], list: MigrationList): string[] {
  const all = list.migrationDirectories.map((d) => d.path);
  if (rows.some((r) => r.finished === null && r.rolledBack === null)) return all; // a failed one: the engine says what to do
  const done = new Map(
    rows.filter((r) => r.finished !== null && r.rolledBack === null).map((r) => [r.name, r.checksum]),
  );
  const pending: string[] = [];
  for (const d of list.migrationDirectories) {
    const content = d.migrationFile.content;
    if (content.tag !== 'ok') return all;
    const checksum = done.get(d.path);
    if (checksum === undefined) pending.push(d.path);
    else if (checksum !== createHash('sha256').update(content.value).digest('hex')) return all;
  }
  return pending;
}
