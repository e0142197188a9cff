import type { Db } from './prisma-client.ts';
import { seedOrganisation } from './seed-organisation.ts';

/** Everything the product needs in an empty database; safe to run on every start. */
export async function seedReferenceData(db: Db): Promise<void> {
  await seedOrganisation(db);
}
