import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { MIGRATIONS_DIR, NO_FILTERS, openSchemaEngine, schemaFiles } from './schema-engine.ts';
import { readMigrationsList } from './migrations-fns.ts';
import { pendingMigrations } from './migration-status.ts';

export function sqlitePath(databaseUrl: string): string {
  return databaseUrl.replace(/^file:/, '');
}

/** Applies pending migrations (recorded in _prisma_migrations); returns the names applied. */
export async function applyMigrations(databaseUrl: string, migrationsDir = MIGRATIONS_DIR): Promise<string[]> {
  mkdirSync(path.dirname(path.resolve(sqlitePath(databaseUrl))), { recursive: true });
  const migrationsList = await readMigrationsList(migrationsDir);
  // A current schema needs no engine (and its exclusive lock): tools then run beside the server.
  if (pendingMigrations(sqlitePath(databaseUrl), migrationsList).length === 0) return [];
  const { engine, close } = await openSchemaEngine(databaseUrl);
  try {
    const out = await engine.applyMigrations({ migrationsList, filters: NO_FILTERS });
    return out.appliedMigrationNames;
  } finally {
    await close();
  }
}

/** SQL that takes the database at `databaseUrl` to what schema.prisma describes ('' when none). */
export async function diffDatabaseToSchema(databaseUrl: string): Promise<string> {
  const { engine, close } = await openSchemaEngine(databaseUrl);
  try {
    const files = await schemaFiles();
    const result = await engine.diff({
      from: { tag: 'schemaDatasource', files, configDir: path.dirname(files[0]!.path) },
      to: { tag: 'schemaDatamodel', files },
      script: true,
      exitCode: true,
      filters: NO_FILTERS,
    });
    return result.exitCode === 2 ? (result.stdout ?? '') : '';
  } finally {
    await close();
  }
}
