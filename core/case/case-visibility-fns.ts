import type { Actor, CaseStatus } from './case-types.ts';
import { maskPhone } from './anonymise-fns.ts';

/**
 * Who may read which case. One pure rule set; db/case-queries.ts turns the scope into a
 * Prisma `where` for lists and canSeeCase() checks a single case, so both always agree.
 *
 * - everyone sees the cases they reported or follow (CaseSubscriber);
 * - inspector, enforcer, team_lead also see every case of their street (Case.streetId);
 * - dept_liaison also sees the cases referred to their department (Case.departmentId);
 * - district_admin sees everything.
 *
 * Assignees need no rule of their own: the write side only assigns enforcers and team leads
 * of the case's own street (and clears the assignee when a case is returned), so the street
 * rule covers them. Leaving it out also keeps every term of the list's OR on an index
 * (Case.assigneeId has none).
 */
export type VisibilityScope =
  { kind: 'all' } | { kind: 'limited'; personId: number; streetId: number | null; departmentId: number | null };

const STREET_ROLES = new Set(['inspector', 'enforcer', 'team_lead']);

export function visibilityScope(actor: Actor): VisibilityScope {
  if (actor.role === 'district_admin') return { kind: 'all' };
  return {
    kind: 'limited',
    personId: actor.personId,
    streetId: STREET_ROLES.has(actor.role) ? actor.streetId : null,
    departmentId: actor.role === 'dept_liaison' ? actor.departmentId : null,
  };
}

/** The facts about one case the rules look at. */
export interface CaseAccessFacts {
  streetId: number | null;
  departmentId: number | null;
  reporterId: number;
  /** Only for the reporter-contact rule; visibility does not depend on it (see above). */
  assigneeId: number | null;
  /** Whether the actor follows the case (CaseSubscriber row). */
  actorFollows: boolean;
}

/**
 * How much of a case the actor sees:
 * - full: the bureau, and staff whose street or department holds the case;
 * - reporter: the person who reported it (everything but other residents' photos);
 * - follower: a CaseSubscriber only (a merged duplicate's reporter, or staff who merged a case
 *   they followed): what the public sees, their own report and the outcome. Never the original
 *   text, the reporter, the exact point or the photos of the case they follow, so that filing a
 *   "duplicate" of a neighbour's report does not unmask the neighbour.
 */
export type CaseView = 'full' | 'reporter' | 'follower';

export function caseView(actor: Actor, c: CaseAccessFacts): CaseView | null {
  const scope = visibilityScope(actor);
  if (scope.kind === 'all') return 'full';
  if (scope.streetId !== null && c.streetId === scope.streetId) return 'full';
  if (scope.departmentId !== null && c.departmentId === scope.departmentId) return 'full';
  if (c.reporterId === actor.personId) return 'reporter';
  return c.actorFollows ? 'follower' : null;
}

export function canSeeCase(actor: Actor, c: CaseAccessFacts): boolean {
  return caseView(actor, c) !== null;
}

/**
 * Whether the actor may open the original (EXIF GPS included) of a photo on a case they see as
 * `view`: their own upload always; everything with the full view; the reporter also the staff's
 * photos of their case, never another resident's; a follower nothing but their own.
 */
export function canSeeOriginal(
  actor: Actor,
  view: CaseView,
  a: { uploadedById: number | null; uploaderIsStaff: boolean },
): boolean {
  if (a.uploadedById !== null && a.uploadedById === actor.personId) return true;
  if (view === 'full') return true;
  return view === 'reporter' && a.uploaderIsStaff;
}

/**
 * The reporter's contact is for the people who must call back: the district bureau, the team
 * lead of the case's street and the person the case is assigned to. Nobody else learns who
 * reported a case (residents must be able to report a neighbour safely).
 */
export function canSeeReporterContact(actor: Actor, c: Pick<CaseAccessFacts, 'streetId' | 'assigneeId'>): boolean {
  if (actor.role === 'district_admin') return true;
  if (actor.role === 'team_lead' && c.streetId !== null && actor.streetId === c.streetId) return true;
  return c.assigneeId !== null && c.assigneeId === actor.personId;
}

export interface ReporterView {
  displayName: string;
  phone: string | null;
  phoneMasked: string | null;
}

/**
 * What a detail page shows about the reporter: the full contact for those allowed; the
 * reporter themself gets the masked form ('居民', 138****5678) so they recognise their own
 * report without the page ever carrying a full number; everyone else gets null.
 */
export function reporterView(
  actor: Actor,
  c: Pick<CaseAccessFacts, 'streetId' | 'assigneeId' | 'reporterId'>,
  reporter: { displayName: string; phone: string | null },
): ReporterView | null {
  const phoneMasked = reporter.phone ? maskPhone(reporter.phone) : null;
  if (canSeeReporterContact(actor, c)) return { displayName: reporter.displayName, phone: reporter.phone, phoneMasked };
  if (actor.personId === c.reporterId) return { displayName: '居民', phone: null, phoneMasked };
  return null;
}

/**
 * Overdue means the handler still holds the case past its deadline. `resolved` (办结待核查) is
 * not overdue: the handler's clock stopped at resolvedAt; verification is someone else's step.
 */
export const OVERDUE_STATUSES: readonly CaseStatus[] = ['triage', 'dispatched', 'accepted'];

export function isOverdue(c: { status: string; dueAt: Date | null }, now: Date): boolean {
  return (
    c.dueAt !== null && c.dueAt.getTime() < now.getTime() && (OVERDUE_STATUSES as readonly string[]).includes(c.status)
  );
}

/** Only verified, closed cases are published (执法信息网上公示). */
export function isPublishedCase(c: { status: string }): boolean {
  return c.status === 'closed';
}
