// Picks the file store FILES_STORE names. Called once by createDomain (main.ts and tests alike).
import type { Config } from '../config/config-schema.ts';
import type { FileStore } from '../core/evidence/file-store-port.ts';
import { createLocalFileStore } from './local-file-store.ts';

export interface OpenedFileStore {
  files: FileStore;
  close(): void;
}

type FilesConfig = Pick<
  Config,
  | 'dataDir'
  | 'FILES_STORE'
  | 'S3_ENDPOINT'
  | 'S3_BUCKET'
  | 'S3_REGION'
  | 'S3_ACCESS_KEY_ID'
  | 'S3_SECRET_ACCESS_KEY'
  | 'S3_FORCE_PATH_STYLE'
>;

/**
 * The configured store, checked before anything is served: with FILES_STORE=s3 a missing bucket or
 * refused credentials stop the start with a message naming them, not the first photo upload.
 */
export async function openFileStore(config: FilesConfig): Promise<OpenedFileStore> {
  if (config.FILES_STORE === 'local') return { files: createLocalFileStore(config.dataDir), close: () => {} };
  // Loaded only when asked for: the AWS SDK takes about half a second to import, which the
  // embedded default should not pay at every start.
  const { createS3FileStore } = await import('./s3-file-store.ts');
  const s3 = createS3FileStore({
    ...(config.S3_ENDPOINT ? { endpoint: config.S3_ENDPOINT } : {}),
    // load-config.ts refuses FILES_STORE=s3 without these three.
    bucket: config.S3_BUCKET!,
    accessKeyId: config.S3_ACCESS_KEY_ID!,
    secretAccessKey: config.S3_SECRET_ACCESS_KEY!,
    region: config.S3_REGION,
    // MinIO and most self-hosted stores serve path-style only; AWS prefers virtual hosts.
    forcePathStyle: config.S3_FORCE_PATH_STYLE ?? config.S3_ENDPOINT !== undefined,
  });
  try {
    await s3.probe();
  } catch (err) {
    s3.close();
    throw err;
  }
  return { files: s3, close: () => s3.close() };
}
