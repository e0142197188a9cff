import { loadPowerListFile } from '../config/power-list-file.ts';
import { defaultPowerListPath } from '../config/power-list-file.ts';
import { importPowerList } from './power-list-store.ts';
import type { Db } from './prisma-client.ts';
import { seedOrganisation, STARTUP_TRANSACTION } from './seed-organisation.ts';

/** Everything the product needs in an empty database; safe to run on every start. */
export async function seedReferenceData(db: Db): Promise<void> {
  await seedOrganisation(db);
  // The bundled list only fills an empty database: a list an administrator imported stays active.
  if ((await db.powerListVersion.count()) === 0) {
    await importPowerList(db, await loadPowerListFile(defaultPowerListPath()), STARTUP_TRANSACTION);
  }
}
