// npm run db:seed: idempotent reference data (streets, teams, departments, power list).
import { loadConfig } from '../config/load-config.ts';
import { applyMigrations } from '../db/migrate.ts';
import { createPrismaClient } from '../db/prisma-client.ts';
import { seedReferenceData } from '../db/seed.ts';

const config = loadConfig();
await applyMigrations(config.DATABASE_URL);
const db = await createPrismaClient(config.DATABASE_URL);
await seedReferenceData(db);
const [streets, departments] = await Promise.all([db.street.count(), db.department.count()]);
process.stdout.write(`Seeded: ${streets} streets, ${departments} departments and bureau.\n`);
await db.$disconnect();
