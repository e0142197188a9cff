import { randomBytes } from 'node:crypto';
import pg from 'pg';

/**
 * A new database on the server `serverUrl` points at (tests and the migration writer), empty
 * or a copy of `template`, and a way to drop it. Its name is `prefix` plus a random suffix, so parallel runs never meet.
 */
export async function createScratchDatabase(
  serverUrl: string,
  prefix: string,
  template?: string,
): Promise<{ url: string; name: string; drop(): Promise<void> }> {
  const name = `${prefix}_${randomBytes(6).toString('hex')}`.toLowerCase();
  const admin = (statement: string) => adminQuery(serverUrl, statement);
  await admin(`CREATE DATABASE "${name}"${template ? ` TEMPLATE "${template}"` : ''}`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    name,
    drop: () => admin(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`).then(() => {}),
  };
}

/** One statement on the server's maintenance database, on a connection of its own. */
export async function adminQuery(serverUrl: string, statement: string): Promise<Array<Record<string, unknown>>> {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    return (await client.query(statement)).rows as Array<Record<string, unknown>>;
  } finally {
    await client.end();
  }
}
