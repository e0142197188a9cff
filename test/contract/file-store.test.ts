// One contract for both file stores (storage/): the local folder under DATA_DIR and an
// S3-compatible bucket (s3rver here, MinIO or any S3 store in production). Same cases, same answers.
import { randomBytes, randomUUID } from 'node:crypto';
import fs, { mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { FileStore, StoredFile } from '../../core/evidence/file-store-port.ts';
import { sha256Hex } from '../../core/evidence/sha256-fns.ts';
import { openFileStore } from '../../storage/file-store-from-config.ts';
import { createLocalFileStore, type WriteFs } from '../../storage/local-file-store.ts';
import { createS3FileStore } from '../../storage/s3-file-store.ts';
import { testTmpDir } from '../helpers/global-setup.ts';
import { startS3Emulator, type S3Emulator } from '../helpers/s3-emulator.ts';
import { testConfig } from '../helpers/test-config.ts';

async function bytesOf(file: StoredFile | null): Promise<Buffer> {
  const chunks: Uint8Array[] = [];
  for await (const chunk of file!.body) chunks.push(chunk);
  return Buffer.concat(chunks);
}

const key = (name = `${randomUUID()}.jpg`) => `evidence/ab/cd/${name}`;

let s3: S3Emulator;
beforeAll(async () => {
  s3 = await startS3Emulator();
});
afterAll(async () => s3?.close());

const ADAPTERS: Array<{ title: string; make: () => FileStore }> = [
  { title: 'local folder', make: () => createLocalFileStore(path.join(testTmpDir(), `files-${randomUUID()}`)) },
  {
    title: 'S3-compatible bucket (s3rver)',
    make: () =>
      createS3FileStore({
        endpoint: s3.endpoint,
        bucket: s3.bucket,
        region: 'us-east-1',
        accessKeyId: 'S3RVER',
        secretAccessKey: 'S3RVER',
        forcePathStyle: true,
      }),
  },
];

for (const { title, make } of ADAPTERS) {
  describe(`file store contract: ${title}`, () => {
    let files: FileStore;
    beforeAll(() => {
      files = make();
    });

    it('gives back what was put, whole and streamed, with its size', async () => {
      const k = key();
      const bytes = randomBytes(3 * 1024 * 1024 + 17); // several chunks of any stream
      await files.put(k, bytes, { immutable: true });
      expect((await files.read(k))!.equals(bytes)).toBe(true);
      const opened = await files.open(k);
      expect(opened?.size).toBe(bytes.length);
      expect((await bytesOf(opened)).equals(bytes)).toBe(true);
    });

    it('answers null and false for a key nobody wrote', async () => {
      const k = key();
      expect(await files.read(k)).toBeNull();
      expect(await files.open(k)).toBeNull();
      expect(await files.has(k)).toBe(false);
      expect(await files.has(k, sha256Hex(Buffer.from('x')))).toBe(false);
    });

    it('says whether a key holds exactly the bytes with a hash', async () => {
      const k = key();
      const bytes = Buffer.from('原件');
      await files.put(k, bytes);
      expect(await files.has(k)).toBe(true);
      expect(await files.has(k, sha256Hex(bytes))).toBe(true);
      expect(await files.has(k, sha256Hex(Buffer.from('别的')))).toBe(false);
    });

    it('replaces a file, an immutable one too (a damaged original is restored)', async () => {
      const k = key();
      await files.put(k, Buffer.from('damaged'), { immutable: true });
      await files.put(k, Buffer.from('restored'), { immutable: true });
      expect((await files.read(k))!.toString()).toBe('restored');
    });

    it('keeps keys that differ only below the first folder apart', async () => {
      await files.put('thumbs/a.jpg', Buffer.from('thumb'));
      await files.put('public/a.jpg', Buffer.from('public'));
      expect((await files.read('thumbs/a.jpg'))!.toString()).toBe('thumb');
      expect((await files.read('public/a.jpg'))!.toString()).toBe('public');
    });

    it('passes its probe when files can be stored', async () => {
      await expect(files.probe()).resolves.toBeUndefined();
    });

    it('refuses keys that would leave its folder or bucket layout, and writes nothing for them', async () => {
      for (const bad of ['', '../escape.jpg', 'evidence/../../escape.jpg', '/etc/passwd', 'a//b', '.hidden', 'a/./b']) {
        await expect(files.put(bad, Buffer.from('x'))).rejects.toThrow(/not a valid file key/);
        await expect(files.read(bad)).rejects.toThrow(/not a valid file key/);
      }
    });
  });
}

describe('local folder specifics', () => {
  it('reads files written under DATA_DIR before the store existed, by the same relative path', async () => {
    const dataDir = path.join(testTmpDir(), `files-${randomUUID()}`);
    const bytes = Buffer.from('an old original');
    const sha = sha256Hex(bytes);
    const relative = `evidence/${sha.slice(0, 2)}/${sha.slice(2, 4)}/${sha}.jpg`;
    mkdirSync(path.dirname(path.join(dataDir, relative)), { recursive: true });
    writeFileSync(path.join(dataDir, relative), bytes);
    const files = createLocalFileStore(dataDir);
    expect(await files.has(relative, sha)).toBe(true);
    expect((await bytesOf(await files.open(relative))).equals(bytes)).toBe(true);
  });

  it('makes immutable files read-only on disk and leaves no temporary file behind', async () => {
    const dataDir = path.join(testTmpDir(), `files-${randomUUID()}`);
    const files = createLocalFileStore(dataDir);
    await files.put('evidence/ab/cd/x.jpg', Buffer.from('x'), { immutable: true });
    await files.put('thumbs/x.jpg', Buffer.from('x'));
    expect(statSync(path.join(dataDir, 'evidence/ab/cd/x.jpg')).mode & 0o777).toBe(0o444);
    expect(statSync(path.join(dataDir, 'thumbs/x.jpg')).mode & 0o777).toBe(0o644);
  });
});

/**
 * node:fs counting the calls a write makes; `dirFsyncs` counts fsyncs of folders (opened 'r').
 * `beforeDirFsync` may hold a folder's fsync back; `umask` filters the mode open() is given, as
 * a process umask would.
 */
function countingFs(opts: { beforeDirFsync?: () => Promise<void>; umask?: number } = {}) {
  const calls: Record<string, number> = Object.fromEntries(
    ['open', 'write', 'fsync', 'fstat', 'fchmod', 'close', 'mkdir', 'rename', 'dirFsyncs'].map((n) => [n, 0]),
  );
  const dirFds = new Set<number>();
  type Callback = (err: NodeJS.ErrnoException | null, ...rest: unknown[]) => void;
  const counted =
    (name: keyof WriteFs, around?: (args: unknown[], done: Callback) => void) =>
    (...args: unknown[]) => {
      calls[name]! += 1;
      const done = args.pop() as Callback;
      const real = (...a: unknown[]) => (fs[name] as (...b: unknown[]) => void)(...a);
      if (around) around(args, done);
      else real(...args, done);
    };
  const fake = {
    write: counted('write', (a, done) => (fs.write as (...b: unknown[]) => void)(...a, done)),
    fstat: counted('fstat', (a, done) => fs.fstat(a[0] as number, done)),
    fchmod: counted('fchmod', (a, done) => fs.fchmod(a[0] as number, a[1] as number, done)),
    close: counted('close', (a, done) => {
      dirFds.delete(a[0] as number);
      fs.close(a[0] as number, done);
    }),
    mkdir: counted('mkdir', (a, done) => fs.mkdir(a[0] as string, a[1] as fs.MakeDirectoryOptions, done)),
    rename: counted('rename', (a, done) => fs.rename(a[0] as string, a[1] as string, done)),
    open: counted('open', (a, done) => {
      const [file, flags, mode] = a as [string, string, number | undefined];
      fs.open(file, flags, mode, (err, fd) => {
        if (err) return done(err);
        if (flags === 'r') dirFds.add(fd);
        // The mode a new file gets under this umask, whatever the process's own umask is.
        if (mode === undefined) return done(null, fd);
        fs.fchmod(fd, mode & ~(opts.umask ?? 0o022), (chmodErr) => done(chmodErr, fd));
      });
    }),
    fsync: counted('fsync', (a, done) => {
      const fd = a[0] as number;
      if (!dirFds.has(fd)) return fs.fsync(fd, done);
      calls.dirFsyncs! += 1;
      void (opts.beforeDirFsync?.() ?? Promise.resolve()).then(() => fs.fsync(fd, done));
    }),
  };
  return { fs: fake as unknown as WriteFs, calls };
}

describe('local folder writes: as few calls as the guarantee allows', () => {
  it('sets the mode once open() has been found to keep it: no fchmod while the umask leaves the mode', async () => {
    const dataDir = path.join(testTmpDir(), `files-${randomUUID()}`);
    const counting = countingFs({ umask: 0o022 });
    const files = createLocalFileStore(dataDir, { fs: counting.fs });
    for (const name of ['a', 'b', 'c'])
      await files.put(`evidence/ab/cd/${name}.jpg`, Buffer.from(name), { immutable: true });
    await files.put('thumbs/a.jpg', Buffer.from('a'));
    // One fstat per mode learns that open() kept it; every file fsynced, renamed, its folder fsynced.
    expect(counting.calls).toMatchObject({ fchmod: 0, fstat: 2, fsync: 8, rename: 4, dirFsyncs: 4 });
    expect(statSync(path.join(dataDir, 'evidence/ab/cd/c.jpg')).mode & 0o777).toBe(0o444);
    expect(statSync(path.join(dataDir, 'thumbs/a.jpg')).mode & 0o777).toBe(0o644);
  });

  it('still sets the mode on every file when the umask takes bits from it', async () => {
    const dataDir = path.join(testTmpDir(), `files-${randomUUID()}`);
    const counting = countingFs({ umask: 0o077 });
    const files = createLocalFileStore(dataDir, { fs: counting.fs });
    for (const name of ['a', 'b']) await files.put(`thumbs/${name}.jpg`, Buffer.from(name));
    expect(counting.calls).toMatchObject({ fchmod: 2, fstat: 1 });
    expect(statSync(path.join(dataDir, 'thumbs/b.jpg')).mode & 0o777).toBe(0o644);
  });

  it('lets writes renamed into one folder while its fsync runs share the next fsync of it', async () => {
    const dataDir = path.join(testTmpDir(), `files-${randomUUID()}`);
    let release!: () => void;
    const allRenamed = new Promise<void>((resolve) => (release = resolve));
    // Once the folder exists, its first fsync waits until all four files are renamed into it.
    let gate = Promise.resolve();
    const counting = countingFs({ beforeDirFsync: () => gate });
    const files = createLocalFileStore(dataDir, { fs: counting.fs });
    await files.put('public/first.jpg', Buffer.from('0'));
    gate = allRenamed;
    counting.calls.dirFsyncs = 0;
    const renamesBefore = counting.calls.rename!;
    const puts = ['a', 'b', 'c', 'd'].map((n) => files.put(`public/${n}.jpg`, Buffer.from(n)));
    await vi.waitFor(() => expect(counting.calls.rename! - renamesBefore).toBe(4));
    release();
    await Promise.all(puts);
    // One fsync already running when the other three renames were done, one after them for those.
    expect(counting.calls.dirFsyncs).toBe(2);
    for (const n of ['a', 'b', 'c', 'd']) expect((await files.read(`public/${n}.jpg`))!.toString()).toBe(n);
  });
});

describe('probing a store that cannot take files', () => {
  it('names the folder when DATA_DIR cannot be written (here it is a file)', async () => {
    const notADir = path.join(testTmpDir(), `files-${randomUUID()}`);
    writeFileSync(notADir, 'not a folder');
    await expect(createLocalFileStore(notADir).probe()).rejects.toThrow(
      `FILES_STORE=local: cannot write to ${notADir}`,
    );
  });

  it('leaves no probe file in a folder it could write', async () => {
    const dataDir = path.join(testTmpDir(), `files-${randomUUID()}`);
    await createLocalFileStore(dataDir).probe();
    expect(readdirSync(dataDir)).toEqual([]);
  });
});

describe('FILES_STORE=s3 at start-up', () => {
  it('opens the bucket the variables name', async () => {
    const opened = await openFileStore(testConfig(testTmpDir(), s3.env));
    await opened.files.put('public/p.jpg', Buffer.from('p'));
    expect((await opened.files.read('public/p.jpg'))!.toString()).toBe('p');
    opened.close();
  });

  it('stops with a message naming the bucket when it does not exist', async () => {
    await expect(openFileStore(testConfig(testTmpDir(), { ...s3.env, S3_BUCKET: 'no-such-bucket' }))).rejects.toThrow(
      `FILES_STORE=s3: cannot use bucket no-such-bucket at ${s3.endpoint}: the bucket does not exist`,
    );
  });

  it('stops with a message naming the credentials when the store refuses them', async () => {
    await expect(
      openFileStore(testConfig(testTmpDir(), { ...s3.env, S3_ACCESS_KEY_ID: 'NOBODY', S3_SECRET_ACCESS_KEY: 'wrong' })),
    ).rejects.toThrow(
      /FILES_STORE=s3: cannot use bucket photos .*S3_ACCESS_KEY_ID \/ S3_SECRET_ACCESS_KEY may not use it/,
    );
  });

  it('stops with a message when nothing answers at the endpoint', async () => {
    await expect(
      openFileStore(testConfig(testTmpDir(), { ...s3.env, S3_ENDPOINT: 'http://127.0.0.1:1' })),
    ).rejects.toThrow(/FILES_STORE=s3: cannot use bucket photos at http:\/\/127\.0\.0\.1:1/);
  });
});
