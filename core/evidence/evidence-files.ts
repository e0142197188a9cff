// Files under DATA_DIR: written atomically and durably, read back only from inside DATA_DIR.
import { createHash, randomBytes } from 'node:crypto';
import { constants } from 'node:fs';
import { access, chmod, mkdir, open, readFile, rename, rm } from 'node:fs/promises';
import path from 'node:path';

export function sha256Hex(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** Absolute path of a stored relative path; refuses anything that would leave DATA_DIR. */
export function resolveInside(dataDir: string, relative: string): string {
  const root = path.resolve(dataDir);
  const full = path.resolve(root, ...relative.split('/'));
  if (full !== root && !full.startsWith(root + path.sep)) throw new Error(`path escapes DATA_DIR: ${relative}`);
  return full;
}

export async function fileExists(file: string): Promise<boolean> {
  try {
    await access(file, constants.F_OK);
    return true;
  } catch {
    return false;
  }
}

async function fsyncDir(dir: string): Promise<void> {
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/**
 * Writes to a temporary file in the same folder, fsyncs it, renames it over the target and fsyncs
 * the folder: after a crash the target is either absent or complete, never half-written. Readers
 * never see a partial photo, and two writers of the same content-addressed file cannot interleave.
 */
export async function writeFileAtomic(file: string, bytes: Buffer, mode = 0o644): Promise<void> {
  const dir = path.dirname(file);
  await mkdir(dir, { recursive: true });
  const tmp = path.join(dir, `.${path.basename(file)}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    const handle = await open(tmp, 'wx', mode);
    try {
      await handle.writeFile(bytes);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await chmod(tmp, mode); // open's mode is filtered by the umask; the stored mode is deliberate
    await rename(tmp, file);
  } catch (err) {
    await rm(tmp, { force: true });
    throw err;
  }
  await fsyncDir(dir);
}

/** True when the file exists and holds exactly the bytes with this hash. */
export async function holdsContent(file: string, sha256: string): Promise<boolean> {
  try {
    return sha256Hex(await readFile(file)) === sha256;
  } catch {
    return false;
  }
}
