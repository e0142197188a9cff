import { randomBytes } from 'node:crypto';
import type { AttachmentPort, AttachmentRecord } from '../core/evidence/attachment-port.ts';
import { sqlOf, type Db } from './prisma-client.ts';
import type { SqlValue } from './sql-connection.ts';
import { dateOrNull, sqlDate, sqlDateOrNull } from './sql-values.ts';

/** 128 random bits, base64url: what URLs name an attachment by (see AttachmentRecord.publicKey). */
export const newAttachmentKey = (): string => randomBytes(16).toString('base64url');

const COLUMNS = `"id", "caseId", "sha256", "mime", "size", "path", "thumbPath", "publicPath", "publicKey",
  "exifTakenAt", "exifLat", "exifLng", "uploadedById", "draftKey", "createdAt"`;

/** A row as a raw statement reads it: dates are text on SQLite, Dates on PostgreSQL. */
type AttachmentRow = Omit<AttachmentRecord, 'exifTakenAt' | 'createdAt'> & {
  exifTakenAt: string | Date | null;
  createdAt: string | Date;
};

const record = (r: AttachmentRow): AttachmentRecord => ({
  id: Number(r.id),
  caseId: r.caseId === null ? null : Number(r.caseId),
  sha256: r.sha256,
  mime: r.mime,
  size: Number(r.size),
  path: r.path,
  thumbPath: r.thumbPath,
  publicPath: r.publicPath,
  publicKey: r.publicKey,
  exifTakenAt: dateOrNull(r.exifTakenAt),
  exifLat: r.exifLat === null ? null : Number(r.exifLat),
  exifLng: r.exifLng === null ? null : Number(r.exifLng),
  uploadedById: r.uploadedById === null ? null : Number(r.uploadedById),
  draftKey: r.draftKey,
  createdAt: new Date(r.createdAt),
});

/**
 * The Attachment table for the evidence store. Rows are only ever created here; linking them to a
 * case, event or finding is the case store's job (it sets caseId/eventId when the case is made).
 *
 * Every photo upload runs `create`, and `findFirstBySha256` unless the local folder shows the
 * bytes are new (photo-evidence.ts), each one statement, so neither goes
 * through Prisma: on SQLite a Prisma write commits on its own (one more WAL fsync per photo) and
 * ends the group commit the other chats' units were joining. Each is a one-statement unit
 * (sql-connection.ts `statement`): on SQLite it joins the group commit, on PostgreSQL it goes
 * alone (one round trip instead of BEGIN, the statement and COMMIT).
 */
export function createAttachmentStore(db: Db): AttachmentPort {
  const sql = sqlOf(db);
  const one = <T>(statement: string, ...params: SqlValue[]): Promise<T | undefined> =>
    sql.statement((tx) => tx.get<T>(statement, ...params));
  return {
    async create(row) {
      const created = await one<AttachmentRow>(
        `INSERT INTO "Attachment" ("sha256", "mime", "size", "path", "thumbPath", "publicPath", "publicKey",
             "exifTakenAt", "exifLat", "exifLng", "uploadedById", "draftKey", "createdAt")
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING ${COLUMNS}`,
        row.sha256,
        row.mime,
        row.size,
        row.path,
        row.thumbPath,
        row.publicPath,
        newAttachmentKey(),
        sqlDateOrNull(row.exifTakenAt),
        row.exifLat,
        row.exifLng,
        row.uploadedById,
        row.draftKey,
        sqlDate(row.createdAt),
      );
      return record(created!);
    },

    async findById(id) {
      return db.attachment.findUnique({ where: { id }, select: columns });
    },

    async findFirstBySha256(sha256) {
      const row = await one<AttachmentRow>(
        `SELECT ${COLUMNS} FROM "Attachment" WHERE "sha256" = ? ORDER BY "id" LIMIT 1`,
        sha256,
      );
      return row ? record(row) : null;
    },

    async listDraft(draftKey) {
      return db.attachment.findMany({ where: { draftKey, caseId: null }, orderBy: { id: 'asc' }, select: columns });
    },
  };
}

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
