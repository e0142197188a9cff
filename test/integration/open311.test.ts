import { XMLParser } from 'fast-xml-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCaseFactory, type CaseFactory } from '../helpers/case-factory.ts';
import { createFakeClock } from '../helpers/fake-clock.ts';
import { createTestApp, type TestApp } from '../helpers/test-app.ts';

// Open311 GeoReport v2 (http://wiki.open311.org/GeoReport_v2): the assertions follow the element
// names and nesting of the specification's own example responses.

const clock = createFakeClock('2026-03-02T01:00:00.000Z'); // Monday 09:00 in Wuhan
const WANSONG = { lat: 30.594237, long: 114.235912 }; // inside the (approximate) 万松街道 area
const LISTS = ['service', 'request', 'attribute', 'endpoint', 'format', 'error', 'value'];
const parser = new XMLParser({ parseTagValue: false, isArray: (name) => LISTS.includes(name) });

let t: TestApp;
let f: CaseFactory;
let client: { auth: string; personId: number; key: string };
let lead: { auth: string; personId: number };
let inspector: { auth: string; personId: number };

type Xml = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

async function get(url: string) {
  return t.app.inject({ method: 'GET', url });
}
function xml(body: string): Xml {
  expect(body.startsWith('<?xml version="1.0" encoding="utf-8"?>')).toBe(true);
  return parser.parse(body) as Xml;
}
function form(fields: Record<string, string | number>): string {
  return new URLSearchParams(Object.entries(fields).map(([k, v]) => [k, String(v)])).toString();
}
async function postRequest(
  format: 'xml' | 'json',
  fields: Record<string, string | number>,
  headers: Record<string, string> = {},
) {
  return t.app.inject({
    method: 'POST',
    url: `/open311/v2/requests.${format}`,
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
    payload: form(fields),
  });
}
const act = (auth: string, number: string, action: string, payload: object = {}) =>
  t.app.inject({
    method: 'POST',
    url: `/api/cases/${number}/actions/${action}`,
    headers: { authorization: auth },
    payload,
  });

const STALL = {
  service_code: 'SR-001',
  description: '路口有人摆摊卖水果，占了半条人行道',
  ...WANSONG,
  first_name: '小明',
  last_name: '王',
  email: 'wang.xiaoming@example.com',
  phone: '13912345678',
  'attribute[WHERE]': '路口东侧',
};

beforeAll(async () => {
  t = await createTestApp({ clock: clock.now });
  f = createCaseFactory(t.db);
  const c = await t.staff('district_admin', { name: '12345热线' });
  client = { ...c, key: c.auth.replace(/^Bearer /, '') };
  lead = await t.staff('team_lead', { street: '万松街道' });
  inspector = await t.staff('inspector', { street: '万松街道' });
});
afterAll(async () => t.close());

describe('Open311 discovery and services', () => {
  it('serves the service discovery file in XML and JSON', async () => {
    const res = await get('/open311/discovery.xml');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/xml; charset=utf-8/);
    const d = xml(res.body).discovery as Xml;
    expect(Object.keys(d)).toEqual(expect.arrayContaining(['changeset', 'contact', 'key_service', 'endpoints']));
    const endpoint = d.endpoints.endpoint[0];
    expect(endpoint).toMatchObject({
      specification: 'http://wiki.open311.org/GeoReport_v2',
      type: 'production',
      formats: { format: ['text/xml', 'application/json'] },
    });
    expect(endpoint.url).toMatch(/\/open311\/v2$/);
    expect(endpoint.changeset).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);

    const json = (await get('/open311/v2/discovery.json')).json() as Xml;
    expect(json.endpoints[0].formats).toEqual(['text/xml', 'application/json']);
    const docs = (await get('/docs/json')).json() as { paths: Record<string, unknown> };
    expect(Object.keys(docs.paths)).toEqual(
      expect.arrayContaining(['/open311/v2/requests.xml', '/open311/v2/requests/{file}']),
    );
  });

  it('lists the active power list as services, XML and JSON alike', async () => {
    const list = (await t.app.inject({ url: '/api/power-list' })).json() as { items: Array<{ code: string }> };
    const res = await get('/open311/v2/services.xml');
    expect(res.statusCode).toBe(200);
    const services = (xml(res.body).services as Xml).service as Xml[];
    expect(services.map((s) => s.service_code)).toEqual(list.items.map((i) => i.code));
    const stall = services.find((s) => s.service_code === 'SR-001')!;
    expect(Object.keys(stall)).toEqual([
      'service_code',
      'service_name',
      'description',
      'metadata',
      'type',
      'keywords',
      'group',
    ]);
    expect(stall).toMatchObject({
      service_name: '占道经营、流动摊贩（沿街摆摊设点）',
      metadata: 'true',
      type: 'realtime',
      group: '市容市政',
    });
    const json = (await get('/open311/v2/services.json')).json() as Xml[];
    expect(json).toHaveLength(services.length);
    expect(json.find((s) => s.service_code === 'SR-001')).toMatchObject({ metadata: true, group: '市容市政' });
    expect(json.find((s) => s.service_code === 'YS-GA-001')).toMatchObject({ group: '公安' });
  });

  it('serves a service definition, and a spec error for an unknown code', async () => {
    const res = await get('/open311/v2/services/SR-001.xml');
    expect(res.statusCode).toBe(200);
    const def = xml(res.body).service_definition as Xml;
    expect(def.service_code).toBe('SR-001');
    const attr = def.attributes.attribute[0];
    expect(Object.keys(attr)).toEqual([
      'variable',
      'code',
      'datatype',
      'required',
      'datatype_description',
      'order',
      'description',
      'values',
    ]);
    expect(attr).toMatchObject({ variable: 'false', required: 'false', order: '1' });
    const json = (await get('/open311/v2/services/SR-001.json')).json() as Xml;
    expect(json.attributes.map((a: Xml) => a.code)).toEqual(['HANDLER', 'DEADLINE', 'LEGAL_BASIS']);

    const missing = await get('/open311/v2/services/NOPE-1.xml');
    expect(missing.statusCode).toBe(404);
    expect((xml(missing.body).errors as Xml).error[0]).toMatchObject({ code: '404' });
    expect((await get('/open311/v2/services/SR-001.html')).statusCode).toBe(404);
    const nowhere = await get('/open311/v2/nothing.json');
    expect(nowhere.statusCode).toBe(404);
    expect(nowhere.json()).toEqual([{ code: 404, description: expect.stringContaining('没有这个地址') }]);
  });
});

describe('Open311 POST requests', () => {
  it('refuses a missing or wrong api_key with 403 in the spec error format', async () => {
    const before = await t.db.case.count();
    const none = await postRequest('xml', STALL);
    expect(none.statusCode).toBe(403);
    const err = (xml(none.body).errors as Xml).error as Xml[];
    expect(err).toHaveLength(1);
    expect(Object.keys(err[0]!)).toEqual(['code', 'description']);
    expect(err[0]!.code).toBe('403');
    const wrong = await postRequest('json', { ...STALL, api_key: 'x'.repeat(43) });
    expect(wrong.statusCode).toBe(403);
    expect(wrong.json()).toEqual([{ code: 403, description: expect.stringContaining('api_key') }]);
    expect(await t.db.case.count()).toBe(before);
    const wrongDespiteBearer = await postRequest('xml', { ...STALL, api_key: 'wrong' }, { authorization: client.auth });
    expect(wrongDespiteBearer.statusCode).toBe(403);
    const inQuery = await t.app.inject({
      method: 'POST',
      url: `/open311/v2/requests.xml?api_key=${client.key}`, // would end up in access logs
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: form(STALL),
    });
    expect(inQuery.statusCode).toBe(403);
  });

  it('refuses bad input with 400 and creates nothing', async () => {
    const before = await t.db.case.count();
    const bad = [
      { ...STALL, lat: undefined, long: undefined },
      { ...STALL, lat: 95 },
      { ...STALL, long: undefined },
      { ...STALL, service_code: 'NOPE-1' },
      { ...STALL, email: 'not-an-email' },
      { ...STALL, description: '摊'.repeat(4001) },
      { ...STALL, lat: 30.55, long: 114.35 }, // outside the district
    ];
    for (const fields of bad) {
      const clean = Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined)) as Record<
        string,
        string | number
      >;
      const res = await postRequest('xml', { ...clean, api_key: client.key });
      expect(res.statusCode, JSON.stringify(Object.keys(clean))).toBe(400);
      expect((xml(res.body).errors as Xml).error[0].code).toBe('400');
    }
    const plain = await t.app.inject({
      method: 'POST',
      url: '/open311/v2/requests.xml',
      headers: { 'content-type': 'application/xml' },
      payload: '<service_code>SR-001</service_code>',
    });
    expect(plain.statusCode).toBe(415);
    expect((xml(plain.body).errors as Xml).error[0].description).toContain('不支持的内容类型');
    const broken = await t.app.inject({
      method: 'POST',
      url: '/open311/v2/requests.json',
      headers: { 'content-type': 'application/json' },
      payload: '{"service_code": ',
    });
    expect(broken.statusCode).toBe(400);
    expect(broken.json()).toEqual([{ code: 400, description: '请求格式不正确' }]);
    expect(await t.db.case.count()).toBe(before);
  });

  it('files a request through the intake, keeps the contact private and answers with the case number', async () => {
    const queued = await t.db.outboxMessage.count();
    const res = await postRequest('xml', { ...STALL, api_key: client.key });
    expect(res.statusCode).toBe(200);
    const req = (xml(res.body).service_requests as Xml).request[0] as Xml;
    expect(Object.keys(req)).toEqual(['service_request_id', 'token', 'service_notice', 'account_id']);
    expect(req.service_request_id).toMatch(/^JH-20260302-\d{4}$/);
    expect(req.service_notice).toContain('万松街道');

    const c = await t.db.case.findUniqueOrThrow({ where: { number: req.service_request_id } });
    expect(c).toMatchObject({ channel: 'open311', reporterId: client.personId, status: 'dispatched' });
    expect(await t.db.outboxMessage.count()).toBeGreaterThan(queued); // the street's team lead is told
    const stored = await t.db.open311Request.findUniqueOrThrow({ where: { caseId: c.id } });
    expect(stored).toMatchObject({
      token: req.token,
      phone: '13912345678',
      email: 'wang.xiaoming@example.com',
      firstName: '小明',
      lastName: '王',
      clientId: client.personId,
    });
    expect(JSON.parse(stored.attributes)).toEqual({ WHERE: '路口东侧' });

    const token = (await get(`/open311/v2/tokens/${req.token}.json`)).json() as Xml[];
    expect(token).toEqual([{ service_request_id: req.service_request_id, token: req.token }]);
    expect((await get('/open311/v2/tokens/unknown-token.xml')).statusCode).toBe(404);
  });

  it('takes a JSON-format post without description, and files a repeat as a duplicate of the open case', async () => {
    const first = await t.db.case.findFirstOrThrow({ where: { channel: 'open311' }, orderBy: { id: 'asc' } });
    // Without api_key, the bearer token the JSON API takes identifies the client as well.
    const res = await postRequest(
      'json',
      { service_code: 'SR-001', ...WANSONG, account_id: 'A1' },
      { authorization: client.auth },
    );
    expect(res.statusCode).toBe(200);
    const [req] = res.json() as Xml[];
    expect(req).toMatchObject({ service_request_id: expect.stringMatching(/^JH-/), account_id: 'A1' });
    expect(req!.service_notice).toContain(first.number);
    const [dup] = (await get(`/open311/v2/requests/${req!.service_request_id}.json`)).json() as Xml[];
    expect(dup).toMatchObject({
      status: 'closed',
      status_notes: `与案件${first.number}重复，已并入该案件办理`,
      extended_attributes: { detailed_status: 'DUPLICATE', external_status_code: 'merged', duplicate_of: first.number },
    });
  });
});

describe('Open311 POST requests as JSON', () => {
  it('takes a JSON body with numeric coordinates and nested attributes', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/open311/v2/requests.json',
      payload: {
        api_key: client.key,
        service_code: 'SR-004',
        lat: WANSONG.lat,
        long: WANSONG.long,
        description: '电线杆上贴满了小广告',
        attribute: { WHAT: '办证广告' },
      },
    });
    expect(res.statusCode).toBe(200);
    const [req] = res.json() as Xml[];
    const c = await t.db.case.findUniqueOrThrow({ where: { number: req!.service_request_id } });
    const stored = await t.db.open311Request.findUniqueOrThrow({ where: { caseId: c.id } });
    expect(JSON.parse(stored.attributes)).toEqual({ WHAT: '办证广告' });
    expect(c.lat).toBeCloseTo(WANSONG.lat, 6);
  });
});

describe('Open311 GET requests', () => {
  it('follows a posted request through dispatch, handling and verification, without personal data', async () => {
    clock.advanceHours(1);
    const posted = await postRequest('json', {
      ...STALL,
      service_code: 'SR-003',
      description: '人行道上堆满了建筑材料和杂物，行人只能走机动车道',
      api_key: client.key,
    });
    const id = (posted.json() as Array<{ service_request_id: string }>)[0]!.service_request_id;

    const first = await get(`/open311/v2/requests/${id}.xml`);
    expect(first.statusCode).toBe(200);
    const open = (xml(first.body).service_requests as Xml).request as Xml[];
    expect(open).toHaveLength(1);
    expect(Object.keys(open[0]!)).toEqual([
      'service_request_id',
      'status',
      'status_notes',
      'service_name',
      'service_code',
      'description',
      'agency_responsible',
      'service_notice',
      'requested_datetime',
      'updated_datetime',
      'expected_datetime',
      'address',
      'address_id',
      'zipcode',
      'lat',
      'long',
      'media_url',
      'extended_attributes',
    ]);
    expect(open[0]).toMatchObject({
      service_request_id: id,
      status: 'open',
      service_code: 'SR-003',
      agency_responsible: '万松街道城管执法队',
      requested_datetime: '2026-03-02T10:00:00+08:00',
      address: '武汉市江汉区万松街道',
      lat: '30.594',
      long: '114.236',
      extended_attributes: { detailed_status: 'ACTION_SCHEDULED', external_status_code: 'dispatched' },
    });
    expect(open[0]!.expected_datetime).toMatch(/^2026-03-\d{2}T\d{2}:\d{2}:\d{2}\+08:00$/);
    for (const secret of ['13912345678', 'wang.xiaoming', '小明', '建筑材料', '路口东侧', '30.594237'])
      expect(first.body).not.toContain(secret);

    clock.advanceHours(1);
    expect((await act(lead.auth, id, 'accept')).statusCode).toBe(200);
    const accepted = ((await get(`/open311/v2/requests/${id}.json`)).json() as Xml[])[0]!;
    expect(accepted).toMatchObject({
      status: 'open',
      updated_datetime: '2026-03-02T11:00:00+08:00',
      extended_attributes: { detailed_status: 'IN_PROGRESS', external_status_code: 'accepted' },
    });

    clock.advanceHours(1);
    const outcome = '已劝离摊主，联系人电话13800001111';
    expect((await act(lead.auth, id, 'resolve', { note: outcome, mode721: 'service' })).statusCode).toBe(200);
    const resolved = ((await get(`/open311/v2/requests/${id}.json`)).json() as Xml[])[0]!;
    // 办结 is not "fixed" until someone checked it.
    expect(resolved).toMatchObject({ status: 'open', extended_attributes: { external_status_code: 'resolved' } });

    clock.advanceHours(1);
    expect((await act(inspector.auth, id, 'verify')).statusCode).toBe(200);
    const closed = await get(`/open311/v2/requests/${id}.xml`);
    const done = ((xml(closed.body).service_requests as Xml).request as Xml[])[0]!;
    expect(done).toMatchObject({
      status: 'closed',
      status_notes: '已劝离摊主，联系人电话[电话已隐去]',
      updated_datetime: '2026-03-02T13:00:00+08:00',
      extended_attributes: { detailed_status: 'FIXED', external_status_code: 'closed', status_label: '已结案' },
    });
    expect(closed.body).not.toContain('13800001111');

    // mySociety's extension: each step as an update with the extended state.
    const updates = await get('/open311/v2/servicerequestupdates.xml?start_date=2026-03-02T00:00:00%2B08:00');
    expect(updates.statusCode).toBe(200);
    const mine = ((xml(updates.body).service_request_updates as Xml).request_update as Xml[]).filter(
      (u) => u.service_request_id === id,
    );
    expect(Object.keys(mine[0]!)).toEqual([
      'update_id',
      'service_request_id',
      'status',
      'updated_datetime',
      'description',
      'media_url',
      'external_status_code',
    ]);
    expect(mine.map((u) => [u.status, u.external_status_code, u.updated_datetime])).toEqual([
      ['ACTION_SCHEDULED', 'dispatched', '2026-03-02T10:00:00+08:00'],
      ['IN_PROGRESS', 'accepted', '2026-03-02T11:00:00+08:00'],
      ['IN_PROGRESS', 'resolved', '2026-03-02T12:00:00+08:00'],
      ['FIXED', 'closed', '2026-03-02T13:00:00+08:00'],
    ]);
    expect(mine[2]!.description).toBe('承办单位已办结，待核查：已劝离摊主，联系人电话[电话已隐去]');
    const later = (
      await get('/open311/v2/servicerequestupdates.json?start_date=2026-03-02T12:30:00%2B08:00')
    ).json() as Xml[];
    expect(later.filter((u) => u.service_request_id === id).map((u) => u.status)).toEqual(['FIXED']);
  });

  it('filters the list by id, service code, status and dates, 90 days by default', async () => {
    const reporter = await f.person({ role: 'resident', phone: '13700000000' });
    const old = await f.case({
      reporterId: reporter.id,
      street: '万松街道',
      itemCode: 'SR-002',
      status: 'closed',
      createdAt: '2025-11-01T02:00:00Z',
    });
    const rejected = await f.case({
      reporterId: reporter.id,
      street: '万松街道',
      itemCode: 'SR-002',
      status: 'rejected',
      createdAt: '2026-03-01T02:00:00Z',
    });
    await f.event(rejected.id, { type: 'rejected', actorRole: 'team_lead', note: '不属于城管职责，请拨打13811112222' });

    const all = (await get('/open311/v2/requests.json')).json() as Xml[];
    const ids = all.map((r) => r.service_request_id);
    expect(ids).toContain(rejected.number);
    expect(ids).not.toContain(old.number); // older than the default 90 days
    expect(all.every((r) => r.requested_datetime.endsWith('+08:00'))).toBe(true);
    expect(new Set(ids).size).toBe(ids.length);

    const closed = (await get('/open311/v2/requests.json?status=closed')).json() as Xml[];
    expect(closed.every((r) => r.status === 'closed')).toBe(true);
    const notice = closed.find((r) => r.service_request_id === rejected.number)!;
    expect(notice).toMatchObject({
      status_notes: '不属于城管职责，请拨打[电话已隐去]',
      extended_attributes: { detailed_status: 'NO_FURTHER_ACTION' },
    });
    const open = (await get('/open311/v2/requests.json?status=open')).json() as Xml[];
    expect(open.length).toBeGreaterThan(0);
    expect(open.every((r) => r.status === 'open')).toBe(true);
    expect(open.length + closed.length).toBe(all.length);

    const byCode = (await get('/open311/v2/requests.json?service_code=SR-002')).json() as Xml[];
    expect(byCode.map((r) => r.service_request_id)).toEqual([rejected.number]);

    const span = (
      await get('/open311/v2/requests.json?start_date=2025-10-01T00:00:00Z&end_date=2025-12-01T00:00:00%2B08:00')
    ).json() as Xml[];
    expect(span.map((r) => r.service_request_id)).toEqual([old.number]);

    const byId = await get(`/open311/v2/requests.xml?service_request_id=${old.number},${rejected.number}&status=open`);
    const listed = ((xml(byId.body).service_requests as Xml).request as Xml[]).map((r) => r.service_request_id);
    expect(listed.sort()).toEqual([old.number, rejected.number].sort()); // other arguments ignored

    const bad = await get('/open311/v2/requests.xml?status=pending');
    expect(bad.statusCode).toBe(400);
    expect((xml(bad.body).errors as Xml).error[0].code).toBe('400');
    expect((await get('/open311/v2/requests.json?start_date=yesterday')).statusCode).toBe(400);
    const missing = await get('/open311/v2/requests/JH-20990101-0001.json');
    expect(missing.statusCode).toBe(404);
    expect(missing.json()).toEqual([{ code: 404, description: expect.any(String) }]);
  });
});

describe('Open311 GET requests at the specification limit', () => {
  it('returns the first 1000 requests, newest first, when more match', async () => {
    const reporter = await f.person({ role: 'resident' });
    const street = await f.streetId('万松街道');
    const item = await f.item('SR-001');
    const start = Date.parse('2026-02-01T00:00:00Z');
    await t.db.case.createMany({
      data: Array.from({ length: 1100 }, (_, i) => ({
        number: `JH-20260201-${String(i + 1).padStart(4, '0')}`,
        text: '批量案件',
        streetId: street,
        itemId: item.id,
        handling: 'street',
        status: 'dispatched',
        channel: 'web',
        reporterId: reporter.id,
        createdAt: new Date(start + i * 60_000),
      })),
    });
    const res = await get('/open311/v2/requests.json?start_date=2026-02-01T00:00:00Z&end_date=2026-02-02T00:00:00Z');
    expect(res.statusCode).toBe(200);
    const items = res.json() as Xml[];
    expect(items).toHaveLength(1000);
    expect(items[0]!.service_request_id).toBe('JH-20260201-1100');
    expect(items[999]!.service_request_id).toBe('JH-20260201-0101');
    const asXml = await get('/open311/v2/requests.xml?start_date=2026-02-01T00:00:00Z&end_date=2026-02-02T00:00:00Z');
    expect(((xml(asXml.body).service_requests as Xml).request as Xml[]).length).toBe(1000);

    const bulk = await t.db.case.findMany({ where: { text: '批量案件' }, select: { id: true, createdAt: true } });
    await t.db.caseEvent.createMany({
      data: bulk.map((c) => ({
        caseId: c.id,
        type: 'dispatched',
        fromStatus: 'dispatched',
        toStatus: 'dispatched',
        actorRole: 'system',
        createdAt: c.createdAt,
      })),
    });
    const updates = await get(
      '/open311/v2/servicerequestupdates.json?start_date=2026-02-01T00:00:00Z&end_date=2026-02-02T00:00:00Z',
    );
    expect(updates.statusCode).toBe(200);
    const listed = updates.json() as Xml[];
    expect(listed).toHaveLength(1000);
    expect(listed[0]).toMatchObject({ service_request_id: 'JH-20260201-0001', status: 'ACTION_SCHEDULED' });

    const many = Array.from({ length: 201 }, (_, i) => `JH-20260201-${String(i + 1).padStart(4, '0')}`).join(',');
    const tooMany = await get(`/open311/v2/requests.json?service_request_id=${many}`);
    expect(tooMany.statusCode).toBe(400);
    const enough = await get(`/open311/v2/requests.json?service_request_id=${many.slice(many.indexOf(',') + 1)}`);
    expect((enough.json() as Xml[]).length).toBe(200);
  });
});
