import { beforeAll, describe, expect, it } from 'vitest';
import type { RoutedReport } from '../../core/case/case-intake-service.ts';
import type { Actor } from '../../core/case/case-types.ts';
import { ForbiddenError, InvalidTransitionError, ValidationError } from '../../core/errors.ts';
import { createHarness, eventTypes, type Harness } from '../helpers/lifecycle-harness.ts';

let h: Harness;
let resident: Actor, lead: Actor, otherLead: Actor, enforcer: Actor, inspector: Actor, admin: Actor, liaison: Actor;

const routed = (over: Partial<RoutedReport> = {}): RoutedReport => ({
  handling: 'street',
  itemCode: 'SR-001',
  department: null,
  streetName: '万松街道',
  confidence: 0.9,
  urgent: false,
  needsTriage: false,
  reasons: ['匹配“占道经营”'],
  ...over,
});
const report = (reporterId: number, over: Partial<{ lat: number; lng: number; text: string }> = {}) => ({
  text: over.text ?? '小区门口有人摆摊卖水果，占了人行道',
  lat: over.lat ?? 30.6005,
  lng: over.lng ?? 114.2601,
  address: '青年路',
  channel: 'web',
  reporterId,
});

beforeAll(async () => {
  h = await createHarness();
  resident = await h.person('resident');
  lead = await h.person('team_lead', { street: '万松街道' });
  otherLead = await h.person('team_lead', { street: '北湖街道' });
  enforcer = await h.person('enforcer', { street: '万松街道' });
  inspector = await h.person('inspector', { street: '万松街道' });
  admin = await h.person('district_admin');
  liaison = await h.person('dept_liaison', { department: '市场监管' });
});

describe('the closed loop', () => {
  it('goes from report to rating with a whole-process record and every push', async () => {
    const r = await h.services.intake.submit(report(resident.personId), routed());
    expect(r.kind).toBe('created');
    const c = r.case;
    expect(c.number).toMatch(/^JH-20261201-\d{4}$/);
    expect(c.status).toBe('dispatched');
    expect(c.item?.code).toBe('SR-001');
    expect(c.dueAt).not.toBeNull();
    expect((await h.inbox(lead))[0]?.buttons).toContain('接单');
    expect((await h.inbox(lead))[0]?.text).not.toContain('13800'); // the reporter's identity never reaches the team chat

    await h.services.actions.act({ id: c.id }, 'accept', lead);
    await h.services.actions.act({ id: c.id }, 'assign', lead, { assigneeId: enforcer.personId });
    expect((await h.inbox(enforcer)).at(-1)?.buttons).toEqual(['办结', '申请缓办']);
    await h.services.actions.act({ id: c.id }, 'resolve', enforcer, {
      note: '已劝离摊贩，恢复通行',
      mode721: 'service',
    });
    await expect(h.services.actions.act({ id: c.id }, 'verify', enforcer)).rejects.toThrow(ForbiddenError); // never by the resolver
    await h.services.actions.act({ id: c.id }, 'fail_verification', inspector, { note: '摊贩又回来了' });
    await h.services.actions.act({ id: c.id }, 'resolve', enforcer, {
      note: '再次劝离并设置提示牌',
      mode721: 'management',
    });
    const closed = await h.services.actions.act({ id: c.id }, 'verify', resident);
    expect(closed.status).toBe('closed');
    expect(closed.reworkCount).toBe(1);
    await h.services.feedback.rate({ id: c.id }, resident, 'satisfied', null);
    await expect(h.services.feedback.rate({ id: c.id }, resident, 'basic')).rejects.toThrow(InvalidTransitionError);

    expect(await eventTypes(h.db, c.id)).toEqual([
      'submitted',
      'registered',
      'dispatched',
      'accepted',
      'assigned',
      'resolved',
      'rework',
      'resolved',
      'verified',
      'closed',
      'rated',
    ]);
    const pushes = (await h.inbox(resident)).map((m) => m.text);
    expect(pushes[0]).toContain(c.number);
    expect(pushes.some((t) => t.includes('已由万松街道城管执法队接单'))).toBe(true);
    expect(pushes.some((t) => t.includes('已结案') && t.includes('再次劝离'))).toBe(true);
    expect((await h.inbox(resident)).find((m) => m.text.includes('已结案'))?.buttons).toEqual([
      '满意',
      '基本满意',
      '不满意',
    ]);
  });

  it('refuses the wrong role, the wrong street and illegal steps, and says why', async () => {
    const { case: c } = await h.services.intake.submit(report(resident.personId, { lat: 30.61 }), routed());
    await expect(h.services.actions.act({ id: c.id }, 'accept', otherLead)).rejects.toThrow('不在您的职责范围内');
    await expect(h.services.actions.act({ id: c.id }, 'accept', resident)).rejects.toThrow(ForbiddenError);
    await expect(
      h.services.actions.act({ id: c.id }, 'resolve', lead, { note: 'x', mode721: 'service' }),
    ).rejects.toThrow(/当前状态为“已派遣”/);
    await expect(h.services.actions.act({ id: c.id }, 'reject', lead)).rejects.toThrow(ValidationError);
    await expect(
      h.services.actions.act({ id: c.id }, 'assign', lead, { assigneeId: otherLead.personId }),
    ).rejects.toThrow('只能转派给本街道执法队员');
    expect(await eventTypes(h.db, c.id)).toEqual(['submitted', 'registered', 'dispatched']); // refusals change nothing
  });

  it('returns, escalates, refers and rejects with reasons', async () => {
    const { case: a } = await h.services.intake.submit(report(resident.personId, { lat: 30.62 }), routed());
    await h.db.case.update({ where: { id: a.id }, data: { responseOverdueNotifiedAt: h.clock() } });
    h.clock.advanceHours(1);
    const moved = await h.services.actions.act({ id: a.id }, 'return', lead, {
      note: '不在本街道辖区',
      streetName: '北湖街道',
    });
    expect(moved.streetName).toBe('北湖街道');
    expect(moved.returnCount).toBe(1);
    // The new street gets the matter's own time to accept, counted from the hand-over, and may be told again.
    expect(moved.responseDueAt).toEqual(h.services.deadlines(a.item!, h.clock(), a.urgent).responseDueAt);
    expect(moved.responseDueAt!.getTime()).toBeGreaterThan(a.responseDueAt!.getTime());
    expect((await h.db.case.findUniqueOrThrow({ where: { id: a.id } })).responseOverdueNotifiedAt).toBeNull();
    const escalated = await h.services.actions.act({ id: a.id }, 'escalate', otherLead, { note: '跨街道' });
    expect(escalated.handling).toBe('district');
    expect((await h.inbox(admin)).at(-1)?.text).toContain(a.number);

    const { case: b } = await h.services.intake.submit(report(resident.personId, { lat: 30.63 }), routed());
    const referred = await h.services.actions.act({ id: b.id }, 'refer', lead, {
      departmentName: '市场监管',
      note: '食品安全问题',
    });
    expect(referred.handling).toBe('department');
    // A referral is received (接收) before it can be resolved.
    expect((await h.inbox(liaison)).at(-1)?.buttons).toEqual(['接收', '退回', '申请缓办']);
    await h.services.actions.act({ id: b.id }, 'accept', liaison);
    const back = await h.services.actions.act({ id: b.id }, 'return', liaison, { note: '不属于本部门职责' });
    expect(back.status).toBe('triage');

    const { case: d } = await h.services.intake.submit(report(resident.personId, { lat: 30.64 }), routed());
    const rejected = await h.services.actions.act({ id: d.id }, 'reject', lead, { note: '已自行整改，无需立案' });
    expect(rejected.status).toBe('rejected');
    expect((await h.inbox(resident)).at(-1)?.text).toContain('已自行整改');
  });

  it('sends low-confidence reports to manual triage, then registers them', async () => {
    const { case: c } = await h.services.intake.submit(
      report(resident.personId, { lat: 30.65 }),
      routed({ needsTriage: true, confidence: 0.3 }),
    );
    expect(c.status).toBe('triage');
    expect(c.dueAt).toBeNull();
    expect((await h.inbox(lead)).at(-1)?.buttons).toContain('立案派遣');
    const registered = await h.services.actions.act({ id: c.id }, 'register', lead, { itemCode: 'SR-003' });
    expect(registered.status).toBe('dispatched');
    expect(registered.item?.code).toBe('SR-003');
    expect(registered.dueAt).not.toBeNull();
  });

  it('merges a duplicate within 50 m and 72 h, and the new reporter follows the open case', async () => {
    const first = await h.services.intake.submit(report(resident.personId, { lat: 30.59, lng: 114.25 }), routed());
    const neighbour = await h.person('resident');
    const dup = await h.services.intake.submit(report(neighbour.personId, { lat: 30.5902, lng: 114.2501 }), routed());
    expect(dup.kind).toBe('duplicate');
    if (dup.kind !== 'duplicate') return;
    expect(dup.existing.number).toBe(first.case.number);
    expect((await h.inbox(neighbour))[0]?.text).toContain(first.case.number);
    await h.services.actions.act({ id: first.case.id }, 'accept', lead);
    expect((await h.inbox(neighbour)).at(-1)?.text).toContain('接单');
    const far = await h.services.intake.submit(report(neighbour.personId, { lat: 30.5912, lng: 114.25 }), routed()); // ~130 m away
    expect(far.kind).toBe('created');
    h.clock.advanceHours(73);
    const late = await h.services.intake.submit(report(neighbour.personId, { lat: 30.59, lng: 114.25 }), routed());
    expect(late.kind).toBe('created');
    h.clock.advanceHours(-73);
  });

  it('reopens on the first 不满意 and escalates on the second', async () => {
    const { case: c } = await h.services.intake.submit(report(resident.personId, { lat: 30.66 }), routed());
    const close = async () => {
      h.clock.advanceHours(1);
      await h.services.actions.act({ id: c.id }, 'accept', lead).catch(() => undefined);
      await h.services.actions.act({ id: c.id }, 'resolve', lead, { note: '已处理', mode721: 'enforcement' });
      await h.services.actions.act({ id: c.id }, 'verify', inspector);
    };
    await close();
    const reopened = await h.services.feedback.rate({ id: c.id }, resident, 'unsatisfied', '还是有人摆摊');
    expect(reopened.status).toBe('dispatched');
    expect(reopened.reopenCount).toBe(1);
    expect((await h.inbox(lead)).at(-1)?.text).toContain('重新办理');
    await close();
    const escalated = await h.services.feedback.rate({ id: c.id }, resident, 'unsatisfied');
    expect(escalated.handling).toBe('district');
  });

  it('postpones only with the bureau’s approval, which moves the deadline', async () => {
    const { case: c } = await h.services.intake.submit(report(resident.personId, { lat: 30.67 }), routed());
    const newDueAt = new Date(c.dueAt!.getTime() + 5 * 86_400_000).toISOString();
    await h.services.actions.act({ id: c.id }, 'request_postponement', lead, { note: '需协调产权单位', newDueAt });
    const p = await h.db.postponement.findFirstOrThrow({ where: { caseId: c.id } });
    await expect(h.services.feedback.decidePostponement(p.id, lead, true)).rejects.toThrow(ForbiddenError);
    const after = await h.services.feedback.decidePostponement(p.id, admin, true);
    expect(after.dueAt?.toISOString()).toBe(newDueAt);
    expect((await h.db.case.findUniqueOrThrow({ where: { id: c.id } })).postponed).toBe(true);
    await expect(h.services.feedback.decidePostponement(p.id, admin, true)).rejects.toThrow(InvalidTransitionError);
  });

  it('auto-verifies and escalates overdue cases for the scheduler', async () => {
    const { case: c } = await h.services.intake.submit(report(resident.personId, { lat: 30.68 }), routed());
    expect(await h.services.feedback.autoVerify(c.id)).toBeNull(); // not resolved yet: nothing happens
    const up = await h.services.feedback.escalateOverdue(c.id);
    expect(up?.handling).toBe('district');
    await h.services.actions.act({ id: c.id }, 'accept', admin);
    await h.services.actions.act({ id: c.id }, 'resolve', admin, { note: '已拆除', mode721: 'enforcement' });
    expect((await h.services.feedback.autoVerify(c.id))?.status).toBe('closed');
  });
});
