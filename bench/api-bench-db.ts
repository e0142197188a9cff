// The API benchmark's database, on either engine: a new one migrated and seeded (SQLite in a
// temporary folder; PostgreSQL in a throwaway cluster or at --pg-url), or a kept one reused as it
// is (`--db FILE`; `--db postgres --pg-url URL --seeded`).
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { applyMigrations } from '../db/migrate.ts';
import { createPrismaClient, sqlOf, type Db } from '../db/prisma-client.ts';
import { seedReferenceData } from '../db/seed.ts';
import { rebuildSummaries } from '../db/summary-rebuild.ts';
import { seedCasesPostgres } from './api-seed-postgres.ts';
import { seedCasesSqlite } from './api-seed-sqlite.ts';
import { startBenchCluster, stopCommand, type BenchCluster } from './pg-bench-cluster.ts';

export interface BenchDbOptions {
  /** '' (a new SQLite database), a SQLite file to reuse, or 'postgres'. */
  db: string;
  pgUrl: string;
  /** PostgreSQL: the database at pgUrl is already seeded. */
  seeded: boolean;
  cases: number;
  now: number;
  log: (s: string) => void;
}

export interface BenchDb {
  engine: 'sqlite' | 'postgres';
  url: string;
  /** A folder for DATA_DIR (photos, the SQLite file). */
  dir: string;
  db: Db;
  seeded: boolean;
  /** Disconnects; deletes what this run created unless `keep`, and says what was kept. */
  close(keep: boolean): Promise<void>;
}

export async function openBenchDb(o: BenchDbOptions): Promise<BenchDb> {
  if (o.db === 'postgres') return openPostgres(o);
  const reuse = o.db !== '';
  const dir = reuse ? path.dirname(o.db) : mkdtempSync(path.join(os.tmpdir(), 'gridline-api-bench-'));
  const file = reuse ? o.db : path.join(dir, 'bench.db');
  const url = `file:${file}`;
  if (!reuse) await applyMigrations(url);
  const db = await createPrismaClient(url);
  if (!reuse) {
    await seedReferenceData(db);
    await seedCasesSqlite(file, o.cases, o.now);
    // The seeder writes around the case store, as an import would: the rollups and the case tally
    // are rebuilt once, as `npm run stats:rebuild` does.
    await sqlOf(db).transaction((tx) => rebuildSummaries(tx));
  }
  return {
    engine: 'sqlite',
    url,
    dir,
    db,
    seeded: !reuse,
    async close(keep) {
      await db.$disconnect();
      if (keep || reuse) o.log(`database kept at ${file}`);
      else rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function openPostgres(o: BenchDbOptions): Promise<BenchDb> {
  if (o.seeded && !o.pgUrl) throw new Error('--seeded needs --pg-url (the database a run with --keep printed)');
  const cluster: BenchCluster | null = o.pgUrl ? null : await startBenchCluster();
  const url = o.pgUrl || cluster!.url;
  const dir = mkdtempSync(path.join(os.tmpdir(), 'gridline-api-bench-'));
  if (!o.seeded) await applyMigrations(url);
  const db = await createPrismaClient(url);
  if (!o.seeded) {
    await seedReferenceData(db);
    o.log(`seeding PostgreSQL at ${url}`);
    await seedCasesPostgres(url, o.cases, o.now, o.log);
    const t0 = performance.now();
    await sqlOf(db).transaction((tx) => rebuildSummaries(tx));
    o.log(`  rollups and case tally rebuilt: ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  }
  return {
    engine: 'postgres',
    url,
    dir,
    db,
    seeded: !o.seeded,
    async close(keep) {
      await db.$disconnect();
      rmSync(dir, { recursive: true, force: true });
      if (cluster && !keep) await cluster.stop();
      else if (cluster)
        o.log(
          `database kept at ${url} (reuse: --db postgres --pg-url ${url} --seeded; stop: ${stopCommand(cluster.dir)})`,
        );
      else if (!o.seeded) o.log(`database seeded at ${url}`);
    },
  };
}
