import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import { Worker } from 'node:worker_threads';
import { exceljsPath } from './exceljs-path.ts';
import { LOWEST_THREAD_PRIORITY } from './worker-priority.ts';

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

/** One CSV line's text, without its line end. */
export function csvLine(cells: ReadonlyArray<string | number | null>): string {
  return cells.map(csvCell).join(',');
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
// The tables reach the worker in slices of rows (one structured clone of a 20,000-row table
// would itself hold the loop): a sheet's header, its rows, then the end.
const XLSX_WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const ExcelJS = require(workerData.exceljs);
${LOWEST_THREAD_PRIORITY}
const wb = new ExcelJS.Workbook();
wb.creator = '网格通 Gridline';
wb.created = new Date();
let ws = null;
parentPort.on('message', (m) => {
  try {
    if (m.sheet) {
      ws = wb.addWorksheet(m.sheet.name, { views: [{ state: 'frozen', ySplit: 1 }] });
      ws.addRow(m.sheet.headers).font = { bold: true };
      m.sheet.headers.forEach((h, i) => {
        ws.getColumn(i + 1).width = (m.sheet.widths && m.sheet.widths[i]) || Math.min(40, Math.max(10, h.length * 2 + 2));
      });
    } else if (m.rows) {
      for (const r of m.rows) ws.addRow(r.map((v) => (v === null ? '' : v)));
    } else if (m.end) {
      wb.xlsx.writeBuffer().then(
        (buf) => {
          const body = new Uint8Array(buf);
          parentPort.postMessage({ body }, [body.buffer]);
        },
        (err) => parentPort.postMessage({ error: String((err && err.stack) || err) }),
      );
    }
  } catch (err) {
    parentPort.postMessage({ error: String((err && err.stack) || err) });
  }
});
`;

/**
 * A whole workbook from whole tables, for the small exports (statistics, hotline). The case
 * export, up to 20,000 rows, is streamed instead (xlsx-stream.ts, export-tables.ts casesXlsx).
 */
export async function toXlsx(tables: ExportTable[], chunk = 500): Promise<Buffer> {
  const exceljs = exceljsPath();
  // Plain CommonJS: no need for the process's flags (`--import tsx` would load again per file).
  const worker = new Worker(XLSX_WORKER_SOURCE, { eval: true, execArgv: [], workerData: { exceljs } });
  const done = new Promise<Buffer>((resolve, reject) => {
    let settled = false;
    worker.once('message', (m: { body: Uint8Array } | { error: string }) => {
      settled = true;
      if ('error' in m) reject(new Error(m.error));
      else resolve(Buffer.from(m.body.buffer, m.body.byteOffset, m.body.byteLength));
    });
    worker.once('error', (err) => {
      settled = true;
      reject(err);
    });
    worker.once('exit', (code) => {
      if (!settled) reject(new Error(`XLSX worker exited (${code})`));
    });
  });
  // A worker that fails early rejects `done` before it is awaited below: not an unhandled rejection.
  done.catch(() => undefined);
  try {
    for (const t of tables) {
      worker.postMessage({ sheet: { name: t.sheet, headers: t.headers, widths: t.widths ?? null } });
      for (let i = 0; i < t.rows.length; i += chunk) {
        worker.postMessage({ rows: t.rows.slice(i, i + chunk) });
        await yieldToEventLoop();
      }
    }
    worker.postMessage({ end: true });
    return await done;
  } finally {
    void worker.terminate();
  }
}

export const XLSX_MIME = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
