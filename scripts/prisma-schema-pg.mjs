// The PostgreSQL schema is derived from prisma/schema.prisma, never edited by hand: the same
// models with the provider swapped and the client generated beside the SQLite one.
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export const SQLITE_SCHEMA = path.resolve(import.meta.dirname, '../prisma/schema.prisma');
export const POSTGRES_SCHEMA = path.resolve(import.meta.dirname, '../prisma/schema.postgres.prisma');

/** schema.prisma's text for PostgreSQL; throws if the two lines it swaps are not where it expects. */
export function postgresSchema(sqliteText) {
  const swapped = sqliteText
    .replace(/(datasource db \{\s*provider\s*=\s*)"sqlite"/, '$1"postgresql"')
    .replace(/(generator client \{[^}]*output\s*=\s*)"\.\/generated"/, '$1"./generated-pg"');
  if (!swapped.includes('"postgresql"') || !swapped.includes('"./generated-pg"'))
    throw new Error('prisma/schema.prisma: expected provider = "sqlite" and output = "./generated"');
  return `// GENERATED from schema.prisma by scripts/prisma-schema-pg.mjs: edit schema.prisma instead.\n${swapped}`;
}

/** Writes prisma/schema.postgres.prisma; returns its path. */
export function writePostgresSchema() {
  writeFileSync(POSTGRES_SCHEMA, postgresSchema(readFileSync(SQLITE_SCHEMA, 'utf8')));
  return POSTGRES_SCHEMA;
}
