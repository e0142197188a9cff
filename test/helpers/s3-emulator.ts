// A local S3-compatible store for tests: s3rver on a free port, one bucket, its files in a folder
// of the test run. The variables it returns are what FILES_STORE=s3 needs (path style, as MinIO).
import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import S3rver from 's3rver';
import { testTmpDir } from './global-setup.ts';

export interface S3Emulator {
  endpoint: string;
  bucket: string;
  /** The emulator's folder: buckets and objects as files, to check what was stored. */
  directory: string;
  env: Record<string, string>;
  close(): Promise<void>;
}

export async function startS3Emulator(bucket = 'photos'): Promise<S3Emulator> {
  const directory = path.join(testTmpDir(), `s3-${randomUUID()}`);
  mkdirSync(directory, { recursive: true });
  const server = new S3rver({
    port: 0,
    address: '127.0.0.1',
    silent: true,
    directory,
    configureBuckets: [{ name: bucket }],
  });
  const { port } = await server.run();
  const endpoint = `http://127.0.0.1:${port}`;
  return {
    endpoint,
    bucket,
    directory,
    env: {
      FILES_STORE: 's3',
      S3_ENDPOINT: endpoint,
      S3_BUCKET: bucket,
      S3_ACCESS_KEY_ID: 'S3RVER',
      S3_SECRET_ACCESS_KEY: 'S3RVER',
      S3_FORCE_PATH_STYLE: 'true',
    },
    close: () => server.close(),
  };
}
