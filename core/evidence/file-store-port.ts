// Where evidence files live: a local folder (DATA_DIR) or an S3-compatible bucket. Adapters are in
// storage/; core only names files by key and never touches a disk or a network itself.

/**
 * A stored file opened for serving: its size (for Content-Length) and its bytes as a stream, so a
 * 20 MB original is never held in memory to answer one request. Consume or abandon it promptly:
 * on S3 it holds an HTTP connection.
 */
export interface StoredFile {
  size: number;
  body: AsyncIterable<Uint8Array>;
}

/**
 * Files by key. Keys are the relative paths the Attachment rows store
 * (`evidence/ab/cd/<sha256>.jpg`, `thumbs/<sha256>.jpg`, `public/<sha256>.jpg`, `voice/ab/<sha256>.ogg`,
 * see photo-fns.ts evidencePaths): content-addressed, forward slashes, the same on every host, so a
 * DATA_DIR written before this port existed is read as it is.
 */
export interface FileStore {
  /** Local folder or bucket, for logs and the start-up line. */
  readonly describe: string;
  /**
   * Stores the bytes under the key, replacing what was there; when this resolves the file is
   * durable and readers see either nothing or all of it. `immutable`: evidence nobody has a reason
   * to change (the local folder makes it read-only; a bucket relies on its versioning or object lock).
   */
  put(key: string, bytes: Buffer, opts?: { immutable?: boolean }): Promise<void>;
  /**
   * has(key) without a sha256 costs less than a database look-up (a local folder: one stat); false
   * where it is a request (a bucket: a HEAD, dearer than the query it would save).
   */
  readonly cheapHas: boolean;
  /** True when the key exists; with a sha256, only when it holds exactly those bytes. */
  has(key: string, sha256?: string): Promise<boolean>;
  /** The whole file, or null when there is none (for senders that upload a photo elsewhere). */
  read(key: string): Promise<Buffer | null>;
  /** Size and byte stream, or null when there is none (for HTTP routes). */
  open(key: string): Promise<StoredFile | null>;
  /**
   * Fails with a readable message unless files can be stored now (the folder is there and takes
   * a write; the bucket answers and the credentials may use it): for start-up and /healthz.
   */
  probe(): Promise<void>;
}

// A segment starts with a letter, digit or underscore: so never '', '.', '..' or a hidden name.
const SEGMENT = /^[A-Za-z0-9_][A-Za-z0-9._-]*$/;

/**
 * Keys come from the database, but a key is still checked before it reaches a disk or a bucket:
 * relative, forward slashes, no empty, `.` or `..` segment (nothing can leave DATA_DIR or the
 * bucket's layout), no hidden names (the local folder's temporary files start with a dot).
 */
export function isValidFileKey(key: string): boolean {
  if (key.length === 0 || key.length > 512) return false;
  return key.split('/').every((s) => SEGMENT.test(s));
}

/** Throws for a key isValidFileKey refuses; adapters call it first in every method. */
export function checkFileKey(key: string): string {
  if (!isValidFileKey(key)) throw new Error(`not a valid file key: ${JSON.stringify(key)}`);
  return key;
}
