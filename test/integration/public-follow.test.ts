// 关注 on the public page: anyone with a chat identity follows a public case (a CaseSubscriber
// row, so the case's pushes reach them); without one the page points to the web chat.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCaseFactory } from '../helpers/case-factory.ts';
import { createWebChatApp, type WebChatApp } from '../helpers/webchat-app.ts';
import { cookiesOf } from '../helpers/cookies.ts';

let t: WebChatApp;
let number = '';

/** A resident of the web chat: the session cookie the chooser's form gives. */
async function residentCookie(): Promise<string> {
  const chooser = await t.app.inject({ method: 'GET', url: '/chat' });
  const token = /name="_csrf" value="([^"]+)"/.exec(chooser.body)![1]!;
  const start = await t.app.inject({
    method: 'POST',
    url: '/chat/start',
    headers: { cookie: cookiesOf(chooser.headers['set-cookie']), 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams({ _csrf: token, as: 'resident' }).toString(),
  });
  expect(start.statusCode).toBe(303);
  return cookiesOf(start.headers['set-cookie']);
}

function follow(cookie: string, csrf: string, n = number) {
  return t.app.inject({
    method: 'POST',
    url: `/public/cases/${encodeURIComponent(n)}/follow`,
    headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams({ _csrf: csrf }).toString(),
  });
}

beforeAll(async () => {
  t = await createWebChatApp();
  const f = createCaseFactory(t.db);
  const reporter = await f.person({ role: 'resident', name: '周九', phone: '13900001111' });
  const r = await t.domain.reports.submit({
    text: '人行道上有人摆摊卖烤红薯，把路都占了',
    lat: 30.5942,
    lng: 114.2359,
    channel: 'web',
    reporter: reporter.actor,
  });
  if (r.kind !== 'created') throw new Error(r.kind);
  number = r.case.number;
});
afterAll(() => t?.close());

describe('关注 on /public', () => {
  it('a visitor without a chat identity is pointed to the web chat and can follow nothing', async () => {
    const page = await t.app.inject({ method: 'GET', url: '/public' });
    expect(page.body).toContain(`<a class="follow" href="/chat"`);
    expect(page.body).not.toContain(`/public/cases/${number}/follow`);
    const res = await follow('', 'forged');
    expect(res.statusCode).toBe(403);
    expect(await t.db.caseSubscriber.count()).toBe(0);
  });

  it('a web chat resident follows an open case with the page’s form, once however often pressed', async () => {
    const cookie = await residentCookie();
    const page = await t.app.inject({ method: 'GET', url: '/public', headers: { cookie } });
    const form = new RegExp(
      `action="/public/cases/${number}/follow">\\s*<input type="hidden" name="_csrf" value="([^"]+)"`,
    ).exec(page.body);
    expect(form).not.toBeNull();
    const csrf = form![1]!;
    const res = await follow(cookie, csrf);
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe('/public');
    const after = await t.app.inject({
      method: 'GET',
      url: '/public',
      headers: { cookie: `${cookie}; ${cookiesOf(res.headers['set-cookie'])}` },
    });
    expect(after.body).toContain(`已关注案件 ${number}`);
    expect((await follow(cookie, csrf)).statusCode).toBe(303);
    const rows = await t.db.caseSubscriber.findMany({ where: { case: { number } } });
    expect(rows).toHaveLength(1);

    // An unknown case: a clear 404 page, nothing stored.
    const missing = await follow(cookie, csrf, 'JH-20000101-0001');
    expect(missing.statusCode).toBe(404);
    expect(missing.body).toContain('没有找到可关注的案件');
    expect(await t.db.caseSubscriber.count()).toBe(1);
  });
});
