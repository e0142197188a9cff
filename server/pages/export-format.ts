import { createRequire } from 'node:module';
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import { Worker } from 'node:worker_threads';

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

/** toCsv for long tables: the same bytes, built CHUNK rows per turn of the event loop. */
export async function toCsvYielding(t: ExportTable, chunk = 500): Promise<Buffer> {
  const parts: string[] = [`\uFEFF${t.headers.map(csvCell).join(',')}\r\n`];
  for (let i = 0; i < t.rows.length; i += chunk) {
    if (i > 0) await yieldToEventLoop();
    parts.push(
      t.rows
        .slice(i, i + chunk)
        .map((r) => `${r.map(csvCell).join(',')}\r\n`)
        .join(''),
    );
  }
  return Buffer.from(parts.join(''), 'utf8');
}

// The workbook is built on a worker thread: ExcelJS adds rows and zips synchronously, seconds
// for a year of cases, and the event loop (every other request, /healthz included) would wait.
// CommonJS source, as in db/reader-pool.ts: no TypeScript loader needed in the worker.
const XLSX_WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const ExcelJS = require(workerData.exceljs);
(async () => {
  const wb = new ExcelJS.Workbook();
  wb.creator = '网格通 Gridline';
  wb.created = new Date();
  for (const t of workerData.tables) {
    const ws = wb.addWorksheet(t.sheet, { views: [{ state: 'frozen', ySplit: 1 }] });
    ws.addRow(t.headers).font = { bold: true };
    for (const r of t.rows) ws.addRow(r.map((v) => (v === null ? '' : v)));
    t.headers.forEach((h, i) => {
      ws.getColumn(i + 1).width = (t.widths && t.widths[i]) || Math.min(40, Math.max(10, h.length * 2 + 2));
    });
  }
  const body = new Uint8Array(await wb.xlsx.writeBuffer());
  parentPort.postMessage({ body }, [body.buffer]);
})().catch((err) => parentPort.postMessage({ error: String((err && err.stack) || err) }));
`;

export function toXlsx(tables: ExportTable[]): Promise<Buffer> {
  const exceljs = createRequire(import.meta.url).resolve('exceljs');
  return new Promise((resolve, reject) => {
    const worker = new Worker(XLSX_WORKER_SOURCE, { eval: true, workerData: { exceljs, tables } });
    let settled = false;
    worker.once('message', (m: { body: Uint8Array } | { error: string }) => {
      settled = true;
      if ('error' in m) reject(new Error(m.error));
      else resolve(Buffer.from(m.body.buffer, m.body.byteOffset, m.body.byteLength));
      void worker.terminate();
    });
    worker.once('error', (err) => {
      settled = true;
      reject(err);
    });
    worker.once('exit', (code) => {
      if (!settled) reject(new Error(`XLSX worker exited (${code})`));
    });
  });
}

export const XLSX_MIME = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
