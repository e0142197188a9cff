// npm run hotline:export -- --from 2026-11-01 --to 2026-11-30 --out results.xlsx|results.csv
// Writes the results of the orders received in the period (工单编号, 办理结果, 答复意见, 办结时间, …)
// in the hotline's layout (HOTLINE_MAPPING), for uploading back to the hotline system.
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { loadConfig } from '../config/load-config.ts';
import { loadHotlineMappingSync } from '../config/hotline-mapping-file.ts';
import { DomainError } from '../core/errors.ts';
import { exportPeriod } from '../core/hotline/hotline-period-fns.ts';
import { applyMigrations } from '../db/migrate.ts';
import { createPrismaClient } from '../db/prisma-client.ts';
import { hotlineExport } from '../server/hotline/hotline-export.ts';

const { values } = parseArgs({
  options: { from: { type: 'string' }, to: { type: 'string' }, out: { type: 'string' } },
});
if (!values.out || !/\.(csv|xlsx)$/i.test(values.out)) {
  process.stderr.write('用法：npm run hotline:export -- --from YYYY-MM-DD --to YYYY-MM-DD --out 结果.xlsx|结果.csv\n');
  process.exit(2);
}
const config = loadConfig();
await applyMigrations(config.DATABASE_URL);
const db = await createPrismaClient(config.DATABASE_URL);
try {
  const mapping = loadHotlineMappingSync(config.HOTLINE_MAPPING);
  const period = exportPeriod(values.from, values.to);
  const format = values.out.toLowerCase().endsWith('.csv') ? 'csv' : 'xlsx';
  const { body, rows } = await hotlineExport(db, mapping, period, format);
  writeFileSync(values.out, body);
  process.stdout.write(`已导出 ${rows} 条工单办理结果到 ${values.out}\n`);
} catch (err) {
  if (err instanceof DomainError) {
    process.stderr.write(`${err.message}\n`);
    process.exitCode = 1;
  } else throw err;
} finally {
  await db.$disconnect();
}
