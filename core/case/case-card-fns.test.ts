import { describe, expect, it } from 'vitest';
import { ANY_INPUT, CARD_ACTION_ORDER, caseCard, cardActions, cardButtons, caseNumberIn } from './case-card-fns.ts';
import type { CaseRow } from './case-port.ts';
import { ACTIONS, ROLES, STATUSES, type Actor, type CaseSnapshot, type Handling } from './case-types.ts';
import { refusalFor } from './transition-rules-fns.ts';

const WANSONG = 3;
const OTHER = 4;
const GAS = 9;
const actor = (role: Actor['role'], o: Partial<Actor> = {}): Actor => ({
  personId: 100,
  role,
  streetId: ['inspector', 'enforcer', 'team_lead'].includes(role) ? WANSONG : null,
  departmentId: role === 'dept_liaison' ? GAS : null,
  displayName: role,
  ...o,
});
const snap = (o: Partial<CaseSnapshot> = {}): CaseSnapshot => ({
  id: 7,
  number: 'JH-20261206-0012',
  status: 'dispatched',
  handling: 'street',
  streetId: WANSONG,
  departmentId: null,
  reporterId: 1,
  assigneeId: null,
  resolvedById: null,
  unsatisfiedCount: 0,
  ...o,
});

describe('cardActions', () => {
  it('lists every action once, in a fixed order', () => {
    expect([...CARD_ACTION_ORDER].sort()).toEqual([...ACTIONS].sort());
  });

  it('never offers a button its reader would be refused, and offers every one they would not (all roles × states)', () => {
    const handlings: Handling[] = ['street', 'district', 'department'];
    const readers = [
      ...ROLES.map((r) => actor(r)),
      actor('team_lead', { streetId: OTHER }),
      actor('dept_liaison', { departmentId: GAS + 1 }),
      actor('resident', { personId: 1 }),
      actor('enforcer', { personId: 55 }),
    ];
    for (const status of STATUSES)
      for (const handling of handlings)
        for (const a of readers) {
          const c = snap({
            status,
            handling,
            departmentId: handling === 'department' ? GAS : null,
            assigneeId: 55,
            resolvedById: status === 'resolved' ? 55 : null,
          });
          const shown = cardActions(a, c);
          for (const action of ACTIONS)
            expect(shown.includes(action), `${a.role} ${status} ${handling} ${action}`).toBe(
              refusalFor(action, a, c, ANY_INPUT) === null,
            );
        }
  });

  it('a team lead is offered 接单 but not 办结 on a new case, 办结 but not 接单 once it is 处置中 (返工)', () => {
    const lead = actor('team_lead');
    const fresh = cardActions(lead, snap({ status: 'dispatched' }));
    expect(fresh).toContain('accept');
    expect(fresh).not.toContain('resolve');
    const rework = cardActions(lead, snap({ status: 'accepted' }));
    expect(rework).toContain('resolve');
    expect(rework).not.toContain('accept');
  });

  it('a triage card of a case already with a department does not offer 移送部门', () => {
    const c = snap({ status: 'triage', handling: 'department', departmentId: GAS });
    expect(cardActions(actor('district_admin'), c)).not.toContain('refer');
    expect(cardActions(actor('district_admin'), c)).toContain('register');
  });

  it('the bureau reading a department case nobody is bound to sees only what it may do (no 接收, 办结, 退回)', () => {
    const c = snap({ handling: 'department', departmentId: GAS, streetId: null });
    const shown = cardActions(actor('district_admin'), c);
    expect(shown).not.toContain('accept');
    expect(shown).not.toContain('resolve');
    expect(shown).not.toContain('return');
    for (const a of shown) expect(refusalFor(a, actor('district_admin'), c, ANY_INPUT)).toBeNull();
  });

  it('labels: a department 接收s, a reporter answers 已解决 / 仍未解决; three to a row', () => {
    const dept = cardButtons(actor('dept_liaison'), snap({ handling: 'department', departmentId: GAS }));
    expect(dept.flat()[0]).toEqual({ id: 'c:accept:7', label: '接收' });
    const reporter = cardButtons(actor('resident', { personId: 1 }), snap({ status: 'resolved' }));
    expect(reporter.flat().map((b) => b.label)).toEqual(['已解决', '仍未解决']);
    for (const row of cardButtons(actor('team_lead'), snap())) expect(row.length).toBeLessThanOrEqual(3);
  });
});

describe('caseCard', () => {
  const row = (o: Partial<CaseRow> = {}): CaseRow => ({
    ...snap(),
    text: '青年路上有人占道摆摊卖水果',
    lat: 30.5942,
    lng: 114.2359,
    address: null,
    post: null,
    urgent: false,
    itemId: 1,
    item: null,
    streetName: '万松街道',
    departmentName: null,
    reporterName: null,
    dueAt: new Date('2026-12-06T10:00:00Z'),
    responseDueAt: null,
    createdAt: new Date('2026-12-06T02:00:00Z'),
    resolvedAt: null,
    closedAt: null,
    outcome: null,
    mode721: null,
    mergedIntoId: null,
    reopenCount: 0,
    reworkCount: 0,
    returnCount: 0,
    externalDueAt: null,
    ...o,
  });
  const now = new Date('2026-12-06T12:00:00Z');

  it('a staff card has place with the point, map link, words, deadline (overdue), state, photos and a pin', () => {
    const m = caseCard({
      c: row(),
      text: '【新案件】JH-20261206-0012',
      actor: actor('team_lead'),
      view: 'staff',
      now,
      photos: [5],
      mapUrl: 'https://g.example/cases/JH-20261206-0012',
    });
    expect(m.text).toContain('地点：万松街道（北纬 30.59420，东经 114.23590）');
    expect(m.text).toContain('地图：https://g.example/cases/JH-20261206-0012');
    expect(m.text).toContain('内容：青年路上有人占道摆摊卖水果');
    expect(m.text).toContain('（已逾期）');
    expect(m.text).toContain('状态：已派遣');
    expect(m.photoAttachmentIds).toEqual([5]);
    expect(m.location).toEqual({ lat: 30.5942, lng: 114.2359 });
    expect(m.card).toMatchObject({ caseId: 7, number: 'JH-20261206-0012', overdue: true, status: '已派遣' });
    expect(m.buttons?.flat().map((b) => b.label)).toContain('接单');
  });

  it('a follower reads the street only: no words, photos, pin or actions', () => {
    const m = caseCard({
      c: row(),
      text: '案件',
      actor: actor('resident', { personId: 2 }),
      view: 'follower',
      now,
      photos: [5],
    });
    expect(m.text).toContain('地点：万松街道');
    expect(m.text).not.toContain('北纬');
    expect(m.text).not.toContain('摆摊');
    expect(m.photoAttachmentIds).toBeUndefined();
    expect(m.location).toBeUndefined();
    expect(m.buttons).toBeUndefined();
  });

  it('keeps a line the template already has', () => {
    const m = caseCard({ c: row({ address: '青年路 8 号' }), text: 'x\n地点：别处', actor: null, view: 'staff', now });
    expect(m.text.match(/地点：/g)).toHaveLength(1);
  });
});

describe('caseNumberIn', () => {
  it('finds a case number anywhere in a short message', () => {
    expect(caseNumberIn('jh-20261206-0012')).toBe('JH-20261206-0012');
    expect(caseNumberIn('请看一下 JH-20261206-0012 这个')).toBe('JH-20261206-0012');
    expect(caseNumberIn('青年路 12 号')).toBeNull();
    expect(caseNumberIn('JH-20261206-00123')).toBeNull();
  });
});
