import { cpSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { expect, it } from 'vitest';
import { applyMigrations } from '../../db/migrate.ts';
import { createScratchDatabase } from '../../db/pg-scratch-database.ts';
import { migrationsDirOf } from '../../db/schema-engine.ts';
import { testPgServer } from '../helpers/test-db.ts';
import { testTmpDir } from '../helpers/global-setup.ts';

// Prisma's PostgreSQL adapter runs a migration script by splitting it on every ";", so a
// semicolon in a comment, a string or a function body broke the migration in two. A
// hand-written migration (an index expression's IMMUTABLE function, a trigger) needs them.
it.skipIf(!testPgServer())('a PostgreSQL migration may hold semicolons in comments, strings and bodies', async () => {
  const dir = path.join(testTmpDir(), randomUUID(), 'migrations-postgres');
  cpSync(migrationsDirOf('postgres'), dir, { recursive: true });
  mkdirSync(path.join(dir, '29991231000000_semicolon_probe'));
  writeFileSync(
    path.join(dir, '29991231000000_semicolon_probe', 'migration.sql'),
    [
      '-- A comment; with a semicolon in it.',
      'CREATE FUNCTION "gl_semicolon_probe"() RETURNS text LANGUAGE plpgsql IMMUTABLE AS $$',
      'BEGIN',
      "  RETURN 'a;b';",
      'END;',
      '$$;',
      '',
    ].join('\n'),
  );
  const scratch = await createScratchDatabase(testPgServer()!, 'gridline_semicolon');
  try {
    const applied = await applyMigrations(scratch.url, dir);
    expect(applied).toContain('29991231000000_semicolon_probe');
    const client = new pg.Client({ connectionString: scratch.url });
    await client.connect();
    try {
      const { rows } = await client.query<{ v: string }>('SELECT "gl_semicolon_probe"() AS v');
      expect(rows[0]!.v).toBe('a;b');
    } finally {
      await client.end();
    }
  } finally {
    await scratch.drop();
  }
});

it.skipIf(!testPgServer())('a failing PostgreSQL migration says what the server said', async () => {
  const dir = path.join(testTmpDir(), randomUUID(), 'migrations-postgres');
  cpSync(migrationsDirOf('postgres'), dir, { recursive: true });
  mkdirSync(path.join(dir, '29991231000000_broken'));
  writeFileSync(path.join(dir, '29991231000000_broken', 'migration.sql'), 'SELECT "gl_no_such_function"();\n');
  const scratch = await createScratchDatabase(testPgServer()!, 'gridline_semicolon');
  try {
    await expect(applyMigrations(scratch.url, dir)).rejects.toThrow(/gl_no_such_function.*does not exist/);
  } finally {
    await scratch.drop();
  }
});
