import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { errorMessage } from '../core/errors.ts';

/**
 * A bundled or configured data file's text; a file that cannot be read becomes the error
 * `cannotRead` makes of the reason, so each data file names itself in Chinese.
 */
export async function readTextFile(path: string, cannotRead: (reason: string) => Error): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (err) {
    throw cannotRead(errorMessage(err));
  }
}

/** Synchronous twin, for start-up and command-line tools. */
export function readTextFileSync(path: string, cannotRead: (reason: string) => Error): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (err) {
    throw cannotRead(errorMessage(err));
  }
}
