import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLoginLinkStore } from '../../db/login-link-store.ts';
import { createCaseFactory, type TestPerson } from '../helpers/case-factory.ts';
import { captureLogger } from '../helpers/log-capture.ts';
import { createTestApp, type TestApp } from '../helpers/test-app.ts';

let t: TestApp;
let lead: TestPerson;
const logs = captureLogger();

const csrfOf = (res: LightMyRequestResponse) => /name="_csrf" value="([^"]+)"/.exec(res.body)?.[1] ?? '';
const cookieOf = (res: LightMyRequestResponse, name: string) => {
  const c = res.cookies.find((x) => x.name === name);
  return c ? `${name}=${c.value}` : '';
};
const form = (fields: Record<string, string>) => new URLSearchParams(fields).toString();

beforeAll(async () => {
  t = await createTestApp({ logger: logs.logger, env: { PUBLIC_URL: 'http://gridline.test' } });
  lead = await createCaseFactory(t.db).person({ role: 'team_lead', street: '万松街道', name: '张队长' });
});
afterAll(() => t.close());

async function openLink(token: string) {
  const page = await t.app.inject({ url: `/login/${token}`, headers: { host: 'gridline.test' } });
  expect(page.statusCode).toBe(200);
  return { csrf: csrfOf(page), cookie: cookieOf(page, 'gl_csrf') };
}

describe('login links', () => {
  it('refuses a sign-in POST from another origin (login CSRF)', async () => {
    const token = await createLoginLinkStore(t.db).create(lead.id, new Date());
    const { csrf, cookie } = await openLink(token);
    const res = await t.app.inject({
      method: 'POST',
      url: `/login/${token}`,
      headers: {
        host: 'gridline.test',
        origin: 'https://evil.example',
        cookie,
        'content-type': 'application/x-www-form-urlencoded',
      },
      payload: form({ _csrf: csrf }),
    });
    expect(res.statusCode).toBe(403);
    expect(cookieOf(res, 'gl_session')).toBe('');
  });

  it('refuses a sign-in POST without the pre-session cookie and its token', async () => {
    const token = await createLoginLinkStore(t.db).create(lead.id, new Date());
    const res = await t.app.inject({ method: 'POST', url: `/login/${token}`, headers: { host: 'gridline.test' } });
    expect(res.statusCode).toBe(403);
    expect(cookieOf(res, 'gl_session')).toBe('');
    // The link was not used up by the refused attempt: the person can still sign in with it.
    const { csrf, cookie } = await openLink(token);
    const ok = await t.app.inject({
      method: 'POST',
      url: `/login/${token}`,
      headers: { host: 'gridline.test', cookie, 'content-type': 'application/x-www-form-urlencoded' },
      payload: form({ _csrf: csrf }),
    });
    expect(ok.statusCode).toBe(303);
    expect(cookieOf(ok, 'gl_session')).not.toBe('');
  });

  it('never writes the one-time token to the request log', async () => {
    const token = await createLoginLinkStore(t.db).create(lead.id, new Date());
    const { csrf, cookie } = await openLink(token);
    await t.app.inject({
      method: 'POST',
      url: `/login/${token}?from=chat`,
      headers: { host: 'gridline.test', cookie, 'content-type': 'application/x-www-form-urlencoded' },
      payload: form({ _csrf: csrf }),
    });
    const text = logs.text();
    expect(text).toContain('incoming request'); // the request log is on, and it is what we read
    expect(text).toContain('/login/[redacted]');
    expect(text).not.toContain(token);
  });
});

describe('CSRF check', () => {
  it('answers 403, not 500, to a multibyte token of the expected length', async () => {
    const page = await t.app.inject({ url: '/login', headers: { host: 'gridline.test' } });
    const csrf = csrfOf(page);
    expect(csrf.length).toBeGreaterThan(10);
    const res = await t.app.inject({
      method: 'POST',
      url: '/logout',
      headers: {
        host: 'gridline.test',
        cookie: cookieOf(page, 'gl_csrf'),
        'content-type': 'application/x-www-form-urlencoded',
      },
      payload: form({ _csrf: '中'.repeat(csrf.length) }),
    });
    expect(res.statusCode).toBe(403);
  });
});
