/** What a caller learns about a photo it handed to the evidence store. */
export interface StoredPhoto {
  attachmentId: number;
  /** The attachment's random public key: the only name for it in URLs. */
  key: string;
  sha256: string;
  /** Sniffed from the bytes, never taken from the sender's claim. */
  mime: string;
  size: number;
  /** As displayed, i.e. after the EXIF orientation is applied. */
  width: number;
  height: number;
  exifTakenAt: Date | null;
  /** WGS-84 decimal degrees from the photo's EXIF GPS. */
  exifLat: number | null;
  exifLng: number | null;
  /** The same bytes were stored before: this upload got its own row pointing at the same file. */
  duplicate: boolean;
}

export interface PhotoUploadMeta {
  uploadedById?: number;
  draftKey?: string;
  /** What the sender claimed; logged when it disagrees with the bytes, never trusted. */
  declaredMime?: string;
  fileName?: string;
}

/**
 * A stored file opened for an HTTP route: its type, size and bytes as a stream (file-store-port.ts
 * StoredFile). Consume the body or let the reply do it: on S3 it holds a connection.
 */
export interface OpenedFile {
  mime: string;
  size: number;
  body: AsyncIterable<Uint8Array>;
}
