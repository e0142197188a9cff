import { describe, expect, it } from 'vitest';
import type { Actor, Role } from './case-types.ts';
import {
  canSeeCase,
  canSeeOriginal,
  caseView,
  canSeeReporterContact,
  isOverdue,
  reporterView,
  visibilityScope,
  type CaseAccessFacts,
} from './case-visibility-fns.ts';

const actor = (role: Role, over: Partial<Actor> = {}): Actor => ({
  personId: 1,
  role,
  streetId: null,
  departmentId: null,
  displayName: 'x',
  ...over,
});
const facts = (over: Partial<CaseAccessFacts> = {}): CaseAccessFacts => ({
  streetId: 7,
  departmentId: null,
  reporterId: 50,
  assigneeId: null,
  actorFollows: false,
  ...over,
});

describe('caseView and canSeeOriginal', () => {
  it('a follower (merged duplicate, or staff of another street) gets the follower view only', () => {
    expect(caseView(actor('resident', { personId: 60 }), facts({ actorFollows: true }))).toBe('follower');
    expect(caseView(actor('team_lead', { personId: 60, streetId: 8 }), facts({ actorFollows: true }))).toBe('follower');
    expect(caseView(actor('team_lead', { streetId: 7 }), facts({ actorFollows: true }))).toBe('full');
    expect(caseView(actor('resident', { personId: 50 }), facts({ actorFollows: true }))).toBe('reporter');
    expect(caseView(actor('resident', { personId: 60 }), facts())).toBeNull();
  });

  it('originals: own uploads always; staff photos for the reporter; nothing else for a follower', () => {
    const r = actor('resident', { personId: 60 });
    expect(canSeeOriginal(r, 'follower', { uploadedById: 60, uploaderIsStaff: false })).toBe(true);
    expect(canSeeOriginal(r, 'follower', { uploadedById: 50, uploaderIsStaff: false })).toBe(false);
    expect(canSeeOriginal(r, 'follower', { uploadedById: 2, uploaderIsStaff: true })).toBe(false);
    expect(canSeeOriginal(r, 'reporter', { uploadedById: 2, uploaderIsStaff: true })).toBe(true);
    expect(canSeeOriginal(r, 'reporter', { uploadedById: 61, uploaderIsStaff: false })).toBe(false);
    expect(canSeeOriginal(r, 'reporter', { uploadedById: null, uploaderIsStaff: false })).toBe(false);
    expect(canSeeOriginal(actor('team_lead'), 'full', { uploadedById: null, uploaderIsStaff: false })).toBe(true);
  });
});

describe('canSeeCase', () => {
  it('a resident sees only the cases they reported or follow', () => {
    const resident = actor('resident', { personId: 50 });
    expect(canSeeCase(resident, facts())).toBe(true);
    expect(canSeeCase(resident, facts({ reporterId: 51 }))).toBe(false);
    expect(canSeeCase(resident, facts({ reporterId: 51, actorFollows: true }))).toBe(true);
    // A resident's street does not widen what they see.
    expect(canSeeCase(actor('resident', { personId: 50, streetId: 7 }), facts({ reporterId: 51 }))).toBe(false);
  });

  it.each(['inspector', 'enforcer', 'team_lead'] as const)('%s sees the cases of their own street only', (role) => {
    const a = actor(role, { streetId: 7 });
    expect(canSeeCase(a, facts())).toBe(true);
    expect(canSeeCase(a, facts({ streetId: 8 }))).toBe(false);
    expect(canSeeCase(a, facts({ streetId: null }))).toBe(false);
    expect(canSeeCase(actor(role, { streetId: null }), facts({ streetId: null }))).toBe(false);
  });

  it('a department liaison sees the cases referred to their department', () => {
    const a = actor('dept_liaison', { departmentId: 3, streetId: 7 });
    expect(canSeeCase(a, facts({ departmentId: 3, streetId: 9 }))).toBe(true);
    expect(canSeeCase(a, facts({ departmentId: 4 }))).toBe(false); // street is not theirs to see
  });

  it('the district bureau sees everything; staff also see what they reported', () => {
    expect(canSeeCase(actor('district_admin'), facts({ streetId: null }))).toBe(true);
    expect(canSeeCase(actor('inspector', { personId: 50, streetId: 1 }), facts({ streetId: 7 }))).toBe(true);
    // Assignees are always staff of the case's street: the street rule is what lets them see it.
    expect(canSeeCase(actor('enforcer', { personId: 9, streetId: 1 }), facts({ assigneeId: 9 }))).toBe(false);
  });

  it('scopes: all for the bureau, street or department fields only for the roles that use them', () => {
    expect(visibilityScope(actor('district_admin'))).toEqual({ kind: 'all' });
    expect(visibilityScope(actor('dept_liaison', { streetId: 2, departmentId: 3 }))).toEqual({
      kind: 'limited',
      personId: 1,
      streetId: null,
      departmentId: 3,
    });
    expect(visibilityScope(actor('team_lead', { streetId: 2, departmentId: 3 }))).toEqual({
      kind: 'limited',
      personId: 1,
      streetId: 2,
      departmentId: null,
    });
  });
});

describe('reporter contact', () => {
  const reporter = { displayName: '李四', phone: '13812345678' };

  it('is shown to the bureau, the team lead of the street and the assignee', () => {
    expect(canSeeReporterContact(actor('district_admin'), facts())).toBe(true);
    expect(canSeeReporterContact(actor('team_lead', { streetId: 7 }), facts())).toBe(true);
    expect(canSeeReporterContact(actor('enforcer', { personId: 9, streetId: 7 }), facts({ assigneeId: 9 }))).toBe(true);
    expect(reporterView(actor('district_admin'), facts(), reporter)).toEqual({
      displayName: '李四',
      phone: '13812345678',
      phoneMasked: '138****5678',
    });
  });

  it('is hidden from everyone else, and only masked for the reporter themself', () => {
    expect(canSeeReporterContact(actor('team_lead', { streetId: 8 }), facts())).toBe(false);
    expect(canSeeReporterContact(actor('inspector', { streetId: 7 }), facts())).toBe(false);
    expect(canSeeReporterContact(actor('enforcer', { streetId: 7 }), facts())).toBe(false);
    expect(reporterView(actor('dept_liaison', { departmentId: 3 }), facts({ departmentId: 3 }), reporter)).toBeNull();
    expect(reporterView(actor('resident', { personId: 50 }), facts(), reporter)).toEqual({
      displayName: '居民',
      phone: null,
      phoneMasked: '138****5678',
    });
  });
});

describe('isOverdue', () => {
  const now = new Date('2026-12-01T00:00:00Z');
  it('counts cases still with the handler past their deadline', () => {
    expect(isOverdue({ status: 'accepted', dueAt: new Date('2026-11-30T00:00:00Z') }, now)).toBe(true);
    expect(isOverdue({ status: 'accepted', dueAt: new Date('2026-12-02T00:00:00Z') }, now)).toBe(false);
    expect(isOverdue({ status: 'resolved', dueAt: new Date('2026-11-30T00:00:00Z') }, now)).toBe(false);
    expect(isOverdue({ status: 'closed', dueAt: new Date('2026-11-30T00:00:00Z') }, now)).toBe(false);
    expect(isOverdue({ status: 'dispatched', dueAt: null }, now)).toBe(false);
  });
});
