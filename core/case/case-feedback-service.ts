import { ForbiddenError, InvalidTransitionError, NotFoundError, ValidationError } from '../errors.ts';
import { assertAttachable } from '../evidence/attachment-access-fns.ts';
import type { CaseRow, CaseTx } from './case-port.ts';
import type { Actor, RatingScore } from './case-types.ts';
import { RATING_LABELS, SYSTEM_ACTOR } from './case-types.ts';
import { ACTION_HANDLERS } from './case-action-handlers.ts';
import { applyEffect, type CaseActionDeps, type CaseRef } from './case-action-service.ts';
import { formatShanghai } from './case-format-fns.ts';
import { message, notifyStaff, outcomeMessage, ratingButtons } from './case-notices.ts';

const system = { personId: null, role: SYSTEM_ACTOR.role };

/**
 * What happens after resolution without a person pressing a workflow button: ratings (不满意
 * reopens once, a second time escalates), the bureau's decision on postponement (缓办), and the
 * scheduler's automatic verification and overdue escalation.
 */
export function createCaseFeedbackService(deps: CaseActionDeps) {
  const { store, clock, messages: m } = deps;
  const ctxFor = (tx: CaseTx, c: CaseRow, actor: Actor, note: string) => ({
    tx,
    c,
    actor,
    input: { note },
    now: clock(),
    m,
    deadlines: deps.deadlines,
  });

  /** answeredInChat: the chat thanks the rater itself, so no separate thanks is pushed. */
  async function rate(
    ref: CaseRef,
    actor: Actor,
    score: RatingScore,
    comment: string | null = null,
    answeredInChat = false,
  ): Promise<CaseRow> {
    const now = clock();
    return store.transaction(async (tx) => {
      const c = await tx.getCase(ref);
      if (!c) throw new NotFoundError('没有找到该案件');
      if (!(await tx.followers(c.id)).includes(actor.personId)) throw new ForbiddenError('只有报告人可以评价此案件');
      if (c.status !== 'closed' || !c.closedAt) throw new InvalidTransitionError('案件结案后才能评价');
      if ((await tx.ratingsSince(c.id, actor.personId, c.closedAt)) > 0)
        throw new InvalidTransitionError('您已评价过本次处理');
      await tx.insertRating({ caseId: c.id, personId: actor.personId, score, comment, at: now });
      const eventId = await tx.appendEvent({
        caseId: c.id,
        type: 'rated',
        fromStatus: 'closed',
        toStatus: 'closed',
        actorId: actor.personId,
        actorRole: 'reporter',
        note: RATING_LABELS[score],
        data: { score },
        at: now,
      });
      if (!answeredInChat)
        await tx.notify({
          personIds: [actor.personId],
          caseId: c.id,
          dedupeKey: `case:${c.id}:e${eventId}:thanks`,
          message: message(m, 'reporter.rated', c),
        });
      if (score !== 'unsatisfied' || actor.personId !== c.reporterId) return c;
      // The reporter is not satisfied: the first time the handler tries again, then the bureau takes over.
      const unsatisfiedCount = c.unsatisfiedCount + 1;
      const ctx = ctxFor(tx, c, actor, comment ? `报告人不满意：${comment}` : '报告人不满意');
      const effect = unsatisfiedCount === 1 ? await ACTION_HANDLERS.reopen(ctx) : await ACTION_HANDLERS.escalate(ctx);
      effect.patch = {
        ...effect.patch,
        unsatisfiedCount,
        closedAt: null,
        ...(unsatisfiedCount > 1 ? { reopenCount: c.reopenCount + 1 } : {}),
      };
      effect.event = { ...effect.event, type: unsatisfiedCount === 1 ? 'reopened' : 'escalated' };
      return applyEffect(tx, c, effect, { personId: actor.personId, role: 'reporter' }, now);
    });
  }

  /** An optional comment after a rating. */
  async function commentOnRating(ref: CaseRef, actor: Actor, comment: string): Promise<boolean> {
    return store.transaction(async (tx) => {
      const c = await tx.getCase(ref);
      return c ? tx.setLatestRatingComment(c.id, actor.personId, comment.slice(0, 500)) : false;
    });
  }

  async function decidePostponement(postponementId: number, actor: Actor, approved: boolean): Promise<CaseRow> {
    if (actor.role !== 'district_admin') throw new ForbiddenError('缓办须经区城管执法局批准');
    const now = clock();
    return store.transaction(async (tx) => {
      const d = await tx.decidePostponement(postponementId, { approved, decidedById: actor.personId, at: now });
      if (!d) throw new InvalidTransitionError('该缓办申请已处理或不存在');
      const c = (await tx.getCase({ id: d.caseId }))!;
      const updated = approved
        ? await tx.updateCase(c.id, { dueAt: d.newDueAt, postponed: true, overdueNotifiedAt: null, remindedAt: null })
        : c;
      const eventId = await tx.appendEvent({
        caseId: c.id,
        type: approved ? 'postponement_approved' : 'postponement_refused',
        fromStatus: c.status,
        toStatus: c.status,
        actorId: actor.personId,
        actorRole: actor.role,
        data: { postponementId },
        at: now,
      });
      const people = await tx.handlers(updated.handling ?? 'street', updated.streetId, updated.departmentId);
      if (updated.assigneeId !== null) people.push(updated.assigneeId);
      await notifyStaff(tx, m, {
        personIds: people,
        c: updated,
        key: 'handler.postponement_decided',
        extra: { decision: approved ? '已批准' : '未获批准', due: formatShanghai(updated.dueAt) },
        dedupeKey: `case:${c.id}:e${eventId}:handlers`,
        now,
      });
      return updated;
    });
  }

  /**
   * Resolved long enough without objection: verified and closed by the system. With a 核查 task
   * open, only once the inspector's deadline has passed; marked (Case.autoVerified, the event's
   * data) so statistics never count it as verified by a person.
   */
  async function autoVerify(caseId: number, note = '报告人未提出异议，系统自动核查通过'): Promise<CaseRow | null> {
    const now = clock();
    return store.transaction(async (tx) => {
      const c = await tx.getCase({ id: caseId });
      if (!c || c.status !== 'resolved') return null;
      const task = await tx.verificationTask(c.id);
      if (task && task.dueAt > now) return null;
      const effect = {
        patch: { status: 'closed' as const, verifiedAt: now, closedAt: now, autoVerified: true },
        event: {
          type: 'verified',
          note: task ? '核查期限已过，巡查员未核查，系统自动核查通过' : note,
          data: { auto: true },
        },
        then: [{ type: 'closed' }],
        announce: async (u: CaseRow, eventId: number) => {
          await tx.finishVerificationTask(u.id, 'auto', now);
          await tx.notify({
            personIds: await tx.followers(u.id),
            caseId: u.id,
            dedupeKey: `case:${u.id}:e${eventId}:followers`,
            message: await outcomeMessage(tx, m, 'reporter.closed', u, ratingButtons(u)),
          });
        },
      };
      return applyEffect(tx, c, effect, system, now);
    });
  }

  /** Overdue beyond the allowed time: the district bureau takes the case over. */
  async function escalateOverdue(caseId: number): Promise<CaseRow | null> {
    const now = clock();
    return store.transaction(async (tx) => {
      const c = await tx.getCase({ id: caseId });
      if (!c || !['triage', 'dispatched', 'accepted'].includes(c.status) || c.handling === 'district') return null;
      const effect = await ACTION_HANDLERS.escalate({
        tx,
        c,
        actor: { personId: 0, role: 'district_admin', streetId: null, departmentId: null, displayName: '系统' },
        input: { note: '逾期未办结，自动上报区城管执法局督办', overdue: true },
        now,
        m,
        deadlines: deps.deadlines,
      });
      effect.patch = { ...effect.patch, overdueEscalatedAt: now };
      return applyEffect(tx, c, effect, system, now);
    });
  }

  /**
   * A reporter (or a follower) adds to a case already submitted: more photos, words, or a
   * corrected place. Recorded as an event with the photos; whoever holds the case is told, with
   * the photos. A merged duplicate's addition goes to the case it was merged into.
   */
  async function supplement(
    ref: CaseRef,
    actor: Actor,
    input: { note: string | null; attachmentIds: number[] },
  ): Promise<CaseRow> {
    const now = clock();
    return store.transaction(async (tx) => {
      let c = await tx.getCase(ref);
      if (c?.status === 'merged' && c.mergedIntoId !== null) c = await tx.getCase({ id: c.mergedIntoId });
      if (!c) throw new NotFoundError('没有找到该案件');
      if (!(await tx.followers(c.id)).includes(actor.personId)) throw new ForbiddenError('只有报告人可以补充此案件');
      if (!['triage', 'dispatched', 'accepted', 'resolved'].includes(c.status))
        throw new InvalidTransitionError(`案件 ${c.number} 已办理完毕，不能再补充。如问题再次出现，请重新报告。`);
      const photos = input.attachmentIds;
      if (!photos.length && !input.note?.trim()) throw new ValidationError('请发送要补充的文字、照片或位置');
      if (photos.length) assertAttachable(photos, await tx.attachmentOwnership(photos), actor.personId, c.id);
      const note = input.note?.trim().slice(0, 2000) || null;
      const eventId = await tx.appendEvent({
        caseId: c.id,
        type: 'supplemented',
        fromStatus: c.status,
        toStatus: c.status,
        actorId: actor.personId,
        actorRole: 'reporter',
        note,
        attachmentIds: photos,
        at: now,
      });
      const people =
        c.status === 'triage'
          ? await tx.handlers(c.streetId !== null ? 'street' : 'district', c.streetId, null)
          : await tx.handlers(c.handling ?? 'street', c.streetId, c.departmentId);
      if (c.assigneeId !== null && !people.includes(c.assigneeId)) people.push(c.assigneeId);
      await notifyStaff(tx, m, {
        personIds: people,
        c,
        key: 'handler.supplemented',
        extra: { note: note ?? '（无文字）', photos: photos.length ? `\n补充照片 ${photos.length} 张` : '' },
        dedupeKey: `case:${c.id}:e${eventId}:handlers`,
        now,
        photos,
      });
      return c;
    });
  }

  return { rate, commentOnRating, decidePostponement, autoVerify, escalateOverdue, supplement };
}

export type CaseFeedbackService = ReturnType<typeof createCaseFeedbackService>;
