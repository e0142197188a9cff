import { ValidationError } from '../errors.ts';
import type { MessageRenderer } from './case-messages.ts';
import type { CasePatch, CaseRow, CaseTx } from './case-port.ts';
import { capDeadline, unstaffedDepartment, type DeadlineFn } from './case-intake-service.ts';
import type { ActionInput, Actor, CaseAction, Handling } from './case-types.ts';
import { message, notifyEach, notifyStaff, outcomeMessage, ratingButtons, verifyButtons } from './case-notices.ts';
import { formatShanghai, handlerName } from './case-format-fns.ts';
import { historyLines } from './case-history-fns.ts';
import { redactPersonalData } from './anonymise-fns.ts';
import type { VerificationSettings } from './verification-fns.ts';
import { announceResolution, openVerification } from './verification-task.ts';

export interface ActionContext {
  tx: CaseTx;
  c: CaseRow;
  actor: Actor;
  input: ActionInput;
  now: Date;
  m: MessageRenderer;
  deadlines: DeadlineFn;
  /** 核查 set-up; without it no verification task is opened (unit tests of other actions). */
  verification?: VerificationSettings | null;
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
  handlerNotice: { key: string; extra?: Record<string, string> } = { key: 'handler.dispatched' },
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
      await handlersHear(ctx, u, eventId, handlerNotice.key, handlerNotice.extra);
      await followersHear(ctx, reporterKey)(u, eventId);
    },
  };
}

/** A department as the holder, or the bureau in its place when nobody there is bound. */
async function departmentHolder(ctx: ActionContext, name: string): Promise<{ patch: CasePatch; unbound: boolean }> {
  const departmentId = await ctx.tx.departmentIdByName(name);
  if (departmentId === null) throw new ValidationError(`没有“${name}”这个部门`);
  if (!(await unstaffedDepartment(ctx.tx, 'department', departmentId)))
    return { patch: { handling: 'department', departmentId }, unbound: false };
  // The bureau itself gains nothing by sending a case where nobody would read it.
  if (ctx.actor.role === 'district_admin')
    throw new ValidationError(`${name}尚无人员在网格通接收案件，请派遣街道或由区局直接办理`);
  return { patch: { handling: 'district', departmentId: null }, unbound: true };
}

export const ACTION_HANDLERS: Record<CaseAction, (ctx: ActionContext) => Promise<ActionEffect>> = {
  async register(ctx) {
    const { tx, c, input, now } = ctx;
    // A case the bureau already held keeps its deadline; a newly registered one gets the item's.
    const fresh = c.status === 'triage';
    const item = input.itemCode ? await tx.activeItem(input.itemCode) : c.item;
    if (!item)
      throw new ValidationError(input.itemCode ? `权力清单中没有事项 ${input.itemCode}` : '请选择权力清单事项');
    const streetId = input.streetName ? await tx.streetIdByName(input.streetName) : c.streetId;
    if (input.streetName && streetId === null) throw new ValidationError(`没有“${input.streetName}”这个街道`);
    if (item.level === 'street' && streetId === null) throw new ValidationError('街道事项须指定承办街道');
    if (input.streetName && !fresh && item.level !== 'street')
      throw new ValidationError('所选事项不由街道办理：请选择街道事项，或改用“移送部门”');
    const departmentId = item.level === 'department' ? await tx.departmentIdByName(item.department ?? '') : null;
    // A department nobody is bound to: the bureau holds the case (it can dispatch it to a street).
    const unbound = await unstaffedDepartment(tx, item.level, departmentId);
    if (unbound && ctx.actor.role === 'district_admin')
      throw new ValidationError(`${item.department}尚无人员在网格通接收案件，请选择街道事项派遣，或由区局直接办理`);
    const handling: Handling = unbound ? 'district' : item.level;
    // A handed-over order (12345) keeps its own deadline when that is the earlier one.
    const due = capDeadline(ctx.deadlines(item, now, c.urgent), c.externalDueAt);
    const toStreet = handling === 'street' && streetId !== null ? (input.streetName ?? c.streetName) : null;
    const effect = await redispatch(
      ctx,
      fresh ? 'registered' : 'dispatched',
      {
        itemId: item.id,
        post: item.post,
        handling,
        streetId,
        departmentId: unbound ? null : departmentId,
        responseDueAt: due.responseDueAt,
        ...(fresh ? { registeredAt: now, dueAt: due.dueAt } : { dueAt: c.dueAt ?? due.dueAt }),
      },
      'reporter.dispatched',
      unbound
        ? { key: 'handler.unbound', extra: { department: item.department ?? '承办部门' } }
        : fresh
          ? { key: 'handler.dispatched' }
          : { key: 'handler.bureau_dispatched', extra: { note: input.note ? `：${input.note}` : '' } },
    );
    const data = { item: item.code, version: item.version, ...(toStreet ? { toStreet } : {}) };
    return {
      ...effect,
      ...(input.streetName && streetId !== null
        ? { place: { streetId, street: input.streetName, source: 'registered' as const } }
        : {}),
      event: fresh
        ? { type: 'registered', note: input.note ?? `人工分拣：${item.code} ${item.name}`, data }
        : { type: 'dispatched', note: input.note ?? `区局派遣：${item.code} ${item.name}`, data },
      ...(fresh ? { then: [{ type: 'dispatched' }] } : {}),
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
    // Whoever receives it reads where it came from and why.
    const said = { from: handlerName(c), note: input.note! };
    if (input.streetName) {
      const streetId = await tx.streetIdByName(input.streetName);
      if (streetId === null) throw new ValidationError(`没有“${input.streetName}”这个街道`);
      if (streetId === c.streetId && c.handling === 'street')
        throw new ValidationError('退回须改派到其他街道，或不填街道交由指挥中心重新分拣');
      const effect = await redispatch(
        ctx,
        'returned',
        { streetId, handling: 'street', departmentId: null, returnCount },
        'reporter.redirected',
        { key: 'handler.returned', extra: said },
      );
      return {
        ...effect,
        place: { streetId, street: input.streetName, source: 'returned' },
        event: { type: 'returned', note: input.note, data: { toStreet: input.streetName } },
      };
    }
    if (input.departmentName) {
      if (c.handling === 'department' && c.departmentName === input.departmentName)
        throw new ValidationError('退回须改交其他部门');
      const holder = await departmentHolder(ctx, input.departmentName);
      const effect = await redispatch(
        ctx,
        'returned',
        { ...holder.patch, returnCount },
        'reporter.redirected',
        holder.unbound
          ? { key: 'handler.unbound', extra: { department: input.departmentName } }
          : { key: 'handler.returned', extra: said },
      );
      return {
        ...effect,
        event: { type: 'returned', note: input.note, data: { department: input.departmentName } },
      };
    }
    // Back to whoever sorts cases: a street (or anyone choosing it) sends it up to the bureau, others back to the street centre.
    const centre: Handling =
      input.toDistrict || actor.role === 'team_lead' || c.streetId === null ? 'district' : 'street';
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
      event: { type: 'returned', note: input.note, data: { to: centre } },
      announce: async (u, eventId) => {
        const people = await tx.handlers(centre, u.streetId, null);
        await notifyStaff(tx, ctx.m, {
          personIds: people,
          c: u,
          key: 'handler.returned_triage',
          extra: said,
          dedupeKey: `case:${u.id}:e${eventId}:centre`,
          now: ctx.now,
        });
        await followersHear(ctx, 'reporter.returned')(u, eventId);
      },
    };
  },

  async escalate(ctx) {
    const { tx, c, input, actor } = ctx;
    // The scheduler escalates an overdue case: the bureau reads it as such.
    const automatic = input.overdue === true;
    // A second 不满意 sends the case up on the reporter's word, not the unit's.
    const from = actor.role === 'resident' ? '报告人（再次评价不满意）' : handlerName(c);
    // The bureau is a new holder: it gets its own reminder and 督办 for the deadline (an overdue
    // escalation is itself the 督办, so none follows at once).
    const effect = await redispatch(
      ctx,
      'escalated',
      {
        handling: 'district',
        departmentId: null,
        remindedAt: null,
        overdueNotifiedAt: automatic ? ctx.now : null,
      },
      'reporter.escalated',
    );
    return {
      ...effect,
      announce: async (u, eventId) => {
        const history = historyLines(await tx.history(u.id));
        await notifyStaff(tx, ctx.m, {
          personIds: await tx.handlers('district', null, null),
          c: u,
          key: automatic ? 'handler.overdue_escalated' : 'handler.escalated',
          extra: { from, note: input.note ?? '', history },
          dedupeKey: `case:${u.id}:e${eventId}:handlers`,
          now: ctx.now,
        });
        // The unit that held it (and the member working on it) learns the case has gone up.
        const told = new Set(await tx.handlers((c.handling ?? 'street') as Handling, c.streetId, c.departmentId));
        if (c.assigneeId !== null) told.add(c.assigneeId);
        for (const p of await tx.handlers('district', null, null)) told.delete(p);
        told.delete(actor.personId);
        if (told.size)
          await notifyStaff(tx, ctx.m, {
            personIds: [...told],
            c: u,
            key: 'handler.escalated_notice',
            extra: {
              how: automatic ? '因超期自动上报' : '上报',
              note: automatic ? `时限${formatShanghai(c.dueAt)}已过仍未办结` : (input.note ?? ''),
            },
            dedupeKey: `case:${u.id}:e${eventId}:previous`,
            now: ctx.now,
          });
        await followersHear(ctx, 'reporter.escalated')(u, eventId);
      },
    };
  },

  async refer(ctx) {
    const holder = await departmentHolder(ctx, ctx.input.departmentName!);
    const effect = await redispatch(
      ctx,
      'referred',
      holder.patch,
      holder.unbound ? 'reporter.redirected' : 'reporter.referred',
      holder.unbound ? { key: 'handler.unbound', extra: { department: ctx.input.departmentName! } } : undefined,
    );
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
      announce: async (u, eventId) => {
        await announceResolution(ctx, u, eventId);
        await openVerification(ctx, u, eventId);
      },
    };
  },

  async verify(ctx) {
    return {
      patch: { status: 'closed', verifiedAt: ctx.now, closedAt: ctx.now, autoVerified: false },
      event: {
        type: 'verified',
        note: ctx.input.note ?? (ctx.actor.personId === ctx.c.reporterId ? '报告人确认已解决' : null),
      },
      then: [{ type: 'closed' }],
      announce: async (u, eventId) => {
        await ctx.tx.finishVerificationTask(u.id, 'verified', ctx.now);
        await followersHear(ctx, 'reporter.closed', {}, ratingButtons, true)(u, eventId);
      },
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
        await ctx.tx.finishVerificationTask(u.id, 'failed', now);
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
