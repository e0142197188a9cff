import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import type { CellValue } from '../../core/hotline/hotline-date-fns.ts';
import type { SourceRow } from '../../core/hotline/hotline-import-service.ts';
import type { HotlineMapping } from '../../core/hotline/hotline-mapping.ts';
import { ValidationError } from '../../core/errors.ts';

export const MAX_ROWS = 20_000;
// A title line or two often sits above the header in real exports.
const HEADER_SEARCH_ROWS = 10;

export type HotlineFileKind = 'csv' | 'xlsx';

/** By name, else by content: an XLSX file is a ZIP (PK\x03\x04). */
export function fileKind(name: string, bytes: Buffer): HotlineFileKind {
  if (/\.xlsx$/i.test(name)) return 'xlsx';
  if (/\.(csv|txt)$/i.test(name)) return 'csv';
  if (bytes.subarray(0, 4).equals(Buffer.from([0x50, 0x4b, 0x03, 0x04]))) return 'xlsx';
  return 'csv';
}

/**
 * Text of a CSV export. Hotline systems on Windows write GBK (GB18030 is its superset); newer
 * ones UTF-8, often with a BOM, or UTF-16 from Excel's "Unicode text". Anything that is not
 * valid UTF-8 is read as GB18030.
 */
export function decodeCsv(bytes: Buffer): string {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return bytes.subarray(3).toString('utf8');
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return new TextDecoder('utf-16le').decode(bytes.subarray(2));
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return new TextDecoder('gb18030').decode(bytes);
  }
}

const clean = (h: unknown) =>
  String(h ?? '')
    .replace(/^\uFEFF/, '')
    .trim();

/** Rows (arrays of cells, with their row numbers) → rows keyed by header, from the header row on. */
function keyed(rows: Array<{ row: number; cells: CellValue[] }>, mapping: HotlineMapping): SourceRow[] {
  const refHeaders = new Set(mapping.columns.ref ?? []);
  const at = rows.slice(0, HEADER_SEARCH_ROWS).findIndex((r) => r.cells.some((c) => refHeaders.has(clean(c))));
  if (at < 0) {
    throw new ValidationError(`文件中找不到表头（应有“${[...refHeaders].join('”或“')}”列），请确认是热线导出的工单表`);
  }
  const headers = rows[at]!.cells.map(clean);
  const out: SourceRow[] = [];
  for (const r of rows.slice(at + 1)) {
    if (r.cells.every((c) => c === null || c === undefined || String(c).trim() === '')) continue;
    const cells: Record<string, CellValue> = {};
    headers.forEach((h, i) => {
      if (h && cells[h] === undefined) cells[h] = r.cells[i] ?? null;
    });
    out.push({ row: r.row, cells });
  }
  if (out.length > MAX_ROWS) throw new ValidationError(`一次最多导入 ${MAX_ROWS} 条工单，请分批导入`);
  return out;
}

export function readCsv(bytes: Buffer, mapping: HotlineMapping): SourceRow[] {
  let records: string[][];
  try {
    records = parse(decodeCsv(bytes), { relax_column_count: true, relax_quotes: true, bom: true });
  } catch (err) {
    throw new ValidationError(`CSV 文件无法解析：${(err as Error).message.slice(0, 120)}`);
  }
  // Row numbers as a spreadsheet shows them: the n-th record is row n.
  return keyed(
    records.map((cells, i) => ({ row: i + 1, cells })),
    mapping,
  );
}

/** exceljs cell values: rich text, formulas, hyperlinks and errors reduced to what they show. */
function plain(v: ExcelJS.CellValue): CellValue {
  if (v === null || v === undefined) return null;
  if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' || v instanceof Date) return v;
  if ('richText' in v) return v.richText.map((t) => t.text).join('');
  if ('result' in v) return plain(v.result as ExcelJS.CellValue);
  if ('text' in v) return String(v.text);
  return null;
}

export async function readXlsx(bytes: Buffer, mapping: HotlineMapping): Promise<SourceRow[]> {
  const wb = new ExcelJS.Workbook();
  try {
    await wb.xlsx.load(bytes as unknown as ArrayBuffer);
  } catch {
    throw new ValidationError('XLSX 文件无法读取，请确认文件完整且为 Excel 2007 及以上格式');
  }
  const ws = wb.worksheets[0];
  if (!ws) throw new ValidationError('XLSX 文件中没有工作表');
  const rows: Array<{ row: number; cells: CellValue[] }> = [];
  ws.eachRow({ includeEmpty: false }, (r, n) => {
    const cells: CellValue[] = [];
    r.eachCell({ includeEmpty: true }, (cell, col) => {
      cells[col - 1] = plain(cell.value);
    });
    rows.push({ row: n, cells });
  });
  return keyed(rows, mapping);
}

export async function readHotlineFile(name: string, bytes: Buffer, mapping: HotlineMapping): Promise<SourceRow[]> {
  return fileKind(name, bytes) === 'xlsx' ? readXlsx(bytes, mapping) : readCsv(bytes, mapping);
}
