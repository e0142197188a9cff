import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseHotlineMapping, type HotlineMapping } from '../core/hotline/hotline-mapping.ts';
import { ValidationError } from '../core/errors.ts';

/** The bundled layout (Wuhan 12345), found from this module so any working directory works. */
export function defaultHotlineMappingPath(): string {
  return fileURLToPath(new URL('./hotline/wuhan-12345.json', import.meta.url));
}

/** Reads and validates a mapping file (HOTLINE_MAPPING); a bad file stops the start with its problems listed. */
export function loadHotlineMappingSync(file: string | undefined, cwd = process.cwd()): HotlineMapping {
  const where = file ? path.resolve(cwd, file) : defaultHotlineMappingPath();
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(where, 'utf8'));
  } catch (err) {
    throw new ValidationError(`热线映射文件 ${where} 无法读取：${(err as Error).message}`);
  }
  return parseHotlineMapping(json, `热线映射文件 ${where} `);
}
