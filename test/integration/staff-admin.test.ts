// Staff administration on the dashboard (/staff): who may use it, deactivation that ends every
// channel at once, transfers and roles, and posts (岗位) that put the right people first in 转派.
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLoginLinkStore } from '../../db/login-link-store.ts';
import { issueToken } from '../../db/token-store.ts';
import { createChatHarness, pushButton, type ChatHarness, type ChatUser } from '../helpers/chat-harness.ts';

let h: ChatHarness;
let lead: ChatUser, memberA: ChatUser, memberB: ChatUser, inspector: ChatUser, otherLead: ChatUser, admin: ChatUser;
const WANSONG = { lat: 30.5942, lng: 114.2359, crs: 'wgs84' as const };

async function session(personId: number): Promise<string> {
  const { token } = await h.app.sessions.open(personId);
  return `gl_session=${token}`;
}
const get = (url: string, cookie: string) => h.app.inject({ url, headers: { cookie } });
const csrfOf = (res: LightMyRequestResponse) => /name="_csrf" value="([^"]+)"/.exec(res.body)?.[1] ?? '';
/** A staff-page form as the browser posts it: the page's own CSRF token first. */
async function post(url: string, cookie: string, fields: Record<string, string>) {
  const csrf = csrfOf(await get('/power-list', cookie));
  return h.app.inject({
    method: 'POST',
    url,
    headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams({ _csrf: csrf, ...fields }).toString(),
  });
}
const flashOf = (res: LightMyRequestResponse) => {
  const c = res.cookies.find((x) => x.name === 'gl_flash');
  return c ? (JSON.parse(decodeURIComponent(c.value)) as { kind: string; text: string }) : null;
};

beforeAll(async () => {
  h = await createChatHarness();
  lead = await h.staffUser('ws-lead', 'team_lead', { street: '万松街道', name: '万松队长' });
  memberA = await h.staffUser('ws-a', 'enforcer', { street: '万松街道', name: '队员甲' });
  memberB = await h.staffUser('ws-b', 'enforcer', { street: '万松街道', name: '队员乙' });
  inspector = await h.staffUser('ws-insp', 'inspector', { street: '万松街道', name: '巡查员老李' });
  otherLead = await h.staffUser('bh-lead', 'team_lead', { street: '北湖街道', name: '北湖队长' });
  admin = await h.staffUser('bureau', 'district_admin', { name: '区局值班' });
});
afterAll(async () => h.close());

describe('/staff: who may administer', () => {
  it('refuses a resident and an inspector; a team lead of another street cannot touch this street', async () => {
    const resident = h.user('resident-1');
    await resident.send({ text: '你好' });
    expect((await get('/staff', await session(await resident.personId()))).statusCode).toBe(403);
    expect((await get('/staff', await session(await inspector.personId()))).statusCode).toBe(403);

    const other = await session(await otherLead.personId());
    const page = await get('/staff', other);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('北湖队长');
    expect(page.body).not.toContain('队员甲');
    const a = await memberA.personId();
    const refused = await post(`/staff/${a}/deactivate`, other, {});
    expect(refused.statusCode).toBe(403);
    expect(refused.body).toContain('执法队长只能管理本街道的人员');
    expect((await h.db.person.findUniqueOrThrow({ where: { id: a } })).active).toBe(true);

    // The own street's lead sees them, but the form needs the page's token.
    const own = await session(await lead.personId());
    expect((await get('/staff', own)).body).toContain('队员甲');
    const forged = await h.app.inject({
      method: 'POST',
      url: `/staff/${a}/deactivate`,
      headers: { cookie: own, 'content-type': 'application/x-www-form-urlencoded' },
      payload: '_csrf=wrong',
    });
    expect(forged.statusCode).toBe(403);
    expect((await h.db.person.findUniqueOrThrow({ where: { id: a } })).active).toBe(true);
  });

  it('a team lead may not make a team lead, nor change another lead', async () => {
    const own = await session(await lead.personId());
    const i = await inspector.personId();
    const r = await post(`/staff/${i}/role`, own, { role: 'team_lead' });
    expect(r.statusCode).toBe(403);
    expect((await post(`/staff/${await otherLead.personId()}/role`, own, { role: 'enforcer' })).statusCode).toBe(403);
  });
});

describe('/staff: deactivation', () => {
  it('ends the web session, the API token, login links and staff powers in the chat at once, with a trail', async () => {
    const b = await memberB.personId();
    const cookie = await session(b);
    const bearer = `Bearer ${await issueToken(h.db, b, 'phone')}`;
    const link = await createLoginLinkStore(h.db).create(b, new Date());
    expect((await get('/', cookie)).statusCode).toBe(200);
    expect((await h.app.inject({ url: '/api/cases', headers: { authorization: bearer } })).statusCode).toBe(200);
    expect((await memberB.send({ command: { name: 'queue', args: '' } })).join()).not.toContain('仅限工作人员');

    const adminCookie = await session(await admin.personId());
    const res = await post(`/staff/${b}/deactivate`, adminCookie, {});
    expect(res.statusCode).toBe(303);
    expect(flashOf(res)?.text).toContain(`已停用 #${b} 队员乙`);

    expect((await get('/', cookie)).statusCode).toBe(302); // back to sign-in
    expect((await h.app.inject({ url: '/api/cases', headers: { authorization: bearer } })).statusCode).toBe(401);
    expect(await h.app.sessions.redeemLoginLink(link)).toBeNull();
    expect((await memberB.send({ command: { name: 'queue', args: '' } })).join()).toContain('仅限工作人员');

    const trail = await h.db.staffChange.findFirstOrThrow({ where: { personId: b, action: 'deactivate' } });
    expect(trail.actorId).toBe(await admin.personId());
    expect(trail.actorLabel).toContain('区局值班');
    expect((await get('/staff', adminCookie)).body).toContain(`已停用 #${b} 队员乙`);
    // Done once: a second press says so instead of pretending.
    expect(flashOf(await post(`/staff/${b}/deactivate`, adminCookie, {}))?.text).toContain('已经停用');
  });
});

describe('/staff: transfer, role and posts', () => {
  it('a post covering the item puts its holder first in 转派', async () => {
    const adminCookie = await session(await admin.personId());
    // 队员丙 joins after 队员甲, so without a post they would be offered second.
    const memberC = await h.staffUser('ws-c', 'enforcer', { street: '万松街道', name: '队员丙' });
    const c = await memberC.personId();
    const defined = await post('/staff/posts', adminCookie, {
      street: '万松街道',
      name: '占道经营岗',
      covers: 'SR-001',
    });
    expect(flashOf(defined)?.text).toContain('占道经营岗');
    const unknown = await post('/staff/posts', adminCookie, { street: '万松街道', name: '乱岗', covers: 'XX-999' });
    expect(flashOf(unknown)).toMatchObject({ kind: 'error' });
    expect(flashOf(unknown)?.text).toContain('XX-999');
    const assigned = await post(`/staff/${c}/post`, adminCookie, { post: '占道经营岗' });
    expect(flashOf(assigned)?.text).toContain(`#${c} 队员丙`);

    const reporter = h.user('r-stall');
    await reporter.send({ text: '公园门口人行道上好多流动摊贩摆摊卖小吃', location: WANSONG });
    const number = /JH-\d{8}-\d{4}/.exec((await reporter.press('确认提交')).join())![0];
    const row = await h.db.case.findUniqueOrThrow({ where: { number }, include: { item: true } });
    expect(row.item?.code).toBe('SR-001');
    const push = (await lead.pushes()).find((p) => p.text.includes(number));
    await lead.send({ button: pushButton(push, '转派') });
    const labels = lead.lastButtons.map((b) => b.label);
    expect(labels[0]).toBe('队员丙（占道经营岗）');
    expect(labels).toContain('队员甲');
    // The dashboard's 转派 list follows the same order.
    const page = (await get(`/cases/${number}`, await session(await lead.personId()))).body;
    expect(page.indexOf('队员丙（占道经营岗）')).toBeGreaterThan(0);
    expect(page.indexOf('队员丙（占道经营岗）')).toBeLessThan(page.indexOf('>队员甲<'));
  });

  it('the bureau transfers a member to another street; the team lead changes an inspector to an enforcer', async () => {
    const adminCookie = await session(await admin.personId());
    const a = await memberA.personId();
    const moved = await post(`/staff/${a}/transfer`, adminCookie, { street: '北湖街道' });
    expect(flashOf(moved)?.text).toContain('调往北湖街道');
    const p = await h.db.person.findUniqueOrThrow({ where: { id: a }, include: { street: true, team: true } });
    expect(p.street?.name).toBe('北湖街道');
    expect(p.team?.name).toBe('北湖街道城管执法队');
    // Now the other lead's, and no longer this lead's.
    expect((await get('/staff', await session(await otherLead.personId()))).body).toContain('队员甲');
    const own = await session(await lead.personId());
    expect((await post(`/staff/${a}/role`, own, { role: 'inspector' })).statusCode).toBe(403);
    // A team lead cannot move people between streets either.
    expect((await post(`/staff/${await inspector.personId()}/transfer`, own, { street: '北湖街道' })).statusCode).toBe(
      403,
    );

    const i = await inspector.personId();
    const changed = await post(`/staff/${i}/role`, own, { role: 'enforcer' });
    expect(flashOf(changed)?.text).toContain('从巡查员改为执法队员');
    expect((await h.db.person.findUniqueOrThrow({ where: { id: i } })).role).toBe('enforcer');
    const trail = await h.db.staffChange.findFirstOrThrow({ where: { personId: i, action: 'role' } });
    expect(trail.actorId).toBe(await lead.personId());
  });

  it('a bind code and an API token are shown once on the page, and the code binds in the chat', async () => {
    const own = await session(await lead.personId());
    const res = await post('/staff/bind-code', own, {
      name: '新队员',
      role: 'enforcer',
      street: '万松街道',
      hours: '24',
    });
    expect(res.statusCode).toBe(200);
    const code = /\/bind ([A-Z0-9]{8})/.exec(res.body)?.[1];
    expect(code).toBeTruthy();
    expect(res.cookies.find((c) => c.name === 'gl_flash')).toBeUndefined();
    const newcomer = h.user('ws-new');
    expect((await newcomer.send({ command: { name: 'bind', args: code! } })).join()).toContain('执法队员');
    const p = await h.db.person.findUniqueOrThrow({ where: { id: await newcomer.personId() } });
    expect(p.teamId).not.toBeNull();
    // Not for another street.
    const refused = await post('/staff/bind-code', own, { name: '外人', role: 'enforcer', street: '北湖街道' });
    expect(refused.statusCode).toBe(403);

    const tokenPage = await post(`/staff/${p.id}/token`, own, { days: '7' });
    expect(tokenPage.statusCode).toBe(200);
    const token = /<code class="secret">([A-Za-z0-9_-]{43})<\/code>/.exec(tokenPage.body)?.[1];
    expect((await h.app.inject({ url: '/api/cases', headers: { authorization: `Bearer ${token}` } })).statusCode).toBe(
      200,
    );
  });
});
