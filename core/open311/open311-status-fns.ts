import { OPEN_STATUSES, STATUSES, type CaseStatus, type Handling } from '../case/case-types.ts';
import { ValidationError } from '../errors.ts';

/**
 * GeoReport v2 knows two statuses, `open` and `closed`. Gridline's closed loop has more, and a
 * city's other systems want them: "closed" that is not "fixed" is the complaint FixMyStreet
 * users make most. mySociety's extension to Open311 (FixMyStreet wiki, "Open311 FMS - Proposed
 * differences to Open311", section "Additional states", used by FixMyStreet's Open311 updates)
 * adds these upper-case states beside `open`/`closed`, and an `external_status_code` carrying
 * the back end's own status. We keep the spec's `status` untouched and carry both in the
 * request's `extended_attributes` (the element name the Open311 wiki's Extensions page and
 * Chicago's endpoint use for non-standard fields), so a plain GeoReport client sees a valid
 * response and a FixMyStreet-style client gets the detail.
 */
export const DETAILED_STATUSES = [
  'OPEN',
  'INVESTIGATING',
  'ACTION_SCHEDULED',
  'IN_PROGRESS',
  'INTERNAL_REFERRAL',
  'FIXED',
  'CLOSED',
  'DUPLICATE',
  'NO_FURTHER_ACTION',
  'NOT_COUNCILS_RESPONSIBILITY',
] as const;
export type DetailedStatus = (typeof DETAILED_STATUSES)[number];
export type Open311Status = 'open' | 'closed';

export function open311Status(status: CaseStatus): Open311Status {
  return (OPEN_STATUSES as readonly string[]).includes(status) ? 'open' : 'closed';
}

/**
 * - triage (a person at the street centre decides) → INVESTIGATING;
 * - dispatched: to a department (移送) → INTERNAL_REFERRAL, otherwise ACTION_SCHEDULED;
 * - accepted → IN_PROGRESS;
 * - resolved (办结, not yet verified) stays IN_PROGRESS: FIXED is kept for a case someone
 *   checked (verified → closed), so "fixed" always means checked fixed;
 * - rejected (不予受理) → NO_FURTHER_ACTION; merged → DUPLICATE.
 */
export function detailedStatus(c: { status: CaseStatus; handling: Handling | string | null }): DetailedStatus {
  switch (c.status) {
    case 'triage':
      return 'INVESTIGATING';
    case 'dispatched':
      return c.handling === 'department' ? 'INTERNAL_REFERRAL' : 'ACTION_SCHEDULED';
    case 'accepted':
    case 'resolved':
      return 'IN_PROGRESS';
    case 'closed':
      return 'FIXED';
    case 'rejected':
      return 'NO_FURTHER_ACTION';
    case 'merged':
      return 'DUPLICATE';
  }
}

/** The case statuses behind one Open311 status. */
export function caseStatusesFor(status: Open311Status): CaseStatus[] {
  return STATUSES.filter((s) => open311Status(s) === status);
}

/** `status=open,closed` (the spec allows a comma-delimited list) → the case statuses to match. */
export function parseStatusFilter(raw: string): CaseStatus[] {
  const wanted = raw
    .split(',')
    .map((s) => s.trim().toLowerCase())
    .filter(Boolean);
  const bad = wanted.find((s) => s !== 'open' && s !== 'closed');
  if (bad !== undefined || wanted.length === 0) throw new ValidationError(`status 只能是 open 或 closed：${raw}`);
  return [...new Set(wanted.flatMap((s) => caseStatusesFor(s as Open311Status)))];
}
