import { STAFF_ROLES } from '../case/case-types.ts';

/** What the publishing rule looks at for one photo of a closed case. */
export interface PublishFacts {
  publicPath: string | null;
  uploadedById: number | null;
  /** The event the photo was attached with, if any. */
  event: { type: string; actorId: number | null; actorRole: string } | null;
}

const HANDLER_ROLES = new Set<string>(STAFF_ROLES);

/**
 * 执法信息网上公示 shows a photo only when it is, positively, a handler's resolution photo: its
 * EXIF-free copy exists, it came with the `resolved` event, and the staff member who resolved the
 * case uploaded it. An allow-list, not "not the reporter's": a photo whose uploader was not recorded,
 * a co-reporter's photo, or a staff photo taken for another step is never published.
 */
export function isPublishablePhoto(a: PublishFacts, reporterId: number): boolean {
  const e = a.event;
  return (
    a.publicPath !== null &&
    e !== null &&
    e.type === 'resolved' &&
    HANDLER_ROLES.has(e.actorRole) &&
    a.uploadedById !== null &&
    a.uploadedById === e.actorId &&
    a.uploadedById !== reporterId
  );
}
