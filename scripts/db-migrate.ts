// npm run db:migrate: applies pending migrations to DATABASE_URL (or DATA_DIR/gridline.db).
// With the schema current it only reads, so it is safe beside a running server; pending
// migrations need the database to themselves (the server applies them itself when it starts).
import { mkdirSync } from 'node:fs';
import { loadConfig } from '../config/load-config.ts';
import { applyMigrations, DatabaseInUseError } from '../db/migrate.ts';

const config = loadConfig();
mkdirSync(config.dataDir, { recursive: true });
try {
  const applied = await applyMigrations(config.DATABASE_URL);
  process.stdout.write(applied.length ? `Applied: ${applied.join(', ')}\n` : 'Database is up to date.\n');
} catch (err) {
  if (!(err instanceof DatabaseInUseError)) throw err;
  process.stderr.write(`${err.message}\n`);
  process.exitCode = 1;
}
