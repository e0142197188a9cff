import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { visibleCaseWhere } from '../../db/case-queries.ts';
import { revokeToken } from '../../db/token-store.ts';
import { createCaseFactory, type TestPerson } from '../helpers/case-factory.ts';
import { createTestApp, type TestApp } from '../helpers/test-app.ts';

let t: TestApp;
let app: FastifyInstance;
const P: Record<string, TestPerson> = {};
const N: Record<string, string> = {}; // case numbers by letter
let photoKey = ''; // attachments are named in URLs by their random key

const DAY = 86_400_000;
const ago = (days: number) => new Date(Date.now() - days * DAY);

interface ListBody {
  items: Array<{
    number: string;
    overdue: boolean;
    text: string;
    statusLabel: string;
    street: string | null;
    item: { code: string } | null;
  }>;
  total: number;
  page: number;
  pageSize: number;
}

beforeAll(async () => {
  t = await createTestApp();
  app = t.app;
  const f = createCaseFactory(t.db);
  P.admin = await f.person({ role: 'district_admin', name: '区局管理员' });
  P.leadWs = await f.person({ role: 'team_lead', street: '万松街道', name: '张队长' });
  P.leadBh = await f.person({ role: 'team_lead', street: '北湖街道', name: '王队长' });
  P.enforcer = await f.person({ role: 'enforcer', street: '万松街道', name: '刘队员' });
  P.inspector = await f.person({ role: 'inspector', street: '万松街道', name: '陈巡查' });
  P.liaison = await f.person({ role: 'dept_liaison', department: '公安', name: '公安联络人' });
  P.r1 = await f.person({ role: 'resident', name: '李四', phone: '13812345678' });
  P.r2 = await f.person({ role: 'resident', name: '赵五', phone: '13900001111' });
  P.r3 = await f.person({ role: 'resident', name: '孙六' });

  const a = await f.case({
    reporterId: P.r1!.id,
    street: '万松街道',
    itemCode: 'SR-001',
    status: 'accepted',
    assigneeId: P.enforcer!.id,
    createdAt: ago(3),
    dueAt: ago(1),
    text: '占道经营'.repeat(50),
    address: '万松园路 12 号',
  });
  const b = await f.case({
    reporterId: P.r2!.id,
    street: '万松街道',
    itemCode: 'HW-001',
    status: 'closed',
    createdAt: ago(2),
    dueAt: ago(1),
    resolvedAt: ago(1.5),
    outcome: '已清理',
  });
  const c = await f.case({
    reporterId: P.r1!.id,
    street: '北湖街道',
    itemCode: 'SR-001',
    status: 'dispatched',
    createdAt: ago(1),
    dueAt: new Date(Date.now() + DAY),
  });
  const d = await f.case({
    reporterId: P.r2!.id,
    street: '北湖街道',
    department: '公安',
    itemCode: 'YS-GA-001',
    status: 'dispatched',
    createdAt: ago(0.5),
  });
  const e = await f.case({
    reporterId: P.r2!.id,
    street: '万松街道',
    status: 'triage',
    createdAt: ago(40),
    text: '深夜施工噪音扰民',
    handling: null,
  });
  Object.assign(N, { A: a.number, B: b.number, C: c.number, D: d.number, E: e.number });
  await f.follow(d.id, P.r3!.id);

  await f.event(a.id, {
    type: 'submitted',
    actorId: P.r1!.id,
    actorRole: 'resident',
    toStatus: 'triage',
    note: '居民报告',
  });
  await f.event(a.id, { type: 'dispatched', actorRole: 'system', fromStatus: 'triage', toStatus: 'dispatched' });
  await f.event(a.id, {
    type: 'accepted',
    actorId: P.leadWs!.id,
    actorRole: 'team_lead',
    fromStatus: 'dispatched',
    toStatus: 'accepted',
  });
  mkdirSync(path.join(t.dir, 'photos'), { recursive: true });
  writeFileSync(path.join(t.dir, 'photos', 'a.jpg'), Buffer.from([0xff, 0xd8, 0xff, 0xd9]));
  photoKey = (await f.attachment({ caseId: a.id, path: 'photos/a.jpg', uploadedById: P.r1!.id })).publicKey;
  await f.rating(b.id, P.r2!.id, 'satisfied');
});
afterAll(async () => t?.close());

const list = async (who: TestPerson, query = '') => {
  const res = await app.inject({ url: `/api/cases${query}`, headers: who.auth });
  expect(res.statusCode, res.body).toBe(200);
  return res.json() as ListBody;
};
const numbers = (b: ListBody) => b.items.map((i) => i.number).sort();
const detail = (who: TestPerson, n: string) => app.inject({ url: `/api/cases/${n}`, headers: who.auth });

describe('authentication', () => {
  it('anonymous requests get 401 in the error envelope', async () => {
    for (const url of ['/api/cases', `/api/cases/${N.A}`, `/api/attachments/${photoKey}`]) {
      const res = await app.inject(url);
      expect(res.statusCode).toBe(401);
      expect(res.json()).toMatchObject({ error: { code: 'unauthorized' } });
    }
  });

  it('unknown, malformed and revoked tokens get 401, never anonymous access', async () => {
    const bad = await app.inject({
      url: '/api/cases',
      headers: { authorization: 'Bearer nope-nope-nope-nope-nope-nope' },
    });
    expect(bad.statusCode).toBe(401);
    expect((bad.json() as { error: { message: string } }).error.message).toMatch(/无效|吊销/);
    expect((await app.inject({ url: '/api/cases', headers: { authorization: 'Bearer' } })).statusCode).toBe(401);
    const f = createCaseFactory(t.db);
    const temp = await f.person({ role: 'district_admin' });
    expect((await app.inject({ url: '/api/cases', headers: temp.auth })).statusCode).toBe(200);
    await revokeToken(t.db, temp.token);
    expect((await app.inject({ url: '/api/cases', headers: temp.auth })).statusCode).toBe(401);
  });

  it('stores only the hash of a token', async () => {
    const rows = await t.db.apiToken.findMany({ select: { tokenHash: true } });
    expect(rows.every((r) => /^[0-9a-f]{64}$/.test(r.tokenHash))).toBe(true);
    expect(rows.some((r) => r.tokenHash === P.admin!.token)).toBe(false);
  });
});

describe('visibility', () => {
  it('a resident sees only the cases they reported', async () => {
    expect(numbers(await list(P.r1!))).toEqual([N.A, N.C].sort());
    expect((await detail(P.r1!, N.B!)).statusCode).toBe(404);
  });

  it('a resident sees the cases they follow', async () => {
    expect(numbers(await list(P.r3!))).toEqual([N.D]);
  });

  it('a team lead sees their own street only; other streets are 404', async () => {
    expect(numbers(await list(P.leadWs!))).toEqual([N.A, N.B, N.E].sort());
    expect(numbers(await list(P.leadBh!))).toEqual([N.C, N.D].sort());
    const other = await detail(P.leadWs!, N.C!);
    expect(other.statusCode).toBe(404);
    expect(other.json()).toMatchObject({ error: { code: 'not_found' } });
  });

  it('a department liaison sees only the cases referred to their department', async () => {
    expect(numbers(await list(P.liaison!))).toEqual([N.D]);
    expect((await detail(P.liaison!, N.C!)).statusCode).toBe(404);
  });

  it('the Prisma where and the SQL of the list apply the same rules for every actor', async () => {
    for (const who of Object.values(P)) {
      const viaPrisma = await t.db.case.findMany({ where: visibleCaseWhere(who.actor), select: { number: true } });
      expect(numbers(await list(who)), who.actor.role).toEqual(viaPrisma.map((c) => c.number).sort());
    }
  });

  it('the district bureau sees everything; a missing case is 404 like a hidden one', async () => {
    expect((await list(P.admin!)).total).toBe(5);
    expect((await detail(P.admin!, 'JH-20000101-9999')).statusCode).toBe(404);
  });
});

describe('reporter contact', () => {
  const reporterOf = async (who: TestPerson, n: string) =>
    ((await detail(who, n)).json() as { reporter: unknown }).reporter;

  it('is full for the bureau, the street team lead and the assignee', async () => {
    const full = { displayName: '李四', phone: '13812345678', phoneMasked: '138****5678' };
    expect(await reporterOf(P.admin!, N.A!)).toEqual(full);
    expect(await reporterOf(P.leadWs!, N.A!)).toEqual(full);
    expect(await reporterOf(P.enforcer!, N.A!)).toEqual(full);
  });

  it('is hidden from other staff and only masked for the reporter', async () => {
    expect(await reporterOf(P.inspector!, N.A!)).toBeNull();
    expect(await reporterOf(P.liaison!, N.D!)).toBeNull();
    expect(await reporterOf(P.r3!, N.D!)).toBeNull();
    expect(await reporterOf(P.r1!, N.A!)).toEqual({ displayName: '居民', phone: null, phoneMasked: '138****5678' });
  });

  it('never appears in lists', async () => {
    const body = JSON.stringify(await list(P.admin!));
    expect(body).not.toContain('李四');
    expect(body).not.toContain('13812345678');
  });
});

describe('GET /api/cases filters, order and pages', () => {
  it('puts overdue cases first, then the newest', async () => {
    const b = await list(P.admin!);
    expect(b.items.map((i) => i.number)).toEqual([N.A, N.D, N.C, N.B, N.E]);
    expect(b.items[0]).toMatchObject({
      overdue: true,
      statusLabel: '处置中',
      street: '万松街道',
      item: { code: 'SR-001' },
    });
    expect(b.items[0]!.text).toHaveLength(141);
    expect(b.items[0]!.text.endsWith('…')).toBe(true);
  });

  it('filters by street, status list, post, handling, overdue, dates and text', async () => {
    expect(numbers(await list(P.admin!, `?street=${encodeURIComponent('北湖街道')}`))).toEqual([N.C, N.D].sort());
    expect(numbers(await list(P.admin!, '?status=closed,dispatched'))).toEqual([N.B, N.C, N.D].sort());
    expect(numbers(await list(P.admin!, `?post=${encodeURIComponent('环境卫生')}`))).toEqual([N.B]);
    expect(numbers(await list(P.admin!, '?handling=department'))).toEqual([N.D]);
    expect(numbers(await list(P.admin!, '?overdue=true'))).toEqual([N.A]);
    expect(numbers(await list(P.admin!, `?from=${ago(10).toISOString()}`))).toHaveLength(4);
    expect(numbers(await list(P.admin!, `?to=${ago(30).toISOString()}`))).toEqual([N.E]);
    expect(numbers(await list(P.admin!, `?q=${encodeURIComponent('噪音')}`))).toEqual([N.E]);
    expect(numbers(await list(P.admin!, `?q=${encodeURIComponent('万松园路')}`))).toEqual([N.A]);
    expect(numbers(await list(P.admin!, `?q=${N.C}`))).toEqual([N.C]);
    expect(numbers(await list(P.admin!, '?q=%25'))).toEqual([]); // LIKE wildcards are searched for literally
    expect(numbers(await list(P.admin!, '?q=_'))).toEqual([]);
    // Filters narrow within what the actor may see, never beyond it.
    expect(numbers(await list(P.leadWs!, `?street=${encodeURIComponent('北湖街道')}`))).toEqual([]);
  });

  it('pages through the default order across the overdue boundary', async () => {
    const p1 = await list(P.admin!, '?pageSize=2&page=1');
    const p2 = await list(P.admin!, '?pageSize=2&page=2');
    const p3 = await list(P.admin!, '?pageSize=2&page=3');
    expect([...p1.items, ...p2.items, ...p3.items].map((i) => i.number)).toEqual([N.A, N.D, N.C, N.B, N.E]);
    expect(p2).toMatchObject({ total: 5, page: 2, pageSize: 2 });
    expect((await list(P.admin!, '?page=9')).items).toEqual([]);
  });

  it('pages by cursor (keyset) through every order, with no total, the same rows as by page', async () => {
    const walk = async (who: TestPerson, params: string) => {
      const seen: string[] = [];
      let cursor = '';
      for (let guard = 0; guard < 10; guard++) {
        const res = await app.inject({
          url: `/api/cases?pageSize=2&cursor=${encodeURIComponent(cursor)}${params}`,
          headers: who.auth,
        });
        expect(res.statusCode).toBe(200);
        const body = res.json<ListBody & { nextCursor: string | null }>();
        expect(body).not.toHaveProperty('total');
        seen.push(...body.items.map((i) => i.number));
        if (body.nextCursor === null) return seen;
        cursor = body.nextCursor;
      }
      throw new Error('no end');
    };
    for (const params of [
      '',
      '&sort=number&order=asc',
      '&sort=createdAt',
      '&sort=dueAt&order=asc',
      '&sort=dueAt',
      '&overdue=false',
    ])
      expect(await walk(P.admin!, params), params).toEqual(
        (await list(P.admin!, `?pageSize=100${params}`)).items.map((i) => i.number),
      );
    expect(await walk(P.leadWs!, '')).toEqual((await list(P.leadWs!)).items.map((i) => i.number));
    // Page answers name the cursor of the next page, so a client can switch to keyset paging.
    const p1 = await app.inject({ url: '/api/cases?pageSize=2&page=1', headers: P.admin!.auth });
    const next = p1.json<{ nextCursor: string }>().nextCursor;
    const rest = await app.inject({ url: `/api/cases?pageSize=3&cursor=${next}`, headers: P.admin!.auth });
    expect(rest.json<ListBody>().items.map((i) => i.number)).toEqual([N.C, N.B, N.E]);
  });

  it('refuses a malformed cursor, or one made for another order, with 400', async () => {
    for (const cursor of ['not-a-cursor', Buffer.from('{"m":1}').toString('base64url')]) {
      const res = await app.inject({ url: `/api/cases?cursor=${cursor}`, headers: P.admin!.auth });
      expect(res.statusCode).toBe(400);
      expect(res.json<{ error: { code: string; message: string } }>().error).toMatchObject({
        code: 'validation_error',
        message: expect.stringMatching(/cursor/),
      });
    }
    const first = await app.inject({ url: '/api/cases?pageSize=1&cursor=', headers: P.admin!.auth });
    const other = await app.inject({
      url: `/api/cases?sort=number&cursor=${first.json<{ nextCursor: string }>().nextCursor}`,
      headers: P.admin!.auth,
    });
    expect(other.statusCode).toBe(400);
  });

  it('sorts by number, createdAt or dueAt on request', async () => {
    expect((await list(P.admin!, '?sort=number&order=asc')).items.map((i) => i.number)).toEqual(
      [N.A, N.B, N.C, N.D, N.E].sort(),
    );
    expect((await list(P.admin!, '?sort=createdAt&order=asc')).items[0]!.number).toBe(N.E);
    const byDue = (await list(P.admin!, '?sort=dueAt&order=asc')).items.map((i) => i.number);
    expect(byDue.slice(-2).sort()).toEqual([N.D, N.E].sort()); // no deadline: last
  });

  it('rejects bad parameters with 400 and a Chinese message', async () => {
    for (const q of [
      '?status=open',
      '?pageSize=101',
      `?street=${encodeURIComponent('火星街道')}`,
      '?sort=text',
      '?from=yesterday',
      '?colour=red',
    ]) {
      const res = await app.inject({ url: `/api/cases${q}`, headers: P.admin!.auth });
      expect(res.statusCode, q).toBe(400);
      expect(res.json()).toMatchObject({ error: { code: 'validation_error' } });
    }
  });
});

describe('GET /api/cases/:number', () => {
  it('returns the matter, the whole-process record, photos and ratings', async () => {
    const res = await detail(P.leadWs!, N.A!);
    expect(res.statusCode).toBe(200);
    const body = res.json() as Record<string, unknown> & {
      events: Array<Record<string, unknown>>;
      attachments: Array<Record<string, unknown>>;
      item: Record<string, unknown>;
    };
    expect(body.item).toMatchObject({
      code: 'SR-001',
      name: expect.stringContaining('占道经营') as unknown,
      legalBasis: expect.stringContaining('条例') as unknown,
    });
    expect(typeof body.item.version).toBe('string');
    expect(body.events.map((e) => [e.type, e.actorRole, e.actorName])).toEqual([
      ['submitted', 'resident', null], // residents are never named
      ['dispatched', 'system', null],
      ['accepted', 'team_lead', '张队长'],
    ]);
    expect(body.attachments).toEqual([
      expect.objectContaining({ key: photoKey, mime: 'image/jpeg', url: `/api/attachments/${photoKey}` }),
    ]);
    expect(body).toMatchObject({ status: 'accepted', overdue: true, address: '万松园路 12 号', assignee: '刘队员' });
    const b = (await detail(P.leadWs!, N.B!)).json() as { ratings: unknown[] };
    expect(b.ratings).toEqual([expect.objectContaining({ score: 'satisfied', scoreLabel: '满意' })]);
  });
});

describe('GET /api/attachments/:key', () => {
  it('serves the original file to those who may see the case', async () => {
    const res = await app.inject({ url: `/api/attachments/${photoKey}`, headers: P.leadWs!.auth });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('image/jpeg');
    expect(res.rawPayload).toEqual(Buffer.from([0xff, 0xd8, 0xff, 0xd9]));
    expect((await app.inject({ url: `/api/attachments/${photoKey}`, headers: P.r1!.auth })).statusCode).toBe(200);
  });

  it('is 404 for everyone else and for ids that do not exist', async () => {
    expect((await app.inject({ url: `/api/attachments/${photoKey}`, headers: P.leadBh!.auth })).statusCode).toBe(404);
    expect((await app.inject({ url: `/api/attachments/${photoKey}`, headers: P.r2!.auth })).statusCode).toBe(404);
    expect((await app.inject({ url: '/api/attachments/99999', headers: P.admin!.auth })).statusCode).toBe(404);
  });
});

describe('OpenAPI', () => {
  it('documents the case routes with their parameters', async () => {
    const doc = (await app.inject('/docs/json')).json() as {
      paths: Record<string, { get: { parameters?: Array<{ name: string }> } }>;
    };
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining(['/api/cases', '/api/cases/{number}', '/api/attachments/{key}']),
    );
    expect(doc.paths['/api/cases']!.get.parameters!.map((p) => p.name)).toEqual(
      expect.arrayContaining(['street', 'status', 'overdue', 'page', 'pageSize', 'sort']),
    );
  });
});

describe('a phone number typed into the report', () => {
  it('reaches only those who may call the reporter; other staff read it redacted, in the detail and the list', async () => {
    const f = createCaseFactory(t.db);
    const c = await f.case({
      reporterId: P.r3!.id,
      street: '万松街道',
      itemCode: 'HW-001',
      status: 'accepted',
      createdAt: ago(0.1),
      text: '楼下垃圾堆了三天，有事打我电话13700002222',
    });
    await f.event(c.id, {
      type: 'accepted',
      actorId: P.leadWs!.id,
      actorRole: 'team_lead',
      fromStatus: 'dispatched',
      toStatus: 'accepted',
      note: '已联系报告人 13700002222',
    });
    const view = async (who: TestPerson) => {
      const d = (await detail(who, c.number)).json() as { text: string; events: Array<{ note: string | null }> };
      const row = (await list(who, `?q=${encodeURIComponent('楼下垃圾')}`)).items.find((i) => i.number === c.number)!;
      return JSON.stringify([d.text, d.events.map((e) => e.note), row.text]);
    };
    expect(await view(P.leadWs!)).toContain('13700002222');
    expect(await view(P.admin!)).toContain('13700002222');
    const inspector = await view(P.inspector!);
    expect(inspector).not.toContain('13700002222');
    expect(inspector).toContain('楼下垃圾堆了三天');
    expect(inspector).toContain('已隐去');
  });
});

describe('names in the outcome (issue 13.6)', () => {
  it("reach residents redacted: the reporter's own name for a follower, other people's for everyone", async () => {
    const f = createCaseFactory(t.db);
    const c = await f.case({
      reporterId: P.r2!.id, // 赵五
      street: '北湖街道',
      itemCode: 'SR-001',
      status: 'closed',
      createdAt: ago(0.2),
      closedAt: ago(0.1),
      outcome: '已电话回复赵五，摊主王强已搬离，电话一三九一二三四五六七八',
    });
    await f.follow(c.id, P.r3!.id);
    const outcomeFor = async (who: TestPerson) => ((await detail(who, c.number)).json() as { outcome: string }).outcome;
    expect(await outcomeFor(P.r3!)).toBe('已电话回复[姓名已隐去]，摊主[姓名已隐去]已搬离，电话[电话已隐去]');
    expect(await outcomeFor(P.r2!)).toBe('已电话回复[姓名已隐去]，摊主[姓名已隐去]已搬离，电话[电话已隐去]');
    expect(await outcomeFor(P.leadBh!)).toBe('已电话回复赵五，摊主王强已搬离，电话一三九一二三四五六七八');
  });
});
