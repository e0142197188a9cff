import pg from 'pg';
import { engineOf } from './db-engine.ts';

/**
 * Runs `work` while holding a PostgreSQL session advisory lock named `name`, on a connection of
 * its own, so processes starting at once do it one after the other (the seed's "insert if
 * missing" reads would otherwise race and one process would fail on a unique key). On SQLite it
 * just runs `work`: one server process per file.
 */
export async function withStartupLock<T>(databaseUrl: string, name: string, work: () => Promise<T>): Promise<T> {
  if (engineOf(databaseUrl) !== 'postgres') return work();
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query('SELECT pg_advisory_lock(hashtext($1))', [name]);
    return await work();
  } finally {
    // Ending the session releases the lock, also when the unlock itself fails.
    await client.end();
  }
}
