import ExcelJS from 'exceljs';

/** A table to export: headers, rows of plain values, and per-column hints for Excel. */
export interface ExportTable {
  sheet: string;
  headers: string[];
  rows: Array<Array<string | number | null>>;
  /** Column indexes holding percentages (0–100) or date-times, for number formats in XLSX. */
  widths?: number[];
}

// Excel runs a cell starting with these as a formula (CSV injection): quote such text.
const FORMULA_START = /^[=+\-@\t\r]/;

function csvCell(v: string | number | null): string {
  if (v === null) return '';
  if (typeof v === 'number') return String(v);
  const text = FORMULA_START.test(v) ? `'${v}` : v;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** UTF-8 with a byte-order mark and CRLF lines: what Excel on Windows opens correctly in Chinese. */
export function toCsv(t: ExportTable): Buffer {
  const lines = [t.headers, ...t.rows].map((r) => r.map(csvCell).join(','));
  return Buffer.from(`\uFEFF${lines.join('\r\n')}\r\n`, 'utf8');
}

export async function toXlsx(tables: ExportTable[]): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = '网格通 Gridline';
  wb.created = new Date();
  for (const t of tables) {
    const ws = wb.addWorksheet(t.sheet, { views: [{ state: 'frozen', ySplit: 1 }] });
    ws.addRow(t.headers).font = { bold: true };
    for (const r of t.rows) ws.addRow(r.map((v) => (v === null ? '' : v)));
    t.headers.forEach((h, i) => {
      ws.getColumn(i + 1).width = t.widths?.[i] ?? Math.min(40, Math.max(10, h.length * 2 + 2));
    });
  }
  return Buffer.from(await wb.xlsx.writeBuffer());
}

export const XLSX_MIME = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
