import { ForbiddenError, ValidationError } from '../errors.ts';

/** What the ownership rule looks at for one stored photo. */
export interface AttachmentOwnership {
  id: number;
  uploadedById: number | null;
  caseId: number | null;
}

export type AttachRefusal = { kind: 'unknown'; ids: number[] } | { kind: 'foreign'; ids: number[] };

/**
 * Whether `personId` may attach these photos to `targetCaseId` (null: a case not yet made, or a
 * patrol finding). A photo is attached only by the person who uploaded it, and only while it is on
 * no case or already on the target case: otherwise anyone could move another person's evidence
 * (and its EXIF GPS) onto a case of their own by sending its id. A photo with no recorded uploader
 * belongs to nobody and is refused like a foreign one.
 */
export function attachRefusal(
  ids: readonly number[],
  found: readonly AttachmentOwnership[],
  personId: number,
  targetCaseId: number | null,
): AttachRefusal | null {
  const byId = new Map(found.map((a) => [a.id, a]));
  const unknown = [...new Set(ids)].filter((id) => !byId.has(id));
  if (unknown.length) return { kind: 'unknown', ids: unknown };
  const foreign = [...new Set(ids)].filter((id) => {
    const a = byId.get(id)!;
    return a.uploadedById !== personId || (a.caseId !== null && a.caseId !== targetCaseId);
  });
  return foreign.length ? { kind: 'foreign', ids: foreign } : null;
}

/** attachRefusal() as the domain error every transport turns into 400 or 403. */
export function assertAttachable(
  ids: readonly number[],
  found: readonly AttachmentOwnership[],
  personId: number,
  targetCaseId: number | null,
): void {
  const refusal = attachRefusal(ids, found, personId, targetCaseId);
  if (refusal?.kind === 'unknown') throw new ValidationError('照片不存在，请重新上传');
  if (refusal?.kind === 'foreign') throw new ForbiddenError('只能附上您本人上传、且未用于其他案件的照片');
}
