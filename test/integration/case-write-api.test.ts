import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/test-app.ts';

let t: TestApp;
let resident: { auth: string; personId: number };
let lead: { auth: string; personId: number };
let otherLead: { auth: string; personId: number };
let inspector: { auth: string; personId: number };

const post = (auth: string, url: string, payload: object = {}) =>
  t.app.inject({ method: 'POST', url, headers: { authorization: auth }, payload });

beforeAll(async () => {
  t = await createTestApp();
  resident = await t.staff('resident');
  lead = await t.staff('team_lead', { street: '花楼水塔街道' });
  otherLead = await t.staff('team_lead', { street: '万松街道' });
  inspector = await t.staff('inspector', { street: '花楼水塔街道' });
});
afterAll(async () => t.close());

describe('case write API', () => {
  it('takes a report, routes it with reasons, and runs it to closure through transitions', async () => {
    const res = await post(resident.auth, '/api/cases', {
      text: '江汉关这边人行道上有流动摊贩摆摊卖烤红薯，占了大半条路',
      address: '江汉区鄱阳路',
    });
    expect(res.statusCode).toBe(201);
    const body = res.json() as {
      outcome: string;
      case: { number: string; street: string; status: string; handling: string };
      reasons: string[];
    };
    expect(body.case.street).toBe('花楼水塔街道');
    expect(body.case.handling).toBe('street');
    expect(body.reasons.length).toBeGreaterThan(0);
    const n = body.case.number;
    if (body.case.status === 'triage')
      expect((await post(lead.auth, `/api/cases/${n}/actions/register`, { itemCode: 'SR-001' })).statusCode).toBe(200);

    expect((await post(otherLead.auth, `/api/cases/${n}/actions/accept`)).statusCode).toBe(403);
    expect(
      (await post(lead.auth, `/api/cases/${n}/actions/resolve`, { note: '已劝离', mode721: 'service' })).statusCode,
    ).toBe(409);
    expect((await post(lead.auth, `/api/cases/${n}/actions/accept`)).statusCode).toBe(200);
    const missing = await post(lead.auth, `/api/cases/${n}/actions/resolve`, { note: '已劝离' });
    expect(missing.statusCode).toBe(400);
    expect(missing.json()).toMatchObject({
      error: { code: 'validation_error', message: '请选择处置方式（服务、管理或执法）' },
    });
    expect(
      (await post(lead.auth, `/api/cases/${n}/actions/resolve`, { note: '已劝离', mode721: 'service' })).statusCode,
    ).toBe(200);
    const actions = (
      await t.app.inject({ url: `/api/cases/${n}/actions`, headers: { authorization: inspector.auth } })
    ).json() as { actions: string[] };
    expect(actions.actions).toEqual(['verify', 'fail_verification']);
    expect((await post(inspector.auth, `/api/cases/${n}/actions/verify`)).json()).toMatchObject({
      case: { status: 'closed' },
    });
    expect((await post(resident.auth, `/api/cases/${n}/rating`, { score: 'satisfied' })).statusCode).toBe(200);
    expect((await post(resident.auth, `/api/cases/${n}/rating`, { score: 'satisfied' })).statusCode).toBe(409);
  });

  it('answers greetings and places outside the district without opening a case', async () => {
    const hello = await post(resident.auth, '/api/cases', { text: '你好，谢谢你们' });
    expect(hello.statusCode).toBe(422);
    expect(hello.json()).toMatchObject({ error: { code: 'not_actionable' } });
    const outside = await post(resident.auth, '/api/cases', { text: '路边有人乱倒建筑垃圾', lat: 30.55, lng: 114.35 });
    expect(outside.statusCode).toBe(422);
    expect(outside.json()).toMatchObject({ error: { code: 'outside_district' } });
  });

  it('refuses bad input and anonymous callers with the error envelope', async () => {
    expect((await t.app.inject({ method: 'POST', url: '/api/cases', payload: { text: 'x' } })).statusCode).toBe(401);
    expect((await post(resident.auth, '/api/cases', { text: '垃圾', lat: 95, lng: 114 })).statusCode).toBe(400);
    expect((await post(resident.auth, '/api/cases', { text: '垃圾', lat: 30.6 })).statusCode).toBe(400);
    expect((await post(lead.auth, '/api/cases/JH-20990101-0001/actions/accept')).statusCode).toBe(404);
    expect((await post(lead.auth, '/api/cases/JH-20990101-0001/actions/fly')).statusCode).toBe(400);
  });
});
