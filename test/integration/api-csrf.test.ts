import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCaseFactory, type TestPerson } from '../helpers/case-factory.ts';
import { createTestApp, type TestApp } from '../helpers/test-app.ts';

let t: TestApp;
let resident: TestPerson;
let cookie: string;

const REPORT = { text: '江汉关这边人行道上有流动摊贩摆摊卖烤红薯，占了大半条路' };

beforeAll(async () => {
  t = await createTestApp({ env: { PUBLIC_URL: 'http://gridline.test' } });
  resident = await createCaseFactory(t.db).person({ role: 'resident', name: '李四' });
  cookie = `gl_session=${(await t.app.sessions.open(resident.id)).token}`;
});
afterAll(() => t.close());

const post = (headers: Record<string, string>, payload: object = REPORT) =>
  t.app.inject({ method: 'POST', url: '/api/cases', headers: { host: 'gridline.test', ...headers }, payload });

/** The token a page of this session carries (the chat page puts it in its boot data). */
async function pageToken(): Promise<string> {
  const page = await t.app.inject({ url: '/login', headers: { host: 'gridline.test', cookie } });
  return /name="_csrf" value="([^"]+)"/.exec(page.body)?.[1] ?? '';
}

describe('JSON API with a browser session cookie', () => {
  it('refuses a state-changing request without a CSRF token or same-origin Origin', async () => {
    const res = await post({ cookie });
    expect(res.statusCode).toBe(403);
    expect(res.json().error.message).toContain('请求来源');
    const cross = await post({ cookie, origin: 'https://evil.example' });
    expect(cross.statusCode).toBe(403);
    expect(await t.db.case.count()).toBe(0);
  });

  it('accepts it with the page token header or a same-origin Origin', async () => {
    const token = await pageToken();
    expect(token).not.toBe('');
    expect((await post({ cookie, 'x-csrf-token': token })).statusCode).toBe(201);
    expect((await post({ cookie, origin: 'http://gridline.test' }, { text: `${REPORT.text}。` })).statusCode).toBe(201);
    // A wrong token from a cross-site page is still refused.
    expect((await post({ cookie, origin: 'https://evil.example', 'x-csrf-token': token })).statusCode).toBe(403);
  });

  it('counts PUBLIC_URL as our origin behind a proxy that rewrites Host', async () => {
    const res = await post(
      { host: '127.0.0.1:3000', cookie, origin: 'http://gridline.test' },
      { text: `${REPORT.text}？` },
    );
    expect(res.statusCode).toBe(201);
  });

  it('leaves bearer tokens and reads alone', async () => {
    expect((await post(resident.auth, { text: `${REPORT.text}！` })).statusCode).toBe(201);
    const read = await t.app.inject({ url: '/api/cases', headers: { cookie } });
    expect(read.statusCode).toBe(200);
  });
});
