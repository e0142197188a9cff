// FILES_STORE=local (the default): files under DATA_DIR, as Gridline always kept them. Moved here
// from core/evidence/evidence-files.ts, unchanged in behaviour: atomic, fsynced writes, read-only
// originals, nothing read or written outside DATA_DIR.
import { randomBytes } from 'node:crypto';
import fs, { createReadStream } from 'node:fs';
import { mkdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { checkFileKey, type FileStore } from '../core/evidence/file-store-port.ts';
import { sha256Hex } from '../core/evidence/sha256-fns.ts';

// Originals are made read-only on disk: nothing in Gridline has a reason to change evidence.
const IMMUTABLE_MODE = 0o444;
const DEFAULT_MODE = 0o644;

export function createLocalFileStore(dataDir: string): FileStore {
  const root = path.resolve(dataDir);

  /** Absolute path of a key; refuses anything that would leave DATA_DIR (keys are checked first too). */
  function fileOf(key: string): string {
    const full = path.resolve(root, ...checkFileKey(key).split('/'));
    if (!full.startsWith(root + path.sep)) throw new Error(`path escapes DATA_DIR: ${key}`);
    return full;
  }

  async function sizeOf(file: string): Promise<number | null> {
    const info = await stat(file).catch(() => null);
    return info?.isFile() ? info.size : null;
  }

  return {
    describe: `local folder ${root}`,

    async put(key, bytes, opts = {}) {
      await writeFileAtomic(fileOf(key), bytes, opts.immutable ? IMMUTABLE_MODE : DEFAULT_MODE);
    },

    async has(key, sha256) {
      const file = fileOf(key);
      if (sha256 === undefined) return (await sizeOf(file)) !== null;
      try {
        return sha256Hex(await readFile(file)) === sha256;
      } catch {
        return false;
      }
    },

    async read(key) {
      try {
        return await readFile(fileOf(key));
      } catch (err) {
        if (isMissing(err)) return null;
        throw err;
      }
    },

    async open(key) {
      const file = fileOf(key);
      const size = await sizeOf(file);
      return size === null ? null : { size, body: createReadStream(file) };
    },

    // A write, not a permission check: root passes every access() test, while a full disk or a
    // file system remounted read-only refuse the write itself. The folder is made as put() would.
    async probe() {
      const probe = path.join(root, `.probe-${randomBytes(6).toString('hex')}.tmp`);
      try {
        await mkdir(root, { recursive: true });
        await writeFile(probe, 'ok');
      } catch (err) {
        const why = err instanceof Error ? err.message : String(err);
        throw new Error(`FILES_STORE=local: cannot write to ${root}: ${why}`, { cause: err });
      } finally {
        await rm(probe, { force: true }).catch(() => {});
      }
    },
  };
}

function isMissing(err: unknown): boolean {
  const code = (err as NodeJS.ErrnoException | null)?.code;
  return code === 'ENOENT' || code === 'EISDIR' || code === 'ENOTDIR';
}

/**
 * node:fs's callback API, promisified: about a third less event-loop time per call than
 * fs/promises' FileHandle, which intake's photo writes pay on the loop.
 */
const fsCall = {
  open: promisify(fs.open),
  write: promisify(fs.write),
  fsync: promisify(fs.fsync),
  fchmod: promisify(fs.fchmod),
  close: promisify(fs.close),
  mkdir: promisify(fs.mkdir),
  rename: promisify(fs.rename),
};

async function fsyncDir(dir: string): Promise<void> {
  const fd = await fsCall.open(dir, 'r');
  try {
    await fsCall.fsync(fd);
  } finally {
    await fsCall.close(fd);
  }
}

/**
 * Writes to a temporary file in the same folder, fsyncs it, renames it over the target and fsyncs
 * the folder: after a crash the target is either absent or complete, never half-written. Readers
 * never see a partial photo, and two writers of the same content-addressed file cannot interleave.
 * Intake's photo reports pay this on the event loop, so it takes few calls: the folder is made only
 * when the temporary file cannot be opened for lack of it, and the mode is set on the open file.
 */
async function writeFileAtomic(file: string, bytes: Buffer, mode: number): Promise<void> {
  const dir = path.dirname(file);
  const tmp = path.join(dir, `.${path.basename(file)}.${randomBytes(6).toString('hex')}.tmp`);
  let fd: number;
  try {
    fd = await fsCall.open(tmp, 'wx', mode);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    await fsCall.mkdir(dir, { recursive: true });
    fd = await fsCall.open(tmp, 'wx', mode);
  }
  try {
    try {
      for (let done = 0; done < bytes.length;)
        done += (await fsCall.write(fd, bytes, done, bytes.length - done, null)).bytesWritten;
      await fsCall.fsync(fd);
      await fsCall.fchmod(fd, mode); // open's mode is filtered by the umask; the stored mode is deliberate
    } finally {
      await fsCall.close(fd);
    }
    await fsCall.rename(tmp, file);
  } catch (err) {
    await rm(tmp, { force: true });
    throw err;
  }
  await fsyncDir(dir);
}
