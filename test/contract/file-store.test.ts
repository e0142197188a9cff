// One contract for both file stores (storage/): the local folder under DATA_DIR and an
// S3-compatible bucket (s3rver here, MinIO or any S3 store in production). Same cases, same answers.
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FileStore, StoredFile } from '../../core/evidence/file-store-port.ts';
import { sha256Hex } from '../../core/evidence/sha256-fns.ts';
import { openFileStore } from '../../storage/file-store-from-config.ts';
import { createLocalFileStore } from '../../storage/local-file-store.ts';
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
