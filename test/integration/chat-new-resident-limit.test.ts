import { afterAll, beforeAll, expect, it } from 'vitest';
import { createFakeClock } from '../helpers/fake-clock.ts';
import { createWebChatApp, type WebChatApp } from '../helpers/webchat-app.ts';
import { cookiesOf } from '../helpers/cookies.ts';

// New web chat residents per address: enough that a script cannot fill the person table.
const clock = createFakeClock('2026-03-02T02:00:00.000Z');
let t: WebChatApp;

async function startAsResident() {
  const chooser = await t.app.inject({ url: '/chat' });
  const token = /name="_csrf" value="([^"]+)"/.exec(chooser.body)![1]!;
  return t.app.inject({
    method: 'POST',
    url: '/chat/start',
    headers: { cookie: cookiesOf(chooser.headers['set-cookie']), 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams({ _csrf: token, as: 'resident' }).toString(),
  });
}

beforeAll(async () => {
  t = await createWebChatApp({ clock: clock.now, env: { ADDRESS_REQUESTS_PER_MINUTE: '1000' } });
});
afterAll(() => t.close());

it('lets one address make 20 web chat residents an hour, then shows the chooser with 429', async () => {
  for (let i = 0; i < 20; i++) expect((await startAsResident()).statusCode).toBe(303);
  const refused = await startAsResident();
  expect(refused.statusCode).toBe(429);
  expect(refused.body).toContain('操作过于频繁');
  clock.advanceMinutes(61);
  expect((await startAsResident()).statusCode).toBe(303);
});
