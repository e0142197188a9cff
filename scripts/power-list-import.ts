// npm run power-list:import -- <file.json>
// Loads a power list (e.g. the official one) as a new active version; old cases keep their item versions.
import { loadConfig } from '../config/load-config.ts';
import { loadPowerListFile } from '../config/power-list-file.ts';
import { PowerListError } from '../core/power-list/power-list-parse.ts';
import { applyMigrations } from '../db/migrate.ts';
import { PowerListVersionConflict, importPowerList } from '../db/power-list-store.ts';
import { createPrismaClient } from '../db/prisma-client.ts';
import { seedOrganisation } from '../db/seed-organisation.ts';

const file = process.argv[2];
if (!file) {
  process.stderr.write('Usage: npm run power-list:import -- <power-list.json>\n');
  process.exit(2);
}
const config = loadConfig();
await applyMigrations(config.DATABASE_URL);
const db = await createPrismaClient(config.DATABASE_URL);
try {
  await seedOrganisation(db);
  const outcome = await importPowerList(db, await loadPowerListFile(file));
  process.stdout.write(
    outcome.status === 'imported'
      ? `Imported power list ${outcome.version} (${outcome.items} items); it is now the active version. Restart Gridline to route with it.\n`
      : `Power list ${outcome.version} was already imported; it is the active version.\n`,
  );
} catch (err) {
  if (err instanceof PowerListError || err instanceof PowerListVersionConflict) {
    process.stderr.write(`${err.message}\n`);
    process.exitCode = 1;
  } else throw err;
} finally {
  await db.$disconnect();
}
