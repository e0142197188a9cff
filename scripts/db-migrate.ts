// npm run db:migrate: applies pending migrations to DATABASE_URL (or DATA_DIR/gridline.db).
import { mkdirSync } from 'node:fs';
import { loadConfig } from '../config/load-config.ts';
import { applyMigrations } from '../db/migrate.ts';

const config = loadConfig();
mkdirSync(config.dataDir, { recursive: true });
const applied = await applyMigrations(config.DATABASE_URL);
process.stdout.write(applied.length ? `Applied: ${applied.join(', ')}\n` : 'Database is up to date.\n');
