// Prisma's migrate work through the WebAssembly schema engine: the native engine the CLI
// wants cannot be downloaded on our machines, the WASM one ships inside an npm package.
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { PrismaBetterSqlite3 } from '@prisma/adapter-better-sqlite3';
import { PrismaPg } from '@prisma/adapter-pg';
import pg from 'pg';
import {
  bindMigrationAwareSqlAdapterFactory,
  DriverAdapterError,
  type SqlDriverAdapter,
  type SqlMigrationAwareDriverAdapterFactory,
} from '@prisma/driver-adapter-utils';
import type { SchemaEngine } from '@prisma/schema-engine-wasm/schema_engine_bg';
import { postgresSchema } from '../scripts/prisma-schema-pg.mjs';
import { engineOf, type Engine } from './db-engine.ts';

const require = createRequire(import.meta.url);

let wasmReady: Promise<typeof import('@prisma/schema-engine-wasm/schema_engine_bg')> | undefined;

function loadWasm() {
  wasmReady ??= (async () => {
    const bg = await import('@prisma/schema-engine-wasm/schema_engine_bg');
    const wasmPath = path.join(
      path.dirname(require.resolve('@prisma/schema-engine-wasm/schema_engine_bg')),
      'schema_engine_bg.wasm',
    );
    const { instance } = await WebAssembly.instantiate(await readFile(wasmPath), { './schema_engine_bg.js': bg });
    bg.__wbg_set_wasm(instance.exports);
    (instance.exports as { __wbindgen_start: () => void }).__wbindgen_start();
    return bg;
  })();
  return wasmReady;
}

export const SCHEMA_PATH = path.resolve(import.meta.dirname, '../prisma/schema.prisma');
export const MIGRATIONS_DIR = path.resolve(import.meta.dirname, '../prisma/migrations');
export const PG_SCHEMA_PATH = path.resolve(import.meta.dirname, '../prisma/schema.postgres.prisma');
export const PG_MIGRATIONS_DIR = path.resolve(import.meta.dirname, '../prisma/migrations-postgres');
/** The derived PostgreSQL schema as the last PostgreSQL migration left it: the next one starts from here. */
export const PG_SNAPSHOT_PATH = path.join(PG_MIGRATIONS_DIR, 'schema.snapshot.prisma');

export const migrationsDirOf = (engine: Engine) => (engine === 'postgres' ? PG_MIGRATIONS_DIR : MIGRATIONS_DIR);

/** The schema for an engine: schema.prisma as written, or derived from it for PostgreSQL (never stale). */
export async function schemaFiles(engine: Engine = 'sqlite') {
  const content = await readFile(SCHEMA_PATH, 'utf8');
  return engine === 'postgres'
    ? [{ path: PG_SCHEMA_PATH, content: postgresSchema(content) }]
    : [{ path: SCHEMA_PATH, content }];
}

export interface OpenEngine {
  engine: SchemaEngine;
  /** Frees the engine and closes the SQLite connections it opened (free() alone leaves them open and locked). */
  close(): Promise<void>;
}

/**
 * PostgreSQL's adapter runs a migration script by splitting it on every ";", which cuts a
 * comment, a string or a function body holding one in two. The server parses a script sent
 * whole (the simple query protocol), as `prisma migrate` with the native engine does, so the
 * script goes to one connection of the adapter's pool in one piece
 * (test/integration/pg-migration-script.test.ts).
 */
function wholeScripts<A extends SqlDriverAdapter>(adapter: A, engineKind: Engine): A {
  if (engineKind !== 'postgres') return adapter;
  const pool = (adapter as unknown as Awaited<ReturnType<PrismaPg['connect']>>).underlyingDriver();
  adapter.executeScript = async (script: string) => {
    try {
      await pool.query(script);
    } catch (err) {
      // The engine shows a DriverAdapterError's message (the server's "ERROR: ..."); any other
      // error reaches the user as "External error id#0".
      if (!(err instanceof pg.DatabaseError)) throw err;
      throw new DriverAdapterError({
        kind: 'postgres',
        code: err.code ?? 'N/A',
        severity: err.severity ?? 'N/A',
        message: err.message,
        detail: err.detail,
        column: err.column,
        hint: err.hint,
      });
    }
  };
  return adapter;
}

/**
 * The engine describes a SQLite partial index (schema.prisma's `where: raw(…)`, preview feature
 * partialIndexes) by reading its CREATE statement with `… AND name = "Case_x_idx"`: a string in
 * double quotes, which SQLite reads as a string only when double-quoted strings are allowed.
 * better-sqlite3 builds SQLite with SQLITE_DQS=0, so it is a column there, and every describe
 * (the drift test, each new migration) failed with `column not found: "Case_x_idx"`. That one
 * statement goes with the name in single quotes (test/integration/migrations-drift.test.ts).
 */
const DESCRIBE_INDEX_SQL = /^(SELECT sql FROM sqlite_master WHERE type = 'index' AND name = )"((?:[^"]|"")*)"(;?)$/;

export function describeIndexSql(sql: string): string {
  const m = DESCRIBE_INDEX_SQL.exec(sql.trim());
  return m ? `${m[1]}'${m[2]!.replaceAll('""', '"').replaceAll("'", "''")}'${m[3]}` : sql;
}

function singleQuotedIndexNames<A extends SqlDriverAdapter>(adapter: A, engineKind: Engine): A {
  if (engineKind !== 'sqlite') return adapter;
  const queryRaw = adapter.queryRaw.bind(adapter);
  adapter.queryRaw = (query) => queryRaw({ ...query, sql: describeIndexSql(query.sql) });
  return adapter;
}

/** Opens the engine against a SQLite (`file:/path/to.db`) or PostgreSQL (`postgresql://…`) URL. */
export async function openSchemaEngine(
  databaseUrl: string,
  onLog: (line: string) => void = () => {},
): Promise<OpenEngine> {
  const bg = await loadWasm();
  const engineKind = engineOf(databaseUrl);
  const files = await schemaFiles(engineKind);
  const factory =
    engineKind === 'postgres'
      ? new PrismaPg({ connectionString: databaseUrl })
      : new PrismaBetterSqlite3({ url: databaseUrl, timeout: 5000 });
  const opened: Array<{ dispose(): Promise<void> }> = [];
  const tracking: SqlMigrationAwareDriverAdapterFactory = {
    provider: factory.provider,
    adapterName: factory.adapterName,
    connect: async () => {
      const adapter = singleQuotedIndexNames(wholeScripts(await factory.connect(), engineKind), engineKind);
      opened.push(adapter);
      return adapter;
    },
    connectToShadowDb: async () => {
      const adapter = singleQuotedIndexNames(wholeScripts(await factory.connectToShadowDb(), engineKind), engineKind);
      opened.push(adapter);
      return adapter;
    },
  };
  const adapter = bindMigrationAwareSqlAdapterFactory(tracking);
  const engine = await bg.SchemaEngine.new({ datamodels: files.map((f) => [f.path, f.content]) }, onLog, adapter);
  return {
    engine,
    close: async () => {
      engine.free();
      await Promise.all(opened.map((a) => a.dispose()));
    },
  };
}

/**
 * Tables the migrations make by hand, which schema.prisma cannot describe: the SQLite case
 * search index (an FTS5 table, its shadow tables and its vocabulary; prisma/migrations/
 * *_case_text_search). The engine's diff leaves them alone (without this, the drift test and
 * every new migration would drop them). PostgreSQL's hand-written objects are indexes, which the
 * engine's diff is never asked about there (see PG_HAND_WRITTEN_INDEXES).
 */
export const schemaFilters = (engine: Engine) => ({
  externalTables:
    engine === 'sqlite'
      ? ['CaseSearch', 'CaseSearchTerm', 'CaseSearch_config', 'CaseSearch_data', 'CaseSearch_docsize', 'CaseSearch_idx']
      : [],
  externalEnums: [],
});

/**
 * PostgreSQL indexes the migrations make by hand (a pg_trgm GIN index for the case search,
 * prisma/migrations-postgres/*_case_search_trgm; the event rollups' covering index,
 * *_stats_rollup_covering): the drift test expects them beside what
 * schema.prisma describes.
 */
export const PG_HAND_WRITTEN_INDEXES = [
  // *_case_search_trgm: terms of three or more characters (replaced *_case_text_search's three);
  // *_case_search_trgm_street: the street beside them (a team lead's search)
  'Case_search_trgm_idx',
  // *_case_search_chars: one- and two-character terms
  'Case_search_chars_idx',
  // *_stats_rollup_covering: a period's event rollup sums read from the index alone (INCLUDE
  // columns). "StatsRollup"'s went in *_stats_rollup_hot: its counters, indexed, kept every
  // update of a rollup row from being HOT.
  'StatsEventRollup_kind_day_covering_idx',
  // *_case_search_open: both again, over the open cases (a search's overdue page)
  'Case_search_trgm_open_idx',
  'Case_search_chars_open_idx',
  // *_case_search_number: a number-shaped term's six-character pieces
  'Case_search_number_idx',
];
