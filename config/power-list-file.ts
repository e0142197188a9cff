import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { errorText, parsePowerListText, PowerListError } from '../core/power-list/power-list-parse.ts';
import type { PowerList } from '../core/power-list/power-list-types.ts';

// Reading the power list from a file, here rather than in core/, which parses and validates but
// never touches the disk.

/** The bundled list (prisma/data/power-list.json), found from this module so any working directory works. */
export function defaultPowerListPath(): string {
  return fileURLToPath(new URL('../prisma/data/power-list.json', import.meta.url));
}

/** Reads and validates a power list JSON file. */
export async function loadPowerListFile(path: string): Promise<PowerList> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    throw new PowerListError(`无法读取权力清单文件 ${path}`, [errorText(err)]);
  }
  return parsePowerListText(text, path);
}

/** Synchronous twin for CLIs and benchmarks that start before any event loop work. */
export function loadPowerListFileSync(path: string): PowerList {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new PowerListError(`无法读取权力清单文件 ${path}`, [errorText(err)]);
  }
  return parsePowerListText(text, path);
}
