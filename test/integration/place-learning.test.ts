import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDomain } from '../../app/create-domain.ts';
import { createCaseFactory } from '../helpers/case-factory.ts';
import { createFakeClock } from '../helpers/fake-clock.ts';
import { createTestApp, type TestApp } from '../helpers/test-app.ts';
import { silentLogger, testConfig } from '../helpers/test-config.ts';

let t: TestApp;
const clock = createFakeClock('2026-03-02T01:30:00.000Z');
let resident: { auth: string; personId: number };
let xinhuaLead: { auth: string; personId: number };
let admin: { auth: string; personId: number };
let beihuInspector: { auth: string; personId: number };

const post = (auth: string, url: string, payload: object = {}) =>
  t.app.inject({ method: 'POST', url, headers: { authorization: auth }, payload });

type Filed = { case: { number: string; street: string | null; status: string }; reasons: string[] };
const report = async (auth: string, payload: object): Promise<Filed> => {
  const res = await post(auth, '/api/cases', payload);
  expect(res.statusCode).toBe(201);
  return res.json() as Filed;
};

beforeAll(async () => {
  t = await createTestApp({ clock: clock.now });
  resident = await t.staff('resident');
  xinhuaLead = await t.staff('team_lead', { street: '新华街道' });
  admin = await t.staff('district_admin');
  beihuInspector = await t.staff('inspector', { street: '北湖街道' });
});
afterAll(async () => t.close());

describe('learning places from corrections', () => {
  it('remembers a case returned to the right street and places later reports naming the compound there', async () => {
    const text = '福星惠誉小区东门人行道上有水果摊占道经营，占了大半条路';
    // Before any correction the compound is unknown and the (approximate) street area decides.
    const first = await report(resident.auth, { text, lat: 30.6001, lng: 114.2651 });
    expect(first.case.street).toBe('新华街道');
    const n = first.case.number;
    if (first.case.status === 'triage')
      expect((await post(xinhuaLead.auth, `/api/cases/${n}/actions/register`, { itemCode: 'SR-001' })).statusCode).toBe(
        200,
      );
    const returned = await post(xinhuaLead.auth, `/api/cases/${n}/actions/return`, {
      streetName: '唐家墩街道',
      note: '该小区属唐家墩街道辖区',
    });
    expect(returned.statusCode).toBe(200);
    const rows = await t.db.placeCorrection.findMany({ include: { street: true } });
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ source: 'returned', placeText: '福星惠誉小区', lat: 30.6001, lng: 114.2651 });
    expect(rows[0]!.street.name).toBe('唐家墩街道');

    clock.advanceDays(1);
    const later = await report(resident.auth, { text: '福星惠誉小区门口又有人摆摊卖菜，堵住了人行道' });
    expect(later.case.street).toBe('唐家墩街道');
    expect(later.reasons.join('')).toContain('经人工确认');

    // A restart loads what was learned from the database.
    const again = await createDomain({ db: t.db, config: testConfig(t.dir), logger: silentLogger(), clock: clock.now });
    expect(again.router.route({ text: '福星惠誉小区门口占道经营' }).street.street).toBe('唐家墩街道');
    expect(again.router.route({ text: '占道经营', lat: 30.6002, lng: 114.2652 }).street.street).toBe('唐家墩街道');
  });

  it('confirms a case’s street and point (确认位置) and places later pins near that point there', async () => {
    const filed = await report(resident.auth, { text: '人行道上有人摆摊卖水果占道经营', lat: 30.59, lng: 114.27 });
    expect(filed.case.street).toBe('新华街道');
    const n = filed.case.number;
    const url = `/api/cases/${n}/place`;

    const byResident = await post(resident.auth, url, { street: '北湖街道' });
    expect(byResident.statusCode).toBe(403);
    const unknown = await post(admin.auth, url, { street: '不存在街道' });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json()).toMatchObject({ error: { message: '没有“不存在街道”这个街道' } });
    expect((await post(admin.auth, url, { street: '北湖街道', lat: 30.6 })).statusCode).toBe(400);
    expect(await t.db.placeCorrection.count({ where: { source: 'confirmed' } })).toBe(0);

    const ok = await post(admin.auth, url, { street: '北湖街道', lat: 30.5903, lng: 114.2702, note: '现场核实' });
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toMatchObject({ case: { street: '北湖街道', lat: 30.5903, lng: 114.2702 } });
    const events = await t.db.caseEvent.findMany({ where: { case: { number: n } }, orderBy: { id: 'asc' } });
    expect(events.map((e) => e.type)).toEqual(expect.arrayContaining(['returned', 'place_confirmed']));

    const near = await report(resident.auth, { text: '这里有流动摊贩占道经营', lat: 30.5905, lng: 114.2704 });
    expect(near.case.street).toBe('北湖街道');
  });

  it('learns from a closed case confirmed to another street without rewriting its history', async () => {
    const f = createCaseFactory(t.db);
    const closed = await f.case({
      reporterId: resident.personId,
      street: '万松街道',
      itemCode: 'SR-001',
      status: 'closed',
      text: '锦绣家园门口有人占道经营',
      createdAt: '2026-02-20T02:00:00Z',
      closedAt: '2026-02-21T02:00:00Z',
    });
    const res = await post(admin.auth, `/api/cases/${closed.number}/place`, { street: '常青街道' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ case: { street: '万松街道', status: 'closed' } });
    const later = await report(resident.auth, { text: '锦绣家园门口又有人占道经营' });
    expect(later.case.street).toBe('常青街道');
  });

  it('places an inspector’s report that names no place in the inspector’s own street, and says so', async () => {
    const filed = await report(beihuInspector.auth, {
      text: '巡查发现：人行道有水果摊贩一处占道经营，占用约4平方米，已现场劝导',
    });
    expect(filed.case.street).toBe('北湖街道');
    expect(filed.reasons.join('')).toContain('巡查员所属街道');
    // A resident's identical report is not placed by anyone's street.
    const res = await post(resident.auth, '/api/cases', {
      text: '巡查发现：人行道有水果摊贩一处占道经营，占用约4平方米，已现场劝导',
    });
    expect((res.json() as Filed).case?.street ?? null).toBeNull();
  });
});
