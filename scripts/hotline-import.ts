// npm run hotline:import -- <file.csv|file.xlsx>
// Files a 12345 hotline export as cases (layout from HOTLINE_MAPPING) and prints the report:
// created, skipped (already imported) and failed rows with their row numbers.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { createDomain } from '../app/create-domain.ts';
import { loadConfig } from '../config/load-config.ts';
import { createLogger } from '../config/logger.ts';
import { DomainError } from '../core/errors.ts';
import { reportText } from '../core/hotline/hotline-report.ts';
import { applyMigrations } from '../db/migrate.ts';
import { createPrismaClient } from '../db/prisma-client.ts';
import { seedReferenceData } from '../db/seed.ts';
import { readHotlineFile } from '../server/hotline/hotline-file-read.ts';

const file = process.argv[2];
if (!file) {
  process.stderr.write('用法：npm run hotline:import -- <工单导出文件.csv|.xlsx>\n');
  process.exit(2);
}
const config = loadConfig();
const logger = createLogger({ ...config, LOG_LEVEL: 'warn' });
await applyMigrations(config.DATABASE_URL);
const db = await createPrismaClient(config.DATABASE_URL);
try {
  await seedReferenceData(db);
  const domain = await createDomain({ db, config, logger });
  const rows = await readHotlineFile(path.basename(file), readFileSync(file), domain.hotline.mapping);
  const report = await domain.hotline.imports.importRows(rows);
  process.stdout.write(reportText(report));
  if (report.failed.length) process.exitCode = 1;
} catch (err) {
  if (err instanceof DomainError) {
    process.stderr.write(`${err.message}\n`);
    process.exitCode = 1;
  } else throw err;
} finally {
  await db.$disconnect();
}
