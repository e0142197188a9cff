import { fileURLToPath } from 'node:url';
import { parsePowerListText, PowerListError } from '../core/power-list/power-list-parse.ts';
import type { PowerList } from '../core/power-list/power-list-types.ts';
import { readTextFile, readTextFileSync } from './read-text-file.ts';

// Reading the power list from a file, here rather than in core/, which parses and validates but
// never touches the disk.

/** The bundled list (prisma/data/power-list.json), found from this module so any working directory works. */
export function defaultPowerListPath(): string {
  return fileURLToPath(new URL('../prisma/data/power-list.json', import.meta.url));
}

const cannotRead = (path: string) => (reason: string) => new PowerListError(`无法读取权力清单文件 ${path}`, [reason]);

/** Reads and validates a power list JSON file. */
export async function loadPowerListFile(path: string): Promise<PowerList> {
  return parsePowerListText(await readTextFile(path, cannotRead(path)), path);
}

/** Synchronous twin for CLIs and benchmarks that start before any event loop work. */
export function loadPowerListFileSync(path: string): PowerList {
  return parsePowerListText(readTextFileSync(path, cannotRead(path)), path);
}
