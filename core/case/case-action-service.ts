import { ForbiddenError, InvalidTransitionError, NotFoundError, ValidationError } from '../errors.ts';
import type { MessageRenderer } from './case-messages.ts';
import type { CaseRow, CaseStore, CaseTx } from './case-port.ts';
import type { DeadlineFn } from './case-intake-service.ts';
import type { ActionInput, Actor, CaseAction } from './case-types.ts';
import { ACTIONS } from './case-types.ts';
import { ACTION_HANDLERS, type ActionEffect } from './case-action-handlers.ts';
import { refusalFor } from './transition-rules-fns.ts';
import { assertAttachable } from '../evidence/attachment-access-fns.ts';
import type { PlaceCorrection, PlaceMemoryPort } from '../geo/place-memory.ts';
import { placeCorrectionOf } from './place-correction-fns.ts';
import type { VerificationSettings } from './verification-fns.ts';

export interface CaseActionDeps {
  store: CaseStore;
  clock: () => Date;
  messages: MessageRenderer;
  deadlines: DeadlineFn;
  /** Told of each street a person chose for a case, after the transaction commits. */
  places?: PlaceMemoryPort | null;
  /** 核查 tasks on 办结 (core/case/verification-task.ts). */
  verification?: VerificationSettings | null;
}

export type CaseRef = { id: number } | { number: string };

/** Applies an effect: one update, its events (append-only), then its notices, all in the caller's transaction. */
export async function applyEffect(
  tx: CaseTx,
  c: CaseRow,
  effect: ActionEffect,
  actor: { personId: number | null; role: string },
  now: Date,
  attachmentIds?: number[],
): Promise<CaseRow> {
  const updated = await tx.updateCase(c.id, effect.patch);
  const eventId = await tx.appendEvent({
    caseId: c.id,
    type: effect.event.type,
    fromStatus: c.status,
    toStatus: updated.status,
    actorId: actor.personId,
    actorRole: actor.role,
    note: effect.event.note ?? null,
    data: effect.event.data,
    attachmentIds,
    at: now,
  });
  for (const next of effect.then ?? []) {
    await tx.appendEvent({
      caseId: c.id,
      type: next.type,
      fromStatus: updated.status,
      toStatus: updated.status,
      actorId: actor.personId,
      actorRole: actor.role,
      note: next.note ?? null,
      at: now,
    });
  }
  await effect.announce(updated, eventId);
  return updated;
}

/** Every transition of the closed loop, checked against the rules, recorded as events. */
export function createCaseActionService(deps: CaseActionDeps) {
  const { store, clock } = deps;

  async function act(ref: CaseRef, action: CaseAction, actor: Actor, input: ActionInput = {}): Promise<CaseRow> {
    if (!ACTIONS.includes(action)) throw new ValidationError(`未知操作：${String(action)}`);
    const now = clock();
    let learned: PlaceCorrection | null = null;
    const updated = await store.transaction(async (tx) => {
      const c = await tx.getCase(ref);
      if (!c) throw new NotFoundError('没有找到该案件');
      const refusal = refusalFor(action, actor, c, input);
      if (refusal?.kind === 'role') throw new ForbiddenError(refusal.message);
      if (refusal?.kind === 'status') throw new InvalidTransitionError(refusal.message);
      if (refusal?.kind === 'input') throw new ValidationError(refusal.message);
      const photos = input.attachmentIds ?? [];
      if (photos.length) assertAttachable(photos, await tx.attachmentOwnership(photos), actor.personId, c.id);
      const effect = await ACTION_HANDLERS[action]({
        tx,
        c,
        actor,
        input,
        now,
        m: deps.messages,
        deadlines: deps.deadlines,
        verification: deps.verification ?? null,
      });
      const result = await applyEffect(tx, c, effect, actor, now, input.attachmentIds);
      if (effect.place) {
        const p = effect.place;
        const correction = placeCorrectionOf(c, { id: p.streetId, name: p.street }, p.source, actor.personId, now);
        if (correction) await tx.insertPlaceCorrection(correction.row);
        learned = correction?.memory ?? null;
      }
      return result;
    });
    // Only what was committed is learned.
    if (learned) deps.places?.remember(learned);
    return updated;
  }

  return { act };
}

export type CaseActionService = ReturnType<typeof createCaseActionService>;
