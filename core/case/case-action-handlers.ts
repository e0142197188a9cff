import { ValidationError } from '../errors.ts';
import type { MessageRenderer } from './case-messages.ts';
import type { CasePatch, CaseRow, CaseTx } from './case-port.ts';
import { capDeadline, type DeadlineFn } from './case-intake-service.ts';
import type { ActionInput, Actor, CaseAction, Handling } from './case-types.ts';
import { message, notifyEach, notifyStaff, outcomeMessage, ratingButtons, verifyButtons } from './case-notices.ts';
import { formatShanghai } from './case-format-fns.ts';
import { redactPersonalData } from './anonymise-fns.ts';

export interface ActionContext {
  tx: CaseTx;
  c: CaseRow;
  actor: Actor;
  input: ActionInput;
  now: Date;
  m: MessageRenderer;
  deadlines: DeadlineFn;
}

/** What an action does: the new fields, the event to record, and who hears about it. */
export interface ActionEffect {
  patch: CasePatch;
  event: { type: string; note?: string | null; data?: Record<string, unknown> };
  /** Extra events after the main one (e.g. verified → closed). */
  then?: Array<{ type: string; note?: string | null }>;
  /** A street chosen by a person for this case: remembered as a confirmed place. */
  place?: { streetId: number; street: string; source: 'returned' | 'registered' };
  /** Runs after the case is updated, with the updated row, inside the transaction. */
  announce: (updated: CaseRow, eventId: number) => Promise<void>;
}

const followersHear =
  (
    ctx: ActionContext,
    key: string,
    extra?: Record<string, string>,
    withButtons?: (c: CaseRow) => ReturnType<typeof verifyButtons>,
    withPhotos = false,
  ) =>
  async (u: CaseRow, eventId: number) => {
    const followers = await ctx.tx.followers(u.id);
    // Whoever acted in a chat is answered there: they are told once.
    const people = ctx.input.answeredInChat ? followers.filter((p) => p !== ctx.actor.personId) : followers;
    if (!people.length) return;
    // Each follower is offered only the case actions they may take (a merged duplicate's reporter cannot 核查).
    await notifyEach(
      ctx.tx,
      {
        personIds: people,
        caseId: u.id,
        dedupeKey: `case:${u.id}:e${eventId}:followers`,
        message: withPhotos
          ? await outcomeMessage(ctx.tx, ctx.m, key, u, withButtons?.(u))
          : message(ctx.m, key, u, extra, withButtons?.(u)),
      },
      u,
    );
  };

const handlersHear = async (
  ctx: ActionContext,
  u: CaseRow,
  eventId: number,
  key: string,
  extra?: Record<string, string>,
) => {
  const people = await ctx.tx.handlers((u.handling ?? 'street') as Handling, u.streetId, u.departmentId);
  await notifyStaff(ctx.tx, ctx.m, {
    personIds: people,
    c: u,
    key,
    ...(extra ? { extra } : {}),
    dedupeKey: `case:${u.id}:e${eventId}:handlers`,
    now: ctx.now,
  });
};

async function redispatch(
  ctx: ActionContext,
  type: string,
  patch: CasePatch,
  reporterKey: string,
): Promise<ActionEffect> {
  const { c, now, input } = ctx;
  const due = c.item ? ctx.deadlines(c.item, now, c.urgent) : null;
  const dueAt = c.dueAt ?? due?.dueAt ?? null;
  // Each new holder gets the matter's time to accept (受理时限), counted from now.
  const responseDueAt = due?.responseDueAt ?? c.responseDueAt;
  return {
    patch: {
      status: 'dispatched',
      assigneeId: null,
      acceptedAt: null,
      dispatchedAt: now,
      needsTriage: false,
      dueAt,
      responseDueAt,
      responseOverdueNotifiedAt: null,
      ...patch,
    },
    event: { type, note: input.note ?? null },
    announce: async (u, eventId) => {
      await handlersHear(ctx, u, eventId, 'handler.dispatched');
      await followersHear(ctx, reporterKey)(u, eventId);
    },
  };
}

export const ACTION_HANDLERS: Record<CaseAction, (ctx: ActionContext) => Promise<ActionEffect>> = {
  async register(ctx) {
    const { tx, c, input, now } = ctx;
    const item = await tx.activeItem(input.itemCode!);
    if (!item) throw new ValidationError(`权力清单中没有事项 ${input.itemCode}`);
    const streetId = input.streetName ? await tx.streetIdByName(input.streetName) : c.streetId;
    if (input.streetName && streetId === null) throw new ValidationError(`没有“${input.streetName}”这个街道`);
    if (item.level === 'street' && streetId === null) throw new ValidationError('街道事项须指定承办街道');
    const departmentId = item.level === 'department' ? await tx.departmentIdByName(item.department ?? '') : null;
    // A handed-over order (12345) keeps its own deadline when that is the earlier one.
    const due = capDeadline(ctx.deadlines(item, now, c.urgent), c.externalDueAt);
    const effect = await redispatch(
      ctx,
      'registered',
      {
        itemId: item.id,
        post: item.post,
        handling: item.level,
        streetId,
        departmentId,
        registeredAt: now,
        responseDueAt: due.responseDueAt,
        dueAt: due.dueAt,
      },
      'reporter.dispatched',
    );
    return {
      ...effect,
      ...(input.streetName && streetId !== null
        ? { place: { streetId, street: input.streetName, source: 'registered' as const } }
        : {}),
      event: {
        type: 'registered',
        note: input.note ?? `人工分拣：${item.code} ${item.name}`,
        data: { item: item.code, version: item.version },
      },
      then: [{ type: 'dispatched' }],
    };
  },

  async accept(ctx) {
    return {
      patch: { status: 'accepted', acceptedAt: ctx.now },
      event: { type: 'accepted', note: ctx.input.note ?? null },
      announce: followersHear(ctx, 'reporter.accepted'),
    };
  },

  async assign(ctx) {
    const { tx, c, input, now } = ctx;
    if (c.streetId === null || !(await tx.personInStreet(input.assigneeId!, c.streetId, ['enforcer', 'team_lead']))) {
      throw new ValidationError('只能转派给本街道执法队员');
    }
    return {
      patch: {
        status: 'accepted',
        assigneeId: input.assigneeId!,
        acceptedAt: c.status === 'accepted' ? undefined : now,
      },
      event: { type: 'assigned', note: input.note ?? null, data: { assigneeId: input.assigneeId } },
      announce: async (u, eventId) => {
        await notifyStaff(tx, ctx.m, {
          personIds: [input.assigneeId!],
          c: u,
          key: 'handler.assigned',
          dedupeKey: `case:${u.id}:e${eventId}:assignee`,
          now,
        });
      },
    };
  },

  async return(ctx) {
    const { tx, c, input, actor } = ctx;
    const returnCount = c.returnCount + 1;
    if (input.streetName) {
      const streetId = await tx.streetIdByName(input.streetName);
      if (streetId === null) throw new ValidationError(`没有“${input.streetName}”这个街道`);
      if (streetId === c.streetId) throw new ValidationError('退回须改派到其他街道，或不填街道交由指挥中心重新分拣');
      const effect = await redispatch(
        ctx,
        'returned',
        { streetId, handling: 'street', departmentId: null, returnCount },
        'reporter.returned',
      );
      return {
        ...effect,
        place: { streetId, street: input.streetName, source: 'returned' },
        event: { type: 'returned', note: input.note, data: { toStreet: input.streetName } },
      };
    }
    // Back to whoever sorts cases: a street sends it up to the bureau, others back to the street centre.
    const centre: Handling = actor.role === 'team_lead' || c.streetId === null ? 'district' : 'street';
    return {
      // Sent up to the bureau, the case is the bureau's to sort: the street's old card can no longer 上报区局 it.
      patch: {
        status: 'triage',
        needsTriage: true,
        assigneeId: null,
        acceptedAt: null,
        returnCount,
        ...(centre === 'district' ? { handling: 'district' as const } : {}),
      },
      event: { type: 'returned', note: input.note },
      announce: async (u, eventId) => {
        const people = await tx.handlers(centre, u.streetId, null);
        await notifyStaff(tx, ctx.m, {
          personIds: people,
          c: u,
          key: 'handler.triage',
          dedupeKey: `case:${u.id}:e${eventId}:centre`,
          now: ctx.now,
        });
        await followersHear(ctx, 'reporter.returned')(u, eventId);
      },
    };
  },

  async escalate(ctx) {
    // The bureau is a new holder: it gets its own reminder and 督办 for the deadline.
    return redispatch(
      ctx,
      'escalated',
      { handling: 'district', departmentId: null, remindedAt: null, overdueNotifiedAt: null },
      'reporter.escalated',
    );
  },

  async refer(ctx) {
    const departmentId = await ctx.tx.departmentIdByName(ctx.input.departmentName!);
    if (departmentId === null) throw new ValidationError(`没有“${ctx.input.departmentName}”这个部门`);
    const effect = await redispatch(ctx, 'referred', { handling: 'department', departmentId }, 'reporter.referred');
    return {
      ...effect,
      event: { type: 'referred', note: ctx.input.note ?? null, data: { department: ctx.input.departmentName } },
    };
  },

  async reject(ctx) {
    return {
      patch: { status: 'rejected', closedAt: ctx.now },
      event: { type: 'rejected', note: ctx.input.note },
      // Staff wrote the reason; a third party's phone number in it is not for the reporter.
      announce: followersHear(ctx, 'reporter.rejected', { note: redactPersonalData(ctx.input.note!) }),
    };
  },

  async resolve(ctx) {
    const { input, now } = ctx;
    return {
      patch: { status: 'resolved', resolvedAt: now, outcome: input.note!.trim(), mode721: input.mode721! },
      event: { type: 'resolved', note: input.note, data: { mode721: input.mode721 } },
      announce: followersHear(ctx, 'reporter.resolved', {}, verifyButtons, true),
    };
  },

  async verify(ctx) {
    return {
      patch: { status: 'closed', verifiedAt: ctx.now, closedAt: ctx.now },
      event: {
        type: 'verified',
        note: ctx.input.note ?? (ctx.actor.personId === ctx.c.reporterId ? '报告人确认已解决' : null),
      },
      then: [{ type: 'closed' }],
      announce: followersHear(ctx, 'reporter.closed', {}, ratingButtons, true),
    };
  },

  async fail_verification(ctx) {
    const { c, input, now } = ctx;
    // Doing the work again takes the matter's handling time again, counted from now.
    const dueAt = c.item ? ctx.deadlines(c.item, now, c.urgent).dueAt : c.dueAt;
    const moved = dueAt && (!c.dueAt || dueAt > c.dueAt) ? dueAt : c.dueAt;
    return {
      patch: {
        status: 'accepted',
        resolvedAt: null,
        reworkCount: c.reworkCount + 1,
        dueAt: moved,
        ...(moved !== c.dueAt ? { remindedAt: null, overdueNotifiedAt: null } : {}),
      },
      event: { type: 'rework', note: input.note },
      announce: async (u, eventId) => {
        await handlersHear(ctx, u, eventId, 'handler.rework', { note: input.note! });
        if (u.assigneeId !== null) {
          await notifyStaff(ctx.tx, ctx.m, {
            personIds: [u.assigneeId],
            c: u,
            key: 'handler.rework',
            extra: { note: input.note! },
            dedupeKey: `case:${u.id}:e${eventId}:assignee`,
            now,
          });
        }
        await followersHear(ctx, 'reporter.rework')(u, eventId);
      },
    };
  },

  async reopen(ctx) {
    const { c, now } = ctx;
    const dueAt = c.item ? ctx.deadlines(c.item, now, c.urgent).dueAt : null;
    const effect = await redispatch(
      ctx,
      'reopened',
      { reopenCount: c.reopenCount + 1, closedAt: null, resolvedAt: null, dueAt },
      'reporter.reopened',
    );
    return {
      ...effect,
      announce: async (u, eventId) => {
        await handlersHear(ctx, u, eventId, 'handler.reopened', { note: ctx.input.note ?? '' });
        await followersHear(ctx, 'reporter.reopened')(u, eventId);
      },
    };
  },

  async merge(ctx) {
    const { tx, c, input } = ctx;
    const target = await tx.getCase({ number: input.targetCaseNumber!.trim() });
    if (!target || target.id === c.id) throw new ValidationError('请填写另一个有效的案件编号');
    if (!['triage', 'dispatched', 'accepted', 'resolved'].includes(target.status))
      throw new ValidationError(`案件${target.number}已不在办理中，不能合并`);
    return {
      patch: { status: 'merged', mergedIntoId: target.id },
      event: {
        type: 'merged',
        note: input.note ?? `与案件${target.number}重复，已合并`,
        data: { into: target.number },
      },
      announce: async (u, eventId) => {
        const people = await tx.followers(c.id);
        for (const p of people) await tx.addSubscriber(target.id, p);
        await tx.appendEvent({
          caseId: target.id,
          type: 'duplicate_reported',
          fromStatus: target.status,
          toStatus: target.status,
          actorId: ctx.actor.personId,
          actorRole: ctx.actor.role,
          note: `案件${c.number}并入`,
          at: ctx.now,
        });
        await tx.notify({
          personIds: people,
          caseId: u.id,
          dedupeKey: `case:${u.id}:e${eventId}:followers`,
          message: message(ctx.m, 'reporter.duplicate', target),
        });
      },
    };
  },

  async request_postponement(ctx) {
    const { tx, c, input, now, actor } = ctx;
    const newDueAt = new Date(input.newDueAt!);
    if (Number.isNaN(newDueAt.getTime()) || newDueAt <= now || (c.dueAt && newDueAt <= c.dueAt))
      throw new ValidationError('延期时间须晚于当前时限');
    const id = await tx.insertPostponement({
      caseId: c.id,
      requestedById: actor.personId,
      reason: input.note!,
      newDueAt,
      at: now,
    });
    return {
      patch: {},
      event: {
        type: 'postponement_requested',
        note: input.note,
        data: { postponementId: id, newDueAt: newDueAt.toISOString() },
      },
      announce: async (u, eventId) => {
        const admins = await tx.handlers('district', null, null);
        const buttons = [
          [
            { id: `p:approve:${id}`, label: '批准缓办' },
            { id: `p:refuse:${id}`, label: '不批准' },
          ],
        ];
        await tx.notify({
          personIds: admins,
          caseId: u.id,
          dedupeKey: `case:${u.id}:e${eventId}:bureau`,
          message: {
            ...message(ctx.m, 'handler.postponement', u, { note: input.note!, due: formatShanghai(newDueAt) }),
            buttons,
          },
        });
      },
    };
  },
};
