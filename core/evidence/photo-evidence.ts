// The photo evidence store used by every chat channel and the dashboard (see README.md).
import type { Logger } from '../../config/logger.ts';
import type { AttachmentPort, AttachmentRecord } from './attachment-port.ts';
import type { FileStore } from './file-store-port.ts';
import { inspectPhoto, renderDerivatives, type InspectedPhoto } from './photo-decode.ts';
import { createLazyCopies, putMissingCopies, type CopyKind } from './photo-lazy-copies.ts';
import { checkSize, evidencePaths } from './photo-fns.ts';
import { PhotoRejectedError } from './photo-errors.ts';
import { sha256HexOffLoop } from './sha256-fns.ts';
import { sniffAudio } from './voice-fns.ts';
import type { OpenedFile, PhotoUploadMeta, StoredPhoto } from './photo-types.ts';

export interface PhotoEvidenceDeps {
  /** Where the files go: DATA_DIR or a bucket (storage/, FILES_STORE). */
  files: FileStore;
  /** PHOTO_MAX_BYTES. */
  maxBytes: number;
  store: AttachmentPort;
  clock: () => Date;
  logger?: Pick<Logger, 'warn' | 'error' | 'info'>;
}

export interface PhotoEvidence {
  /** Checks, stores and records one photo; throws PhotoRejectedError for what it will not keep. */
  ingest(bytes: Buffer, meta?: PhotoUploadMeta): Promise<StoredPhoto>;
  /** The untouched original, EXIF included: only for people who may see the case. */
  openOriginal(attachmentId: number): Promise<OpenedFile | null>;
  openThumbnail(attachmentId: number): Promise<OpenedFile | null>;
  /** The EXIF-free copy: the only one that may leave the case (public pages, messages to others). */
  openPublic(attachmentId: number): Promise<OpenedFile | null>;
  /** The EXIF-free copy's bytes, for senders that upload the photo to a messenger. */
  readPublic(attachmentId: number): Promise<{ bytes: Buffer; mime: string } | null>;
  /**
   * Keeps a voice message as evidence, as sent (no public copy: a recording carries a voice, so it
   * never leaves the case). Throws PhotoRejectedError when the bytes are not a known audio format.
   */
  ingestVoice(bytes: Buffer, meta?: PhotoUploadMeta): Promise<{ attachmentId: number; key: string; mime: string }>;
  /** Ids of the photos stored for a conversation draft and not yet on a case, oldest first. */
  draftAttachmentIds(draftKey: string): Promise<number[]>;
}

export function createPhotoEvidence(deps: PhotoEvidenceDeps): PhotoEvidence {
  const { files, maxBytes, store, clock, logger } = deps;
  const lazy = createLazyCopies({ files, logger });

  /**
   * `known`: a row already names these bytes, so the file is most likely there and is checked
   * (read and hashed) before anything is written. A first upload skips the two look-ups, which
   * find nothing but a leftover of a crash between file and row: put replaces that atomically.
   */
  async function keepOriginal(bytes: Buffer, sha256: string, relative: string, known = true): Promise<void> {
    if (known) {
      if (await files.has(relative, sha256)) return;
      if (await files.has(relative))
        logger?.error({ sha256, path: relative }, 'stored original did not match its hash; rewriting it');
    }
    // Immutable: nothing in Gridline has a reason to change evidence (read-only on disk).
    await files.put(relative, bytes, { immutable: true });
  }

  async function keepDerivatives(
    bytes: Buffer,
    photo: InspectedPhoto,
    paths: { thumb: string; public: string },
    firstUpload: boolean,
  ): Promise<void> {
    // A first upload is always decoded in full, because that is what proves it is not truncated;
    // a duplicate whose copies are on disk was proven when it first came in. (Only a duplicate
    // looks for them here: putMissingCopies looks for each copy before writing it anyway.)
    if (!firstUpload && (await files.has(paths.thumb)) && (await files.has(paths.public))) return;
    await putMissingCopies(files, paths, await renderDerivatives(bytes, photo));
  }

  async function open(
    id: number,
    pick: (row: AttachmentRecord) => { path: string | null; mime: string },
    copy?: CopyKind,
  ): Promise<OpenedFile | null> {
    const row = await store.findById(id);
    if (!row) return null;
    const { path: relative, mime } = pick(row);
    if (relative === null) return null;
    const file = await storedOrMade(row, copy, () => files.open(relative));
    if (!file) {
      logger?.error({ attachmentId: id, path: relative, store: files.describe }, 'attachment file missing');
      return null;
    }
    return { mime, size: file.size, body: file.body };
  }

  /** The stored copy, or, when intake deferred it (photo-lazy-copies.ts), the one made now. */
  async function storedOrMade<T>(row: AttachmentRecord, kind: CopyKind | undefined, get: () => Promise<T | null>) {
    return (await get()) ?? (kind && (await lazy.made(row, kind)) ? await get() : null);
  }

  return {
    async ingest(bytes, meta = {}) {
      checkSize(bytes.length, maxBytes); // before anything parses a byte
      // Both on the thread pool: sharp's header read and the digest (sha256-fns.ts).
      const [photo, sha256] = await Promise.all([inspectPhoto(bytes), sha256HexOffLoop(bytes)]);
      if (meta.declaredMime && meta.declaredMime !== photo.mime) {
        logger?.info(
          { declaredMime: meta.declaredMime, sniffedMime: photo.mime },
          'photo type differs from what the sender declared; the bytes decide',
        );
      }
      const paths = evidencePaths(sha256, photo.ext);
      // Files are written before their rows and never deleted, so where the store tells cheaply
      // that the original is not there (a stat), no row names these bytes: a first upload, the
      // usual case, then costs no database look-up (one statement fewer per photo report). When
      // the file is there, or the check is a request (a bucket), the rows decide as before.
      const first = files.cheapHas && !(await files.has(paths.original)) ? null : await store.findFirstBySha256(sha256);
      const exif = photo.exif; // read with the header (photo-decode.ts)

      // Pixels are checked before the original is written, so a refused photo leaves nothing behind.
      // An upright JPEG within 1600 px (what the messengers deliver) whose markers and tables are
      // sound is complete as far as a decode with failOn 'error' can tell (jpeg-structure-fns.ts):
      // its thumbnail and public copy are made on first view (photo-lazy-copies.ts), off the intake.
      if (photo.undecodable === null) {
        if (!(photo.keepsPixels && photo.soundJpeg)) await keepDerivatives(bytes, photo, paths, first === null);
      } else
        logger?.warn(
          { sha256, mime: photo.mime, reason: photo.undecodable },
          'photo kept as original only: no thumbnail or public copy',
        );
      await keepOriginal(bytes, sha256, paths.original, first !== null);

      // Files first, row second: a crash in between leaves an unreferenced content-addressed file
      // that the next upload of the same photo reuses, never a row pointing at nothing.
      // A duplicate gets its own row pointing at the same file, so each report, finding or draft
      // keeps its own link (and uploader) while the bytes are stored once.
      const row = await store.create({
        sha256,
        mime: photo.mime,
        size: bytes.length,
        path: paths.original,
        thumbPath: photo.undecodable === null ? paths.thumb : null,
        publicPath: photo.undecodable === null ? paths.public : null,
        exifTakenAt: exif.takenAt,
        exifLat: exif.lat,
        exifLng: exif.lng,
        uploadedById: meta.uploadedById ?? null,
        draftKey: meta.draftKey ?? null,
        createdAt: clock(),
      });
      return {
        attachmentId: row.id,
        key: row.publicKey,
        sha256,
        mime: photo.mime,
        size: bytes.length,
        width: photo.width,
        height: photo.height,
        exifTakenAt: exif.takenAt,
        exifLat: exif.lat,
        exifLng: exif.lng,
        duplicate: first !== null,
      };
    },

    async ingestVoice(bytes, meta = {}) {
      checkSize(bytes.length, maxBytes);
      const audio = sniffAudio(bytes);
      if (!audio) throw new PhotoRejectedError('unsupported_format', '语音格式无法识别，请用文字描述问题。');
      const sha256 = await sha256HexOffLoop(bytes);
      const relative = `voice/${sha256.slice(0, 2)}/${sha256}.${audio.ext}`;
      await keepOriginal(bytes, sha256, relative);
      const row = await store.create({
        sha256,
        mime: audio.mime,
        size: bytes.length,
        path: relative,
        thumbPath: null,
        publicPath: null,
        exifTakenAt: null,
        exifLat: null,
        exifLng: null,
        uploadedById: meta.uploadedById ?? null,
        draftKey: meta.draftKey ?? null,
        createdAt: clock(),
      });
      return { attachmentId: row.id, key: row.publicKey, mime: audio.mime };
    },

    openOriginal: (id) => open(id, (r) => ({ path: r.path, mime: r.mime })),
    openThumbnail: (id) => open(id, (r) => ({ path: r.thumbPath, mime: 'image/jpeg' }), 'thumb'),
    openPublic: (id) => open(id, (r) => ({ path: r.publicPath, mime: 'image/jpeg' }), 'public'),

    async readPublic(id) {
      const row = await store.findById(id);
      if (!row?.publicPath) return null;
      const publicPath = row.publicPath;
      const bytes = await storedOrMade(row, 'public', () => files.read(publicPath));
      if (!bytes) {
        logger?.error({ attachmentId: id, path: row.publicPath, store: files.describe }, 'attachment file missing');
        return null;
      }
      return { bytes, mime: 'image/jpeg' };
    },

    async draftAttachmentIds(draftKey) {
      return (await store.listDraft(draftKey)).map((r) => r.id);
    },
  };
}
