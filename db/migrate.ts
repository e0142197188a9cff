import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { migrationsDirOf, NO_FILTERS, openSchemaEngine, schemaFiles } from './schema-engine.ts';
import { readMigrationsList } from './migrations-fns.ts';
import { engineOf } from './db-engine.ts';

export function sqlitePath(databaseUrl: string): string {
  return databaseUrl.replace(/^file:/, '');
}

/** Applies pending migrations (recorded in _prisma_migrations); returns the names applied. */
export async function applyMigrations(
  databaseUrl: string,
  migrationsDir = migrationsDirOf(engineOf(databaseUrl)),
): Promise<string[]> {
  if (engineOf(databaseUrl) === 'sqlite')
    mkdirSync(path.dirname(path.resolve(sqlitePath(databaseUrl))), { recursive: true });
  const { engine, close } = await openSchemaEngine(databaseUrl);
  try {
    const migrationsList = await readMigrationsList(migrationsDir);
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
    const files = await schemaFiles(engineOf(databaseUrl));
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
      filters: NO_FILTERS,
    });
    return result.stdout ?? '';
  } finally {
    await close();
  }
}
