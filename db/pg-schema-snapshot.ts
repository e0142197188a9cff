import pg from 'pg';

/**
 * The public schema of a PostgreSQL database as comparable text: tables, columns (type,
 * nullability, default), indexes and constraints, sorted. The WebAssembly schema engine cannot
 * introspect PostgreSQL through the driver adapter (it fails on the catalog's "char" columns),
 * so the PostgreSQL drift check compares these snapshots instead of asking the engine for a diff.
 */
export async function pgSchemaSnapshot(databaseUrl: string): Promise<string[]> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const q = async (sql: string) => (await client.query<{ line: string }>(sql)).rows.map((r) => r.line);
    return [
      ...(await q(`SELECT format('column %s.%s %s null=%s default=%s', table_name, column_name, data_type || coalesce('(' || datetime_precision || ')', ''), is_nullable, coalesce(column_default, '-')) AS line
                   FROM information_schema.columns WHERE table_schema = 'public' AND table_name <> '_prisma_migrations'`)),
      ...(await q(
        `SELECT format('index %s', indexdef) AS line FROM pg_indexes WHERE schemaname = 'public' AND tablename <> '_prisma_migrations'`,
      )),
      ...(await q(`SELECT format('constraint %s %s', conname, pg_get_constraintdef(c.oid)) AS line
                   FROM pg_constraint c JOIN pg_namespace n ON n.oid = c.connamespace
                   WHERE n.nspname = 'public' AND conrelid::regclass::text <> '_prisma_migrations'`)),
    ].sort();
  } finally {
    await client.end();
  }
}
