import { Worker } from 'node:worker_threads';
import { exceljsPath } from './exceljs-path.ts';
import { LOWEST_THREAD_PRIORITY } from './worker-priority.ts';

type Cell = string | number | null;

/** One sheet written a row at a time; its last `optional` columns exist only if some row fills them. */
export interface XlsxStreamSheet {
  sheet: string;
  headers: string[];
  widths?: number[];
  /** How many trailing columns appear only when some row has them (the reporter's contact). */
  optional?: number;
}

/** A row's cells, and its optional trailing cells (null where the row may not have them). */
export type XlsxStreamRow = [cells: Cell[], tail: Cell[] | null];

// The sheet is written on a worker thread with ExcelJS's streaming writer, whose zip (archiver)
// gives out the file as rows are committed: neither the whole table nor the whole workbook is
// ever on the main thread, which only maps a chunk of rows, posts it, and passes the bytes on.
// Same file as toXlsx (export-format.ts) builds: frozen bold header row, the same widths, ''
// for an empty cell, shared strings. Whether the optional columns exist depends on the rows,
// so rows wait here (on the worker, not the main thread) until the first row that has them,
// or the end, as the CSV does with its lines (export-tables.ts casesCsv).
// CommonJS source, as in db/reader-pool.ts: no TypeScript loader needed in the worker.
const XLSX_STREAM_WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const { Writable } = require('node:stream');
const ExcelJS = require(workerData.exceljs);
${LOWEST_THREAD_PRIORITY}
const head = workerData.head;
const optional = head.optional || 0;
const fail = (err) => parentPort.postMessage({ error: String((err && err.stack) || err) });
// A stream's chunk may share its memory with other buffers: copy it, then hand the copy over.
const out = new Writable({
  write(chunk, _encoding, done) {
    const bytes = new Uint8Array(chunk);
    parentPort.postMessage({ bytes }, [bytes.buffer]);
    done();
  },
});
const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true, useSharedStrings: true });
wb.creator = '网格通 Gridline';
let ws = null;
let withTail = null;
let held = [];
const emptyTail = Array.from({ length: optional }, () => null);
function add(cells, tail) {
  const values = withTail ? cells.concat(tail || emptyTail) : cells;
  ws.addRow(values.map((v) => (v === null ? '' : v))).commit();
}
function open(tail) {
  withTail = tail;
  const headers = tail ? head.headers : head.headers.slice(0, head.headers.length - optional);
  ws = wb.addWorksheet(head.sheet, { views: [{ state: 'frozen', ySplit: 1 }] });
  headers.forEach((h, i) => {
    ws.getColumn(i + 1).width = (head.widths && head.widths[i]) || Math.min(40, Math.max(10, h.length * 2 + 2));
  });
  const row = ws.addRow(headers);
  row.font = { bold: true };
  row.commit();
  for (const cells of held) add(cells, null);
  held = [];
}
if (!optional) open(false);
parentPort.on('message', (m) => {
  try {
    if (typeof m === 'string') {
      for (const [cells, tail] of JSON.parse(m)) {
        if (withTail === null) {
          if (tail === null) {
            held.push(cells);
            continue;
          }
          open(true);
        }
        add(cells, tail);
      }
      parentPort.postMessage({ took: true });
    } else if (m.end) {
      if (withTail === null) open(false);
      ws.commit();
      wb.commit().then(() => parentPort.postMessage({ done: true }), fail);
    }
  } catch (err) {
    fail(err);
  }
});
`;

/** Chunks posted and not yet written: one being written, the next waiting in the worker's queue. */
const IN_FLIGHT = 2;

type WorkerMessage = { bytes: Uint8Array } | { took: true } | { done: true } | { error: string };

/**
 * The XLSX file of one sheet, as pieces of bytes, from rows that `next` reads a chunk at a time
 * (null at the end). At most IN_FLIGHT chunks are on the worker (the next is read meanwhile), and
 * while there are bytes the next chunk is read only once the caller has taken them (backpressure).
 * That does not pace the reads by the client: ExcelJS may hold a sheet's XML until the sheet ends
 * (exports of 1,000 and 5,000 cases, unread: often no byte between the zip's first ones and the
 * commit), and without bytes the chunks are read as fast as the worker takes them. The
 * rows are read and posted by a function that returns before the bytes are handed on: nothing
 * of a chunk stays alive on the main thread while the client takes its time. Returning early
 * (the client went away) or a failure ends the worker.
 */
export async function* xlsxStream(
  sheet: XlsxStreamSheet,
  next: () => Promise<XlsxStreamRow[] | null>,
): AsyncGenerator<Buffer> {
  const exceljs = exceljsPath();
  // execArgv []: the worker is plain CommonJS and needs none of the process's flags; with them it
  // would load the TypeScript loader (`--import tsx`) again at every export.
  const worker = new Worker(XLSX_STREAM_WORKER_SOURCE, {
    eval: true,
    execArgv: [],
    workerData: { exceljs, head: sheet },
  });
  const bytes: Buffer[] = [];
  let sent = 0;
  let took = 0;
  let done = false;
  let failure: Error | null = null;
  let wake: (() => void) | null = null;
  const signal = () => {
    const w = wake;
    wake = null;
    w?.();
  };
  worker.on('message', (m: WorkerMessage) => {
    if ('bytes' in m) bytes.push(Buffer.from(m.bytes.buffer, m.bytes.byteOffset, m.bytes.byteLength));
    else if ('took' in m) took += 1;
    else if ('done' in m) done = true;
    else failure ??= new Error(m.error);
    signal();
  });
  worker.once('error', (err) => {
    failure ??= err;
    signal();
  });
  worker.once('exit', (code) => {
    if (!done) failure ??= new Error(`XLSX worker exited (${code})`);
    signal();
  });
  const until = async (ready: () => boolean) => {
    for (;;) {
      if (failure) throw failure;
      if (ready()) return;
      await new Promise<void>((resolve) => (wake = resolve));
    }
  };
  /** The next chunk as one JSON string (null at the end), made in a frame of its own. */
  const nextText = async (): Promise<string | null> => {
    const rows = await next();
    return rows ? JSON.stringify(rows) : null;
  };
  /**
   * Reads the next chunk and posts it at once; false at the end. A chunk goes over as one JSON
   * string: cloning a string is a copy of its bytes, where the structured clone of a chunk's rows of
   * cells walked every value and was the main thread's largest cost in an export (about 20 µs a
   * row, 7 s of 33 for sixteen 20,000-row exports). The wait for the worker comes before the
   * read, not between the read and the post: once posted, a chunk lives in the worker's queue
   * outside this heap, instead of waiting on it (for a worker at the lowest priority, seconds on
   * a busy machine) long enough to be promoted to the old generation.
   */
  const post = async (): Promise<boolean> => {
    await until(() => sent - took < IN_FLIGHT);
    const text = await nextText();
    if (text === null) return false;
    worker.postMessage(text);
    sent += 1;
    return true;
  };
  try {
    while (await post()) {
      while (bytes.length) yield bytes.shift()!;
    }
    worker.postMessage({ end: true });
    await until(() => done);
    while (bytes.length) yield bytes.shift()!;
  } finally {
    void worker.terminate();
  }
}
