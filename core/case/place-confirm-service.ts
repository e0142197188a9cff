import { ForbiddenError, InvalidTransitionError, NotFoundError, ValidationError } from '../errors.ts';
import { toWgs84 } from '../geo/coord-transform-fns.ts';
import type { Crs, LatLng } from '../geo/geo-types.ts';
import type { PlaceCorrection } from '../geo/place-memory.ts';
import { ACTION_HANDLERS } from './case-action-handlers.ts';
import { applyEffect, type CaseActionDeps, type CaseRef } from './case-action-service.ts';
import type { CaseRow } from './case-port.ts';
import { OPEN_STATUSES, type Actor } from './case-types.ts';
import { placeCorrectionOf } from './place-correction-fns.ts';
import { refusalFor } from './transition-rules-fns.ts';

export interface PlaceConfirmInput {
  /** The street the case is really in. */
  streetName: string;
  /** The case's real point, when the pin was wrong or missing. */
  lat?: number;
  lng?: number;
  crs?: Crs;
  note?: string;
}

function pointOf(input: PlaceConfirmInput): LatLng | null {
  if (input.lat === undefined && input.lng === undefined) return null;
  if (input.lat === undefined || input.lng === undefined) throw new ValidationError('lat 与 lng 须同时提供');
  try {
    return toWgs84({ lat: input.lat, lng: input.lng }, input.crs ?? 'wgs84');
  } catch (err) {
    if (err instanceof RangeError) throw new ValidationError('坐标无效');
    throw err;
  }
}

/**
 * 确认位置 / 改派街道: staff say which street a case is really in (and, optionally, its real
 * point). An open street case held by another street is returned to that street (the 退回
 * rules apply); a case in triage just gets the street; in every case the place is
 * remembered, so later reports naming it or pinned near it are placed there.
 */
export function createPlaceConfirmService(deps: CaseActionDeps) {
  async function confirm(ref: CaseRef, actor: Actor, input: PlaceConfirmInput): Promise<CaseRow> {
    if (actor.role === 'resident' || actor.role === 'dept_liaison')
      throw new ForbiddenError('只有街道工作人员或区城管执法局可以确认案件位置');
    const streetName = (input.streetName ?? '').trim();
    if (!streetName) throw new ValidationError('请选择案件所在街道');
    const point = pointOf(input);
    const now = deps.clock();
    let learned: PlaceCorrection | null = null;
    const updated = await deps.store.transaction(async (tx) => {
      const c = await tx.getCase(ref);
      if (!c) throw new NotFoundError('没有找到该案件');
      const streetId = await tx.streetIdByName(streetName);
      if (streetId === null) throw new ValidationError(`没有“${streetName}”这个街道`);
      const ownStreet = actor.streetId !== null && (actor.streetId === c.streetId || actor.streetId === streetId);
      if (actor.role !== 'district_admin' && !ownStreet)
        throw new ForbiddenError('只有本街道工作人员或区城管执法局可以确认此案件的位置');

      let cur = c;
      const open = OPEN_STATUSES.includes(c.status);
      const held = c.status === 'dispatched' || c.status === 'accepted';
      if (held && c.handling === 'street' && c.streetId !== streetId) {
        // Another street's case: the same as 退回 with that street, by whoever may return it or
        // by the district bureau, whose command centre reassigns streets.
        const returnInput = { streetName, note: input.note?.trim() || `确认位置后改派至${streetName}` };
        const refusal = refusalFor('return', actor, c, returnInput);
        if (refusal?.kind === 'role' && actor.role !== 'district_admin') throw new ForbiddenError(refusal.message);
        if (refusal?.kind === 'status') throw new InvalidTransitionError(refusal.message);
        if (refusal?.kind === 'input') throw new ValidationError(refusal.message);
        const effect = await ACTION_HANDLERS.return({
          tx,
          c,
          actor,
          input: returnInput,
          now,
          m: deps.messages,
          deadlines: deps.deadlines,
        });
        cur = await applyEffect(tx, c, effect, actor, now);
      } else if (open && c.status !== 'resolved' && c.streetId !== streetId) {
        // In triage, or held by the bureau or a department: the street is recorded for the record and the stats.
        // A resolved or closed case keeps its history; what it teaches is still remembered below.
        cur = await tx.updateCase(c.id, { streetId });
      }
      if (point) cur = await tx.updateCase(c.id, { lat: point.lat, lng: point.lng });
      await tx.appendEvent({
        caseId: c.id,
        type: 'place_confirmed',
        fromStatus: cur.status,
        toStatus: cur.status,
        actorId: actor.personId,
        actorRole: actor.role,
        note: input.note?.trim() || `确认位置：${streetName}`,
        data: { street: streetName, ...(point ? { lat: point.lat, lng: point.lng } : {}), fromStreet: c.streetName },
        at: now,
      });
      const correction = placeCorrectionOf(cur, { id: streetId, name: streetName }, 'confirmed', actor.personId, now);
      if (correction) await tx.insertPlaceCorrection(correction.row);
      learned = correction?.memory ?? null;
      return cur;
    });
    if (learned) deps.places?.remember(learned);
    return updated;
  }

  return { confirm };
}

export type PlaceConfirmService = ReturnType<typeof createPlaceConfirmService>;
