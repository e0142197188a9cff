import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { migrationsDirOf, openSchemaEngine, schemaFiles, schemaFilters } from './schema-engine.ts';
import { readMigrationsList } from './migrations-fns.ts';
import { pendingMigrations, pendingPgMigrations } from './migration-status.ts';
import { engineOf } from './db-engine.ts';

export function sqlitePath(databaseUrl: string): string {
  return databaseUrl.replace(/^file:/, '');
}

/** Applies pending migrations (recorded in _prisma_migrations); returns the names applied. */
export async function applyMigrations(
  databaseUrl: string,
  migrationsDir = migrationsDirOf(engineOf(databaseUrl)),
): Promise<string[]> {
  const sqlite = engineOf(databaseUrl) === 'sqlite';
  if (sqlite) mkdirSync(path.dirname(path.resolve(sqlitePath(databaseUrl))), { recursive: true });
  const migrationsList = await readMigrationsList(migrationsDir);
  // A current schema needs no engine: on SQLite not its exclusive lock, so tools run beside the
  // server; on PostgreSQL not the timer it leaves behind (migration-status.ts).
  const pending = sqlite
    ? pendingMigrations(sqlitePath(databaseUrl), migrationsList)
    : await pendingPgMigrations(databaseUrl, migrationsList);
  if (pending.length === 0) return [];
  const { engine, close } = await openSchemaEngine(databaseUrl);
  try {
    const out = await engine.applyMigrations({ migrationsList, filters: schemaFilters(engineOf(databaseUrl)) });
    return out.appliedMigrationNames;
  } catch (err) {
    // The engine needs the database to itself (see migration-status.ts): say so, not "SocketTimeout".
    if (String((err as Error).message).includes('SocketTimeout')) throw new DatabaseInUseError(pending);
    throw err;
  } finally {
    await close();
  }
}

/** SQL that takes the database at `databaseUrl` to what schema.prisma describes ('' when none). */
export async function diffDatabaseToSchema(databaseUrl: string): Promise<string> {
  const { engine, close } = await openSchemaEngine(databaseUrl);
  try {
    const files = await schemaFiles(engineOf(databaseUrl));
    const result = await engine.diff({
      from: { tag: 'schemaDatasource', files, configDir: path.dirname(files[0]!.path) },
      to: { tag: 'schemaDatamodel', files },
      script: true,
      exitCode: true,
      filters: schemaFilters(engineOf(databaseUrl)),
    });
    return result.exitCode === 2 ? (result.stdout ?? '') : '';
  } finally {
    await close();
  }
}

/** Pending migrations could not be applied because another process (a running server) has the database open. */
export class DatabaseInUseError extends Error {
  constructor(readonly pending: string[]) {
    super(
      `数据库正被另一个进程（运行中的网格通服务器）使用，无法执行 ${pending.length} 个待执行的迁移（${pending.join('、')}）：` +
        '迁移需要独占数据库。请重启服务器（启动时会自动迁移），或停止服务器后运行 npm run db:migrate。' +
        `\nThe database is open in another process (a running server); ${pending.length} pending migration(s) need it to themselves. Restart the server (it migrates on start) or stop it and run npm run db:migrate.`,
    );
    this.name = 'DatabaseInUseError';
  }
}

/**
 * The SQL that takes a database from the schema `fromSchema` (a schema file's text; none: an
 * empty database) to schema.prisma, for the engine `databaseUrl` names. Reads no database:
 * PostgreSQL migrations are written this way, from the schema the last one reached
 * (prisma/migrations-postgres/schema.snapshot.prisma), since the WebAssembly engine cannot
 * introspect PostgreSQL through the driver adapter.
 */
export async function schemaDiffSql(databaseUrl: string, fromSchema?: string): Promise<string> {
  const { engine, close } = await openSchemaEngine(databaseUrl);
  try {
    const files = await schemaFiles(engineOf(databaseUrl));
    const result = await engine.diff({
      from:
        fromSchema === undefined
          ? { tag: 'empty' }
          : { tag: 'schemaDatamodel', files: [{ path: files[0]!.path, content: fromSchema }] },
      to: { tag: 'schemaDatamodel', files },
      script: true,
      exitCode: false,
      filters: schemaFilters(engineOf(databaseUrl)),
    });
    return result.stdout ?? '';
  } finally {
    await close();
  }
}
