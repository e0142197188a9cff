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

/**
 * The node:fs callback calls a write makes (open, write, fsync, fstat, fchmod, close, mkdir,
 * rename), for tests that count them; node:fs itself by default.
 */
export type WriteFs = Pick<typeof fs, 'open' | 'write' | 'fsync' | 'fstat' | 'fchmod' | 'close' | 'mkdir' | 'rename'>;

export function createLocalFileStore(dataDir: string, opts: { fs?: WriteFs } = {}): FileStore {
  const root = path.resolve(dataDir);
  const writeFileAtomic = atomicWriter(opts.fs ?? fs);

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
    cheapHas: true,

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
 * The atomic write of put(), over node:fs's callback API promisified: about a third less
 * event-loop time per call than fs/promises' FileHandle, and each call is a round trip through
 * libuv's thread pool (about 15 µs of CPU on the loop and a pool thread together), which intake's
 * photo reports pay: so it makes as few calls as the guarantee allows.
 */
function atomicWriter(fsApi: WriteFs) {
  const fsCall = {
    open: promisify(fsApi.open),
    write: promisify(fsApi.write),
    fsync: promisify(fsApi.fsync),
    fstat: promisify(fsApi.fstat),
    fchmod: promisify(fsApi.fchmod),
    close: promisify(fsApi.close),
    mkdir: promisify(fsApi.mkdir),
    rename: promisify(fsApi.rename),
  };

  /**
   * Whether open()'s mode survives the process's umask, by mode, learned from the first file
   * written with it (one fstat): when it does, as with the usual umask 022 and modes 0444/0644,
   * the fchmod that would set it again is left out. (process.umask() without an argument, the
   * other way to know, is deprecated: it sets the umask twice, racing other threads.)
   */
  const modeKept = new Map<number, boolean>();

  async function setMode(fd: number, mode: number): Promise<void> {
    let kept = modeKept.get(mode);
    if (kept === undefined) {
      kept = ((await fsCall.fstat(fd)).mode & 0o7777) === mode;
      modeKept.set(mode, kept);
    }
    // open's mode is filtered by the umask; the stored mode is deliberate
    if (!kept) await fsCall.fchmod(fd, mode);
  }

  /**
   * Folder fsyncs by folder: one running and at most one queued behind it. A rename is covered by
   * any fsync of its folder that starts after it, so a write whose rename is done joins the queued
   * one (not yet started) rather than adding its own: concurrent writes into one folder (thumbs/,
   * public/, a burst of photos) share fsyncs instead of making one each.
   */
  const dirSyncs = new Map<string, { running: Promise<void>; queued: Promise<void> | null }>();

  function syncDir(dir: string): Promise<void> {
    const entry = dirSyncs.get(dir);
    if (entry) {
      entry.queued ??= entry.running.catch(() => {}).then(() => startSync(dir));
      return entry.queued;
    }
    return startSync(dir);
  }

  function startSync(dir: string): Promise<void> {
    const entry = dirSyncs.get(dir);
    const running = fsyncDir(dir).finally(() => {
      const now = dirSyncs.get(dir);
      if (now?.running === running && now.queued === null) dirSyncs.delete(dir);
    });
    if (entry) {
      entry.running = running;
      entry.queued = null;
    } else dirSyncs.set(dir, { running, queued: null });
    return running;
  }

  async function fsyncDir(dir: string): Promise<void> {
    const fd = await fsCall.open(dir, 'r');
    try {
      await fsCall.fsync(fd);
    } finally {
      await fsCall.close(fd);
    }
  }

  /**
   * Writes to a temporary file in the same folder, fsyncs it, renames it over the target and
   * fsyncs the folder: after a crash the target is either absent or complete, never half-written.
   * Readers never see a partial photo, and two writers of the same content-addressed file cannot
   * interleave. The folder is made only when the temporary file cannot be opened for lack of it.
   */
  return async function writeFileAtomic(file: string, bytes: Buffer, mode: number): Promise<void> {
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
        await setMode(fd, mode); // before the fsync, which then covers the mode too
        await fsCall.fsync(fd);
      } finally {
        await fsCall.close(fd);
      }
      await fsCall.rename(tmp, file);
    } catch (err) {
      await rm(tmp, { force: true });
      throw err;
    }
    await syncDir(dir);
  };
}
