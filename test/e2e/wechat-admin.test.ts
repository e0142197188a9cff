// The administrator's WeChat login page and status API, over the real fastify app.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WeChatStatus } from '../../bot/wechat/wechat-status.ts';
import { wechatAdminRoutes } from '../../server/routes/wechat-admin-routes.ts';
import { createTestApp, type TestApp } from '../helpers/test-app.ts';

let t: TestApp;
let status: WeChatStatus = {
  state: 'scan',
  puppet: 'wechaty-puppet-service',
  scanStatus: 'Waiting',
  qrcode: 'https://login.weixin.qq.com/l/Abc<&>',
};
let admin: string;
let lead: string;

beforeAll(async () => {
  t = await createTestApp();
  await t.app.register(async (scope) => wechatAdminRoutes(scope, { channel: { status: () => status } }));
  admin = (await t.staff('district_admin')).auth;
  lead = (await t.staff('team_lead', { street: '万松街道' })).auth;
});
afterAll(async () => t.close());

describe('GET /admin/wechat', () => {
  it('sends a visitor without a session to sign in, and refuses other roles', async () => {
    const anon = await t.app.inject({ url: '/admin/wechat' });
    expect(anon.statusCode).toBe(302);
    expect(anon.headers.location).toBe('/login?next=%2Fadmin%2Fwechat');
    const other = await t.app.inject({ url: '/admin/wechat', headers: { authorization: lead } });
    expect(other.statusCode).toBe(403);
  });

  it('shows the login QR code as inline SVG, escaped, never cached', async () => {
    const res = await t.app.inject({ url: '/admin/wechat', headers: { authorization: admin } });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('text/html');
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.body).toContain('等待扫码登录');
    expect(res.body).toMatch(/<svg[^>]*viewBox/);
    expect(res.body).toContain('Abc&#60;&#38;&#62;');
    expect(res.body).not.toMatch(/<script|(?:src|href)="https?:/); // nothing loaded from elsewhere
  });

  it('shows the logged-in account', async () => {
    status = {
      state: 'logged_in',
      puppet: 'wechaty-puppet-service',
      user: { id: 'wxid_gridline', name: '江汉城管网格通' },
    };
    const res = await t.app.inject({ url: '/admin/wechat', headers: { authorization: admin } });
    expect(res.body).toContain('已登录');
    expect(res.body).toContain('江汉城管网格通');
    expect(res.body).not.toContain('<svg');
  });
});

describe('GET /api/admin/wechat/status', () => {
  it('gives the state as JSON to the district administrator only', async () => {
    expect((await t.app.inject({ url: '/api/admin/wechat/status' })).statusCode).toBe(401);
    expect((await t.app.inject({ url: '/api/admin/wechat/status', headers: { authorization: lead } })).statusCode).toBe(
      403,
    );
    const res = await t.app.inject({ url: '/api/admin/wechat/status', headers: { authorization: admin } });
    expect(res.json()).toEqual({
      enabled: true,
      state: 'logged_in',
      puppet: 'wechaty-puppet-service',
      user: { id: 'wxid_gridline', name: '江汉城管网格通' },
    });
  });

  it('says so when WeChat is not configured', async () => {
    const other = await createTestApp();
    await other.app.register(async (scope) => wechatAdminRoutes(scope, { channel: null }));
    const { auth } = await other.staff('district_admin');
    expect(
      (await other.app.inject({ url: '/api/admin/wechat/status', headers: { authorization: auth } })).json(),
    ).toEqual({ enabled: false, state: 'logged_out', puppet: 'none' });
    expect((await other.app.inject({ url: '/admin/wechat', headers: { authorization: auth } })).body).toContain(
      'WECHATY_PUPPET',
    );
    await other.close();
  });
});
