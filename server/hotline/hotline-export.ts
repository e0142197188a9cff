import { hotlineExportTable } from '../../core/hotline/hotline-export-fns.ts';
import type { HotlineMapping } from '../../core/hotline/hotline-mapping.ts';
import { hotlineResults } from '../../db/hotline-queries.ts';
import type { Db } from '../../db/prisma-client.ts';
import { toCsv, toXlsx } from '../pages/export-format.ts';

/** The results of the orders received in [from, to), in the hotline's layout, as CSV or XLSX. */
export async function hotlineExport(
  db: Db,
  mapping: HotlineMapping,
  period: { from: Date; to: Date },
  format: 'csv' | 'xlsx',
): Promise<{ body: Buffer; rows: number }> {
  const results = await hotlineResults(db, mapping.source, period.from, period.to);
  const table = hotlineExportTable(results, mapping);
  const body = format === 'csv' ? toCsv(table) : await toXlsx([table]);
  return { body, rows: table.rows.length };
}
