import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import type { MigrationList } from '@prisma/schema-engine-wasm/schema_engine_bg';

/** Reads prisma/migrations the way the Prisma CLI hands it to the engine. */
export async function readMigrationsList(baseDir: string): Promise<MigrationList> {
  const entries = existsSync(baseDir) ? await readdir(baseDir, { withFileTypes: true }) : [];
  const dirs = entries
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort();
  const migrationDirectories = await Promise.all(
    dirs.map(async (dir) => {
      const file = path.join(baseDir, dir, 'migration.sql');
      const content = await readFile(file, 'utf8').then(
        (value) => ({ tag: 'ok' as const, value }),
        (err: Error) => ({ tag: 'error' as const, value: err.message }),
      );
      return { path: dir, migrationFile: { path: 'migration.sql', content } };
    }),
  );
  const lockPath = path.join(baseDir, 'migration_lock.toml');
  const lockContent = existsSync(lockPath) ? await readFile(lockPath, 'utf8') : null;
  return {
    baseDir,
    lockfile: { path: 'migration_lock.toml', content: lockContent },
    shadowDbInitScript: '',
    migrationDirectories,
  };
}

/** `20261129203500_name`: Prisma's folder naming, UTC timestamp first so order is lexical. */
export function migrationFolderName(now: Date, name: string): string {
  const stamp = now.toISOString().replace(/[-:T]/g, '').slice(0, 14);
  const slug = name
    .trim()
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_|_$/g, '');
  if (!slug) throw new Error('Migration name must contain letters or digits, e.g. --name add_ratings');
  return `${stamp}_${slug}`;
}
