import { randomBytes } from 'node:crypto';
import type { AttachmentPort, AttachmentRecord } from '../core/evidence/attachment-port.ts';
import type { Db, Tx } from './prisma-client.ts';

/** 128 random bits, base64url: what URLs name an attachment by (see AttachmentRecord.publicKey). */
export const newAttachmentKey = (): string => randomBytes(16).toString('base64url');

const columns = {
  id: true,
  caseId: true,
  sha256: true,
  mime: true,
  size: true,
  path: true,
  thumbPath: true,
  publicPath: true,
  publicKey: true,
  exifTakenAt: true,
  exifLat: true,
  exifLng: true,
  uploadedById: true,
  draftKey: true,
  createdAt: true,
} as const;

/**
 * The Attachment table for the evidence store. Rows are only ever created here; linking them to a
 * case, event or finding is the case store's job (it sets caseId/eventId when the case is made).
 */
export function createAttachmentStore(db: Db | Tx): AttachmentPort {
  return {
    async create(row) {
      return db.attachment.create({
        data: { ...row, publicKey: newAttachmentKey() },
        select: columns,
      }) satisfies Promise<AttachmentRecord>;
    },

    async findById(id) {
      return db.attachment.findUnique({ where: { id }, select: columns });
    },

    async findFirstBySha256(sha256) {
      return db.attachment.findFirst({ where: { sha256 }, orderBy: { id: 'asc' }, select: columns });
    },

    async listDraft(draftKey) {
      return db.attachment.findMany({ where: { draftKey, caseId: null }, orderBy: { id: 'asc' }, select: columns });
    },
  };
}
