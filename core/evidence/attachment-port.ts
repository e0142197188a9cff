/** What the evidence store writes for one upload. Paths are file-store keys (relative to DATA_DIR or the bucket). */
export interface NewAttachment {
  sha256: string;
  mime: string;
  size: number;
  path: string;
  thumbPath: string | null;
  publicPath: string | null;
  exifTakenAt: Date | null;
  exifLat: number | null;
  exifLng: number | null;
  uploadedById: number | null;
  draftKey: string | null;
  createdAt: Date;
}

export interface AttachmentRecord extends NewAttachment {
  id: number;
  /** Random 128-bit name for URLs (base64url); the integer id never leaves the server in a URL. */
  publicKey: string;
  caseId: number | null;
}

/** The attachment table as the evidence store sees it; db/attachment-store.ts implements it. */
export interface AttachmentPort {
  create(row: NewAttachment): Promise<AttachmentRecord>;
  findById(id: number): Promise<AttachmentRecord | null>;
  /** The oldest row holding these bytes, if any: the first upload of the photo. */
  findFirstBySha256(sha256: string): Promise<AttachmentRecord | null>;
  /** Rows stored for a conversation draft and not yet on a case, oldest first. */
  listDraft(draftKey: string): Promise<AttachmentRecord[]>;
}
