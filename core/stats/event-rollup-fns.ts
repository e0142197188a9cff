import { isHandledOnTime } from './assessment-rules.ts';
import { districtDay } from './period-fns.ts';
import type { RollupCase } from './rollup-fns.ts';

/**
 * Event rollups: what the per-person (人员考核) and department (部门考核) figures read of the case
 * events, kept per district day and owner (a person or a department) so a period's figures are
 * a sum over its days (db/stats-event-rollup.ts keeps them; the schema's StatsEventFact and
 * StatsEventRollup say what each kind holds). The rules are assessment-rules.ts's.
 */
export type EventRollupKind = 'handled' | 'assigned' | 'referred' | 'returned';

export interface EventRollupDelta {
  kind: EventRollupKind;
  day: string;
  ownerId: number;
  streetId: number;
  n: number;
  onTime: number;
  rework: number;
  acceptedInTime: number;
}

export const EVENT_MEASURES = ['n', 'onTime', 'rework', 'acceptedInTime'] as const;

/** What a handled case's state adds to its handler's figures: closed on time, and sent back (the counters say so). */
export function handledFlags(c: RollupCase): { onTime: 0 | 1; reworked: 0 | 1 } {
  return { onTime: isHandledOnTime(c) ? 1 : 0, reworked: c.reworkCount > 0 || c.reopenCount > 0 ? 1 : 0 };
}

export function eventDelta(
  kind: EventRollupKind,
  at: Date,
  ownerId: number,
  m: Partial<Omit<EventRollupDelta, 'kind' | 'day' | 'ownerId'>>,
): EventRollupDelta {
  return { kind, day: districtDay(at), ownerId, streetId: 0, n: 0, onTime: 0, rework: 0, acceptedInTime: 0, ...m };
}

/** Sums deltas with the same key and drops those that cancel out. */
export function netEventDeltas(deltas: readonly EventRollupDelta[]): EventRollupDelta[] {
  const byKey = new Map<string, EventRollupDelta>();
  for (const d of deltas) {
    const key = `${d.kind}\u0001${d.day}\u0001${d.ownerId}\u0001${d.streetId}`;
    const acc = byKey.get(key);
    if (!acc) byKey.set(key, { ...d });
    else for (const m of EVENT_MEASURES) acc[m] += d[m];
  }
  return [...byKey.values()].filter((d) => EVENT_MEASURES.some((m) => d[m] !== 0));
}

/** The assignee an 'assigned' event names (its data.assigneeId), as the figures read it. */
export function assigneeOf(data: Record<string, unknown> | undefined): number | null {
  const v = data?.assigneeId;
  const n = typeof v === 'number' ? v : typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : NaN;
  return Number.isInteger(n) ? Math.trunc(n) : null;
}
