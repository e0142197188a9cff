import { expect, it } from 'vitest';
import { createScratchDatabase } from '../../db/pg-scratch-database.ts';
import { diffDatabaseToSchema, schemaDiffSql } from '../../db/migrate.ts';
import { PG_HAND_WRITTEN_INDEXES } from '../../db/schema-engine.ts';
import { pgSchemaSnapshot } from '../../db/pg-schema-snapshot.ts';
import { testPgServer } from '../helpers/test-db.ts';
import { forEachEngine } from '../contract/engines.ts';

// prisma/migrations (SQLite) and prisma/migrations-postgres each, applied to an empty database,
// must give what schema.prisma describes (for PostgreSQL, the schema derived from it): a
// schema change without its migration for either engine fails here.
forEachEngine((t) => {
  it('migrations applied to an empty database give exactly what schema.prisma describes', async () => {
    if (t().engine === 'sqlite') {
      expect(await diffDatabaseToSchema(t().url)).toBe('');
      return;
    }
    // PostgreSQL: the schema engine cannot introspect it here, so build schema.prisma's tables
    // in a second database and compare the two catalogs.
    const fromSchema = await createScratchDatabase(testPgServer()!, 'gridline_drift');
    try {
      const client = await import('pg').then((m) => new m.default.Client({ connectionString: fromSchema.url }));
      await client.connect();
      await client.query(await schemaDiffSql(fromSchema.url));
      await client.end();
      // The hand-written indexes (the case search's pg_trgm ones) are there, and nothing else differs.
      const migrated = await pgSchemaSnapshot(t().url);
      const handWritten = migrated.filter((line) => PG_HAND_WRITTEN_INDEXES.some((n) => line.includes(` "${n}" `)));
      expect(handWritten).toHaveLength(PG_HAND_WRITTEN_INDEXES.length);
      expect(migrated.filter((line) => !handWritten.includes(line))).toEqual(await pgSchemaSnapshot(fromSchema.url));
    } finally {
      await fromSchema.drop();
    }
  });

  it('record themselves in _prisma_migrations so prisma migrate deploy stays usable', async () => {
    const rows = await t().db.$queryRawUnsafe<Array<{ migration_name: string; finished_at: unknown }>>(
      'SELECT migration_name, finished_at FROM _prisma_migrations',
    );
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.every((r) => r.finished_at !== null)).toBe(true);
  });
});
