// npm run stats:rebuild: recompute the statistics rollups ("StatsRollup", and the event facts
// and rollups "StatsEventFact", "StatsEventRollup") from the cases, ratings and case events, and
// the lists' case tally ("CaseTally"), for a database whose cases were changed around the case store (an import, a repair
// by hand). The migration that added the rollups backfilled them once; the case store keeps them
// in step from then on, so this is rarely needed. Safe while the server runs: one transaction.
import { loadConfig } from '../config/load-config.ts';
import { applyMigrations } from '../db/migrate.ts';
import { createPrismaClient, sqlOf } from '../db/prisma-client.ts';
import { rebuildSummaries } from '../db/summary-rebuild.ts';

const config = loadConfig();
await applyMigrations(config.DATABASE_URL);
const db = await createPrismaClient(config.DATABASE_URL);
const started = performance.now();
const { cases, rows, facts, tally } = await sqlOf(db).transaction((tx) => rebuildSummaries(tx));
process.stdout.write(
  `Statistics rollups rebuilt: ${cases} cases into ${rows} rows, ${facts} event facts (case tally: ${tally.rows} rows) in ${((performance.now() - started) / 1000).toFixed(1)} s.
`,
);
await db.$disconnect();
