// Who may administer which member of staff. The district bureau administers everyone; a team
// lead administers the inspectors and enforcers of their own street (bind codes, deactivation,
// inspector ⇄ enforcer, posts), never other team leads, other streets or themselves.
import { ROLE_LABELS, type Actor, type Role } from '../case/case-types.ts';
import { ForbiddenError, ValidationError } from '../errors.ts';

export const STAFF_ROLE_LABELS: Record<string, string> = ROLE_LABELS;

export const roleLabel = (role: string) => STAFF_ROLE_LABELS[role] ?? role;

/** Roles tied to a street and its team. */
export const STREET_ROLES: readonly Role[] = ['inspector', 'enforcer', 'team_lead'];
/** What a team lead may hand out or change to, on their own street. */
export const LEAD_MANAGED_ROLES: readonly Role[] = ['inspector', 'enforcer'];

/** The one doing the change: a signed-in person, or the command line (the server's operator). */
export type StaffAdmin = { kind: 'person'; actor: Actor } | { kind: 'cli'; label: string };

export interface StaffTarget {
  id: number;
  role: string;
  streetId: number | null;
  active: boolean;
}

export const ADMIN_REFUSAL = '只有区城管执法局和执法队长可以管理人员';

/** May open the staff page at all. */
export function mayAdminister(admin: StaffAdmin): boolean {
  return admin.kind === 'cli' || admin.actor.role === 'district_admin' || admin.actor.role === 'team_lead';
}

export function assertMayAdminister(admin: StaffAdmin): void {
  if (!mayAdminister(admin)) throw new ForbiddenError(ADMIN_REFUSAL);
}

/** The street a team lead is limited to; null for the bureau and the command line (all streets). */
export function streetScope(admin: StaffAdmin): number | null {
  assertMayAdminister(admin);
  if (admin.kind === 'cli' || admin.actor.role === 'district_admin') return null;
  return admin.actor.streetId ?? -1;
}

/** May change this person (before the particular change is checked). */
export function assertMayManage(admin: StaffAdmin, target: StaffTarget): void {
  assertMayAdminister(admin);
  if (admin.kind === 'cli' || admin.actor.role === 'district_admin') {
    if (admin.kind === 'person' && admin.actor.personId === target.id)
      throw new ForbiddenError('不能修改自己的账号，请另一位管理员办理');
    return;
  }
  const lead = admin.actor;
  if (target.id === lead.personId) throw new ForbiddenError('不能修改自己的账号，请另一位管理员办理');
  if (target.streetId === null || target.streetId !== lead.streetId)
    throw new ForbiddenError('执法队长只能管理本街道的人员');
  if (!LEAD_MANAGED_ROLES.includes(target.role as Role))
    throw new ForbiddenError('执法队长只能管理本街道的巡查员和执法队员');
}

/** May give this role (a new role, or a bind code's) on this street. */
export function assertMayGrantRole(admin: StaffAdmin, role: Role, streetId: number | null): void {
  assertMayAdminister(admin);
  if (role === 'resident') throw new ValidationError('居民不是工作人员角色；停用账号请用“停用”');
  if (admin.kind === 'cli' || admin.actor.role === 'district_admin') return;
  if (!LEAD_MANAGED_ROLES.includes(role)) throw new ForbiddenError('执法队长只能设置巡查员或执法队员');
  if (streetId === null || streetId !== admin.actor.streetId) throw new ForbiddenError('执法队长只能管理本街道的人员');
}

/** Transfers to another street or team are the bureau's decision. */
export function assertMayTransfer(admin: StaffAdmin, fromStreetId: number | null, toStreetId: number | null): void {
  assertMayAdminister(admin);
  if (admin.kind === 'cli' || admin.actor.role === 'district_admin') return;
  if (fromStreetId !== toStreetId || toStreetId !== admin.actor.streetId)
    throw new ForbiddenError('调往其他街道须由区城管执法局办理');
}

/** Who is named in the trail: the person and role, or the command line. */
export function adminLabel(admin: StaffAdmin): { actorId: number | null; actorLabel: string } {
  return admin.kind === 'cli'
    ? { actorId: null, actorLabel: admin.label }
    : {
        actorId: admin.actor.personId,
        actorLabel: `${admin.actor.displayName}（${roleLabel(admin.actor.role)}）`,
      };
}

/** Item codes look like SR-001; anything else names a category (the power list's post, e.g. 市容市政). */
export function parseCovers(text: string): string[] {
  const parts = text
    .split(/[,，、\s]+/)
    .map((s) => s.trim())
    .filter(Boolean);
  return [...new Set(parts)];
}

/** Does a post covering `covers` cover a case with this item code and category? */
export function postCovers(covers: readonly string[], item: { itemCode: string | null; post: string | null }): boolean {
  return covers.some((c) => c === item.itemCode || c === item.post);
}
