// FILES_STORE=s3: files in one bucket of an S3-compatible store (MinIO, Ceph RGW, 阿里云 OSS and
// 腾讯云 COS in S3 mode, AWS S3), so several Gridline machines share them. The object key is the
// same relative path DATA_DIR uses, so a DATA_DIR copied into the bucket (`mc mirror`) just works.
import type { Readable } from 'node:stream';
import {
  GetObjectCommand,
  HeadBucketCommand,
  HeadObjectCommand,
  PutObjectCommand,
  S3Client,
  S3ServiceException,
} from '@aws-sdk/client-s3';
import { checkFileKey, type FileStore, type StoredFile } from '../core/evidence/file-store-port.ts';
import { sha256Hex } from '../core/evidence/sha256-fns.ts';

export interface S3FileStoreOptions {
  /** Unset: AWS itself. MinIO and other stores: their URL, e.g. http://minio.internal:9000. */
  endpoint?: string;
  bucket: string;
  region: string;
  accessKeyId: string;
  secretAccessKey: string;
  /** `http://host/bucket/key` instead of `http://bucket.host/key`: MinIO needs it. */
  forcePathStyle: boolean;
}

export interface S3FileStore extends FileStore {
  close(): void;
}

/** Not found, by status: stores word it differently (NoSuchKey, NotFound, an empty 404 for HEAD). */
function isNotFound(err: unknown): boolean {
  return err instanceof S3ServiceException && err.$metadata.httpStatusCode === 404;
}

export function createS3FileStore(opts: S3FileStoreOptions): S3FileStore {
  const client = new S3Client({
    ...(opts.endpoint ? { endpoint: opts.endpoint } : {}),
    region: opts.region,
    forcePathStyle: opts.forcePathStyle,
    credentials: { accessKeyId: opts.accessKeyId, secretAccessKey: opts.secretAccessKey },
  });
  const Bucket = opts.bucket;
  const where = `bucket ${Bucket}${opts.endpoint ? ` at ${opts.endpoint}` : ''}`;

  async function get(key: string): Promise<StoredFile | null> {
    try {
      const res = await client.send(new GetObjectCommand({ Bucket, Key: checkFileKey(key) }));
      if (!res.Body) return null;
      // In Node the SDK's body is an http.IncomingMessage: a Readable, hence an async iterable.
      return { size: res.ContentLength ?? 0, body: res.Body as Readable };
    } catch (err) {
      if (isNotFound(err)) return null;
      throw err;
    }
  }

  async function bytesOf(file: StoredFile): Promise<Buffer> {
    const chunks: Uint8Array[] = [];
    for await (const chunk of file.body) chunks.push(chunk);
    return Buffer.concat(chunks);
  }

  return {
    describe: where,
    cheapHas: false,

    async put(key, bytes) {
      // One PUT is atomic: readers see the old object or the whole new one. Evidence stays
      // unchanged through the bucket's versioning or object lock, not through a flag per object.
      await client.send(new PutObjectCommand({ Bucket, Key: checkFileKey(key), Body: bytes }));
    },

    async has(key, sha256) {
      if (sha256 !== undefined) {
        // A checksum the store reports would only repeat what we told it; the bytes are the proof.
        const file = await get(key);
        return file !== null && sha256Hex(await bytesOf(file)) === sha256;
      }
      try {
        await client.send(new HeadObjectCommand({ Bucket, Key: checkFileKey(key) }));
        return true;
      } catch (err) {
        if (isNotFound(err)) return false;
        throw err;
      }
    },

    async read(key) {
      const file = await get(key);
      return file && bytesOf(file);
    },

    open: get,

    async probe() {
      try {
        await client.send(new HeadBucketCommand({ Bucket }));
      } catch (err) {
        const status = err instanceof S3ServiceException ? err.$metadata.httpStatusCode : undefined;
        const why =
          status === 404
            ? 'the bucket does not exist'
            : status === 403 || status === 401
              ? 'S3_ACCESS_KEY_ID / S3_SECRET_ACCESS_KEY may not use it'
              : err instanceof Error
                ? err.message
                : String(err);
        throw new Error(`FILES_STORE=s3: cannot use ${where}: ${why}${status ? ` (HTTP ${status})` : ''}`, {
          cause: err,
        });
      }
    },

    close: () => client.destroy(),
  };
}
