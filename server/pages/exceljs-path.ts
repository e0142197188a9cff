import { createRequire } from 'node:module';

let resolved: string | undefined;

/**
 * Where ExcelJS is, for the XLSX worker threads, which `require` it by this path: resolved once,
 * not at every export (each resolution walks node_modules through the loader's resolver on the
 * event loop).
 */
export function exceljsPath(): string {
  resolved ??= createRequire(import.meta.url).resolve('exceljs');
  return resolved;
}
