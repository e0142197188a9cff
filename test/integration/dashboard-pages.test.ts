import ExcelJS from 'exceljs';
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLoginLinkStore } from '../../db/login-link-store.ts';
import { createCaseFactory, type TestPerson } from '../helpers/case-factory.ts';
import { createTestApp, type TestApp } from '../helpers/test-app.ts';

let t: TestApp;
let resident: TestPerson;
let otherResident: TestPerson;
let lead: TestPerson;
let inspector: TestPerson;
let otherLead: TestPerson;
let admin: TestPerson;
const N: Record<string, string> = {};

const XSS = '<script>alert(1)</script><img src=x onerror=alert(2)>路边"摊贩"';
const PHONE = '13812345678';

/** A browser session for a person, as a Cookie header. */
async function session(p: TestPerson): Promise<string> {
  const { token } = await t.app.sessions.open(p.id);
  return `gl_session=${token}`;
}
const get = async (url: string, cookie?: string) => t.app.inject({ url, headers: cookie ? { cookie } : {} });
const csrfOf = (res: LightMyRequestResponse) => /name="_csrf" value="([^"]+)"/.exec(res.body)?.[1] ?? '';
const cookieOf = (res: LightMyRequestResponse, name: string) => {
  const c = res.cookies.find((x) => x.name === name);
  return c ? `${name}=${c.value}` : '';
};
const form = (fields: Record<string, string>) => new URLSearchParams(fields).toString();
const postForm = (url: string, cookie: string, fields: Record<string, string>, headers: Record<string, string> = {}) =>
  t.app.inject({
    method: 'POST',
    url,
    headers: { cookie, 'content-type': 'application/x-www-form-urlencoded', ...headers },
    payload: form(fields),
  });

beforeAll(async () => {
  t = await createTestApp();
  const f = createCaseFactory(t.db);
  resident = await f.person({ role: 'resident', name: '李四', phone: PHONE });
  otherResident = await f.person({ role: 'resident', name: '王五', phone: '13900001111' });
  lead = await f.person({ role: 'team_lead', street: '万松街道', name: '张队长' });
  otherLead = await f.person({ role: 'team_lead', street: '北湖街道', name: '北湖队长' });
  inspector = await f.person({ role: 'inspector', street: '万松街道', name: '巡查员甲' });
  admin = await f.person({ role: 'district_admin', name: '区局' });
  const now = Date.now();
  const xss = await f.case({
    reporterId: resident.id,
    street: '万松街道',
    itemCode: 'SR-001',
    status: 'dispatched',
    text: XSS,
    address: '万松园路1号',
    lat: 30.5934,
    lng: 114.2785,
    dueAt: new Date(now + 86_400_000),
  });
  const late = await f.case({
    reporterId: otherResident.id,
    street: '万松街道',
    itemCode: 'SR-001',
    status: 'accepted',
    text: '超期的案件',
    dueAt: new Date(now - 3_600_000),
  });
  const beihu = await f.case({
    reporterId: otherResident.id,
    street: '北湖街道',
    itemCode: 'SR-001',
    status: 'dispatched',
    text: '北湖的案件',
  });
  const closed = await f.case({
    reporterId: resident.id,
    street: '万松街道',
    itemCode: 'SR-001',
    status: 'closed',
    text: `我是李四，电话${PHONE}，楼下有人占道经营`,
    lat: 30.593456,
    lng: 114.27851,
    outcome: `已联系当事人（${PHONE}），联系人：王小明，摊主赵六已搬离，已回复李四（一三九一二三四五六七八）。`,
    mode721: 'service',
    resolvedAt: new Date(now - 7_200_000),
    closedAt: new Date(now - 3_600_000),
  });
  await f.follow(xss.id, resident.id);
  Object.assign(N, { xss: xss.number, late: late.number, beihu: beihu.number, closed: closed.number });
});
afterAll(async () => t?.close());

describe('sign-in', () => {
  it('sends anonymous visitors to /login and back where they were going', async () => {
    const res = await get('/overdue');
    expect(res.statusCode).toBe(302);
    expect(res.headers.location).toBe('/login?next=%2Foverdue');
    const login = await get('/login');
    expect(login.body).toContain('发送 <kbd>/login</kbd>');
  });

  it('redeems a login link once, then refuses it; refuses expired links', async () => {
    const links = createLoginLinkStore(t.db);
    const token = await links.create(lead.id, new Date());
    // Opening the link (as a chat app's preview fetcher would) signs nobody in and keeps the link.
    const preview = await get(`/login/${token}`);
    expect(preview.statusCode).toBe(200);
    expect(preview.body).toContain('确认登录');
    expect(cookieOf(preview, 'gl_session')).toBe('');
    // The confirm page's form, as a browser submits it (pre-session cookie and its token).
    const redeem = async (tok: string) => {
      const page = await get(`/login/${tok}`);
      return postForm(`/login/${tok}`, cookieOf(page, 'gl_csrf'), { _csrf: csrfOf(page) });
    };
    const first = await redeem(token);
    expect(first.statusCode).toBe(303);
    expect(first.headers.location).toBe('/');
    const cookie = cookieOf(first, 'gl_session');
    expect(cookie).not.toBe('');
    expect(first.cookies.find((c) => c.name === 'gl_session')).toMatchObject({
      httpOnly: true,
      sameSite: 'Lax',
      path: '/',
    });
    expect((await get('/', cookie)).statusCode).toBe(200);
    const again = await redeem(token);
    expect(again.statusCode).toBe(400);
    expect(again.body).toContain('已被使用');
    expect(cookieOf(again, 'gl_session')).toBe('');
    const expired = await links.create(lead.id, new Date(Date.now() - 16 * 60_000));
    expect((await redeem(expired)).statusCode).toBe(400);
  });

  it('signs in as a demo identity in demo mode, never as a real account', async () => {
    const page = await get('/login');
    expect(page.body).toContain('演示身份');
    const pre = cookieOf(page, 'gl_csrf');
    const demoId = /name="personId" value="(\d+)" aria-label="以花楼水塔执法队长（演示）身份登录"/.exec(page.body)?.[1];
    expect(demoId).toBeDefined();
    const ok = await postForm('/login/demo', pre, { _csrf: csrfOf(page), personId: demoId!, next: '/overdue' });
    expect(ok.statusCode).toBe(303);
    expect(ok.headers.location).toBe('/overdue');
    expect(cookieOf(ok, 'gl_session')).not.toBe('');
    const real = await postForm('/login/demo', pre, { _csrf: csrfOf(page), personId: String(admin.id) });
    expect(real.statusCode).toBe(403);
    const noToken = await postForm('/login/demo', pre, { personId: demoId! });
    expect(noToken.statusCode).toBe(403);
  });

  it('has no demo login outside demo mode', async () => {
    const prod = await createTestApp({ env: { DEMO_MODE: 'false' } });
    try {
      const page = await prod.app.inject('/login');
      expect(page.body).not.toContain('演示身份');
      const res = await prod.app.inject({
        method: 'POST',
        url: '/login/demo',
        headers: { cookie: cookieOf(page, 'gl_csrf'), 'content-type': 'application/x-www-form-urlencoded' },
        payload: form({ _csrf: csrfOf(page), personId: '1' }),
      });
      expect(res.statusCode).toBe(404);
    } finally {
      await prod.close();
    }
  });

  it('signs out with the form token only', async () => {
    const cookie = await session(lead);
    const page = await get('/', cookie);
    expect((await postForm('/logout', cookie, {})).statusCode).toBe(403);
    const out = await postForm('/logout', cookie, { _csrf: csrfOf(page) });
    expect(out.statusCode).toBe(303);
    expect((await get('/', cookie)).statusCode).toBe(302);
  });
});

describe('who sees what', () => {
  it('refuses residents every staff page and export', async () => {
    const cookie = await session(resident);
    for (const url of [
      '/',
      '/overdue',
      '/street',
      '/district',
      `/cases/${N.xss}`,
      `/cases/${N.late}`,
      '/exports/cases.csv',
      '/exports/stats.xlsx',
    ]) {
      const res = await get(url, cookie);
      expect(res.statusCode, url).toBe(403);
      expect(res.body, url).toContain('居民请在聊天中查看自己的报告');
    }
    expect((await get('/public', cookie)).statusCode).toBe(200);
  });

  it('puts overdue cases first and scopes the board to the viewer', async () => {
    const body = (await get('/', await session(lead))).body;
    expect(body.indexOf(N.late!)).toBeGreaterThan(-1);
    expect(body.indexOf(N.late!)).toBeLessThan(body.indexOf(N.xss!));
    expect(body).not.toContain(N.beihu);
    const overdue = (await get('/overdue', await session(lead))).body;
    expect(overdue).toContain(N.late);
    expect(overdue).not.toContain(N.xss);
    expect((await get(`/cases/${N.beihu}`, await session(lead))).statusCode).toBe(404);
    expect((await get('/district', await session(lead))).statusCode).toBe(403);
    expect((await get('/street?street=北湖街道', await session(lead))).statusCode).toBe(403);
  });

  it('shows the reporter contact to the team lead, not to the inspector', async () => {
    expect((await get(`/cases/${N.xss}`, await session(lead))).body).toContain(PHONE);
    const inspectorView = (await get(`/cases/${N.xss}`, await session(inspector))).body;
    expect(inspectorView).not.toContain(PHONE);
    expect(inspectorView).not.toContain('李四');
    // The closed case's report text carries the phone: read as written by the lead only.
    expect((await get(`/cases/${N.closed}`, await session(inspector))).body).not.toContain(PHONE);
    expect((await get('/', await session(inspector))).body).not.toContain(PHONE);
    expect((await get('/', await session(lead))).body).toContain(PHONE);
  });

  it('escapes what users wrote', async () => {
    const cookie = await session(lead);
    for (const url of ['/', `/cases/${N.xss}`]) {
      const body = (await get(url, cookie)).body;
      expect(body).not.toContain('<script>alert');
      expect(body).not.toContain('<img src=x');
      expect(body).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    }
  });

  it('shows statistics to the bureau and the street', async () => {
    const district = await get('/district', await session(admin));
    expect(district.statusCode).toBe(200);
    expect(district.body).toContain('各街道考核指标');
    const street = await get('/street', await session(lead));
    expect(street.statusCode).toBe(200);
    expect(street.body).toContain('万松街道 · 街道视图');
  });
});

describe('case actions', () => {
  it('refuses a form without the session token or from another site', async () => {
    const cookie = await session(lead);
    expect((await postForm(`/cases/${N.xss}/act`, cookie, { action: 'accept' })).statusCode).toBe(403);
    expect(
      (await postForm(`/cases/${N.xss}/act`, cookie, { action: 'accept', _csrf: 'x'.repeat(43) })).statusCode,
    ).toBe(403);
    const page = await get(`/cases/${N.xss}`, cookie);
    const foreign = await postForm(
      `/cases/${N.xss}/act`,
      cookie,
      { action: 'accept', _csrf: csrfOf(page) },
      { origin: 'https://evil.example' },
    );
    expect(foreign.statusCode).toBe(403);
    // Another person's session cannot reuse this session's token.
    expect(
      (await postForm(`/cases/${N.xss}/act`, await session(lead), { action: 'accept', _csrf: csrfOf(page) }))
        .statusCode,
    ).toBe(403);
    expect((await t.db.case.findUniqueOrThrow({ where: { number: N.xss! } })).status).toBe('dispatched');
  });

  it('accepts with the token and says so; refusals come back as the domain message', async () => {
    const cookie = await session(lead);
    const page = await get(`/cases/${N.xss}`, cookie);
    expect(page.body).toContain('value="accept"');
    const res = await postForm(`/cases/${N.xss}/act`, cookie, { action: 'accept', _csrf: csrfOf(page) });
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe(`/cases/${N.xss}`);
    const after = await get(`/cases/${N.xss}`, `${cookie}; ${cookieOf(res, 'gl_flash')}`);
    expect(after.body).toContain('接单成功');
    const missing = await postForm(`/cases/${N.xss}/act`, cookie, {
      action: 'resolve',
      note: '已劝离',
      _csrf: csrfOf(page),
    });
    const shown = await get(`/cases/${N.xss}`, `${cookie}; ${cookieOf(missing, 'gl_flash')}`);
    expect(shown.body).toContain('请选择处置方式（服务、管理或执法）');
    const other = await session(otherLead);
    const otherPage = await get('/', other);
    expect(
      (await postForm(`/cases/${N.xss}/act`, other, { action: 'resolve', _csrf: csrfOf(otherPage) })).headers.location,
    ).toBe(`/cases/${N.xss}`);
    expect((await t.db.case.findUniqueOrThrow({ where: { number: N.xss! } })).status).toBe('accepted');
  });
});

describe('exports', () => {
  it('exports the visible cases as CSV with a BOM, contacts only where allowed', async () => {
    const res = await get('/exports/cases.csv', await session(lead));
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('text/csv');
    expect(res.rawPayload.subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
    expect(res.body).toContain(N.xss);
    expect(res.body).not.toContain(N.beihu);
    expect(res.body).toContain('报告人电话');
    expect(res.body).toContain(PHONE);
    const insp = await get('/exports/cases.csv', await session(inspector));
    expect(insp.body).toContain(N.xss);
    expect(insp.body).not.toContain('报告人电话');
    expect(insp.body).not.toContain(PHONE); // not even inside the report text
    const filtered = await get('/exports/cases.csv?overdue=true', await session(lead));
    expect(filtered.body).toContain(N.late);
    expect(filtered.body).not.toContain(N.xss);
  });

  it('exports cases and statistics as XLSX', async () => {
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load((await get('/exports/cases.xlsx', await session(admin))).rawPayload as unknown as ArrayBuffer);
    const sheet = wb.getWorksheet('案件')!;
    expect(sheet.getRow(1).getCell(1).value).toBe('编号');
    expect(sheet.rowCount).toBe(5); // header + 4 cases
    const stats = new ExcelJS.Workbook();
    await stats.xlsx.load(
      (await get('/exports/stats.xlsx', await session(admin))).rawPayload as unknown as ArrayBuffer,
    );
    expect(stats.worksheets.map((w) => w.name)).toEqual([
      '考核指标',
      '每日趋势',
      '按岗位',
      '部门考核',
      '人员考核',
      '口径说明',
    ]);
    expect(stats.getWorksheet('考核指标')!.rowCount).toBe(14); // header + 12 streets + district
  });

  it('scopes statistics exports to the street', async () => {
    const res = await get('/exports/stats.csv', await session(lead));
    expect(res.statusCode).toBe(200);
    const lines = res.body.trim().split('\r\n');
    expect(lines).toHaveLength(2);
    expect(lines[1]).toContain('万松街道');
    expect((await get('/exports/stats.csv?street=北湖街道', await session(lead))).statusCode).toBe(403);
  });
});

describe('public page', () => {
  it('shows closed cases without names or phone numbers, coordinates rounded', async () => {
    const res = await get('/public');
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain(N.closed);
    expect(res.body).not.toContain(PHONE);
    expect(res.body).not.toContain('李四');
    expect(res.body).not.toContain('王小明');
    expect(res.body).not.toContain('赵六');
    expect(res.body).not.toContain('一三九一二三四五六七八');
    expect(res.body).toContain('摊主[姓名已隐去]已搬离');
    expect(res.body).toContain('30.593, 114.279');
    expect(res.body).not.toContain('30.5934');
    // Open cases are listed too (so residents see what is already reported), with public fields
    // only: the number, matter, street, state and rounded point; never the text or the address.
    expect(res.body).toContain(N.xss);
    expect(res.body).not.toContain('万松园路1号');
    expect(res.body).not.toContain('onerror');
    expect(res.body).toContain('行政权力事项清单');
  });
});
