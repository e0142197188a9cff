import { describe, expect, it } from 'vitest';
import type { Actor } from '../case/case-types.ts';
import { ForbiddenError, ValidationError } from '../errors.ts';
import {
  assertMayGrantRole,
  assertMayManage,
  assertMayTransfer,
  parseCovers,
  postCovers,
  streetScope,
  type StaffAdmin,
} from './staff-admin-rules.ts';

const as = (role: Actor['role'], streetId: number | null = null, personId = 1): StaffAdmin => ({
  kind: 'person',
  actor: { personId, role, streetId, departmentId: null, displayName: 'x' },
});
const cli: StaffAdmin = { kind: 'cli', label: '命令行（ops）' };
const enforcer = (streetId: number | null, id = 9) => ({ id, role: 'enforcer', streetId, active: true });

describe('staff administration rules', () => {
  it('the bureau and the command line manage anyone; a team lead only their street’s inspectors and enforcers', () => {
    expect(() => assertMayManage(cli, { id: 5, role: 'team_lead', streetId: 2, active: true })).not.toThrow();
    expect(() => assertMayManage(as('district_admin'), { ...enforcer(3) })).not.toThrow();
    expect(() => assertMayManage(as('team_lead', 2), enforcer(2))).not.toThrow();
    expect(() => assertMayManage(as('team_lead', 2), enforcer(3))).toThrow(ForbiddenError);
    expect(() => assertMayManage(as('team_lead', 2), { id: 9, role: 'team_lead', streetId: 2, active: true })).toThrow(
      ForbiddenError,
    );
    expect(() => assertMayManage(as('team_lead', 2, 9), enforcer(2, 9))).toThrow('不能修改自己的账号');
    for (const role of ['resident', 'inspector', 'enforcer', 'dept_liaison'] as const)
      expect(() => assertMayManage(as(role, 2), enforcer(2))).toThrow(ForbiddenError);
  });

  it('a team lead grants only inspector or enforcer on their street, and never transfers', () => {
    expect(() => assertMayGrantRole(as('team_lead', 2), 'enforcer', 2)).not.toThrow();
    expect(() => assertMayGrantRole(as('team_lead', 2), 'team_lead', 2)).toThrow(ForbiddenError);
    expect(() => assertMayGrantRole(as('team_lead', 2), 'inspector', 3)).toThrow(ForbiddenError);
    expect(() => assertMayGrantRole(cli, 'resident', null)).toThrow(ValidationError);
    expect(() => assertMayTransfer(as('team_lead', 2), 2, 3)).toThrow(ForbiddenError);
    expect(() => assertMayTransfer(as('district_admin'), 2, 3)).not.toThrow();
    expect(streetScope(as('team_lead', 2))).toBe(2);
    expect(streetScope(cli)).toBeNull();
  });

  it('posts cover item codes and categories', () => {
    expect(parseCovers('SR-001，市容市政、 SR-001')).toEqual(['SR-001', '市容市政']);
    expect(postCovers(['SR-001'], { itemCode: 'SR-001', post: '市容市政' })).toBe(true);
    expect(postCovers(['环境卫生'], { itemCode: 'SR-001', post: '市容市政' })).toBe(false);
    expect(postCovers(['市容市政'], { itemCode: 'SR-002', post: '市容市政' })).toBe(true);
  });
});
