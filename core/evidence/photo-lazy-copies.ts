// The thumbnail and public copy of a photo whose intake deferred them (an upright JPEG within
// 1600 px whose markers and tables are sound, photo-evidence.ts), made when first asked for.
import type { Logger } from '../../config/logger.ts';
import type { AttachmentRecord } from './attachment-port.ts';
import type { FileStore } from './file-store-port.ts';
import { stripJpegMetadata } from './jpeg-strip-fns.ts';
import { inspectPhoto, jpegThumbnail, renderDerivatives, type Derivatives } from './photo-decode.ts';

export type CopyKind = 'thumb' | 'public';

/** Writes the rendered copies whose files are not there yet (a copy is never overwritten). */
export async function putMissingCopies(
  files: FileStore,
  paths: { thumb: string; public: string },
  rendered: Derivatives,
): Promise<void> {
  if (!(await files.has(paths.thumb))) await files.put(paths.thumb, rendered.thumb);
  if (!(await files.has(paths.public))) await files.put(paths.public, rendered.public);
}

export interface LazyCopies {
  /**
   * Makes the copy if its file is missing; false, with an error logged, when the original cannot
   * be read or does not decode: the caller answers "not found" (never a 500, never the original).
   */
  made(row: AttachmentRecord, kind: CopyKind): Promise<boolean>;
}

export function createLazyCopies(deps: { files: FileStore; logger?: Pick<Logger, 'error'> | undefined }): LazyCopies {
  const { files, logger } = deps;
  /** Copies being made, by key: concurrent first views (a chat preview, the case page) share one. */
  const making = new Map<string, Promise<boolean>>();

  async function putIfMissing(key: string, bytes: Buffer): Promise<void> {
    if (!(await files.has(key))) await files.put(key, bytes);
  }

  /**
   * The public copy of an upright JPEG is its own compressed data without metadata
   * (jpeg-strip-fns.ts): no decode, so a messenger sending the photo to staff right after the
   * report costs a copy of the bytes. The thumbnail is decoded from that copy (shrink-on-load).
   * Anything else (a copy gone missing of a re-encoded photo) is rendered as at intake.
   */
  async function make(row: AttachmentRecord, paths: { thumb: string; public: string }, kind: CopyKind) {
    try {
      const bytes = await files.read(row.path);
      if (!bytes) throw new Error('original missing');
      const photo = await inspectPhoto(bytes);
      const stripped = photo.keepsPixels ? stripJpegMetadata(bytes) : null;
      if (stripped) {
        if (kind === 'thumb') await putIfMissing(paths.thumb, await jpegThumbnail(stripped));
        await putIfMissing(paths.public, stripped);
      } else {
        await putMissingCopies(files, paths, await renderDerivatives(bytes, photo));
      }
      return true;
    } catch (err) {
      logger?.error(
        { err, attachmentId: row.id, sha256: row.sha256, kind },
        'could not make the thumbnail or public copy of a stored photo',
      );
      return false;
    }
  }

  return {
    made(row, kind) {
      if (row.thumbPath === null || row.publicPath === null) return Promise.resolve(false);
      const paths = { thumb: row.thumbPath, public: row.publicPath };
      const key = paths[kind];
      let pending = making.get(key);
      if (!pending) {
        pending = make(row, paths, kind).finally(() => making.delete(key));
        making.set(key, pending);
      }
      return pending;
    },
  };
}
