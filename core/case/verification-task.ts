import type { Button } from '../messaging/outbound-types.ts';
import type { ActionContext } from './case-action-handlers.ts';
import { formatShanghai } from './case-format-fns.ts';
import { message, outcomeMessage, verifyButtons } from './case-notices.ts';
import type { CaseRow } from './case-port.ts';
import { checkResolutionPhotos } from './verification-fns.ts';

/** The inspector's answers to a 核查 task: the same verify / fail_verification actions as the reporter's. */
export function inspectorVerifyButtons(c: CaseRow): Button[][] {
  return [
    [
      { id: `c:verify:${c.id}`, label: '核查通过' },
      { id: `c:fail_verification:${c.id}`, label: '核查不通过' },
    ],
  ];
}

/**
 * 办结 heard by the reporter and the followers. Only the reporter is asked whether the problem is
 * solved (only they may answer); a follower, whose own report was merged into this case, is told
 * the outcome and may rate once it is closed.
 */
export async function announceResolution(ctx: ActionContext, u: CaseRow, eventId: number): Promise<void> {
  const followers = await ctx.tx.followers(u.id);
  // Whoever acted in a chat is answered there: they are told once.
  const people = ctx.input.answeredInChat ? followers.filter((p) => p !== ctx.actor.personId) : followers;
  const reporter = people.filter((p) => p === u.reporterId);
  const others = people.filter((p) => p !== u.reporterId);
  if (reporter.length)
    await ctx.tx.notify({
      personIds: reporter,
      caseId: u.id,
      dedupeKey: `case:${u.id}:e${eventId}:followers`,
      message: await outcomeMessage(ctx.tx, ctx.m, 'reporter.resolved', u, verifyButtons(u)),
    });
  if (others.length)
    await ctx.tx.notify({
      personIds: others,
      caseId: u.id,
      dedupeKey: `case:${u.id}:e${eventId}:subscribers`,
      message: await outcomeMessage(ctx.tx, ctx.m, 'reporter.resolved_follower', u),
    });
}

/**
 * A resolved case becomes a 核查 task for an inspector of its street (never the resolver), with
 * the report's and the resolution's photos and how far apart they were taken. Without an
 * inspector the task still records the deadline after which the case is verified automatically.
 */
export async function openVerification(ctx: ActionContext, u: CaseRow, eventId: number): Promise<void> {
  const v = ctx.verification;
  if (!v) return;
  const photos = await ctx.tx.casePhotoPoints(u.id);
  const point = u.lat !== null && u.lng !== null ? { lat: u.lat, lng: u.lng } : null;
  const check = checkResolutionPhotos(point, photos.resolution, v);
  const dueAt = v.dueAt(ctx.now);
  const inspectorId = await ctx.tx.openVerificationTask({
    caseId: u.id,
    streetId: u.streetId,
    excludePersonIds: [ctx.actor.personId],
    dueAt,
    distanceM: check.distanceM,
    warning: check.warning,
    at: ctx.now,
  });
  if (inspectorId === null) return;
  const attached = [...photos.report, ...photos.resolution].map((p) => p.id);
  await ctx.tx.notify({
    personIds: [inspectorId],
    caseId: u.id,
    dedupeKey: `case:${u.id}:e${eventId}:verifier`,
    message: {
      ...message(
        ctx.m,
        'inspector.verify_task',
        u,
        {
          before: photos.report.length,
          after: photos.resolution.length,
          distance: check.summary,
          warning: check.warning ? `\n⚠ ${check.warning}` : '',
          verifyDue: formatShanghai(dueAt),
        },
        inspectorVerifyButtons(u),
      ),
      ...(attached.length ? { photoAttachmentIds: attached } : {}),
    },
  });
}
