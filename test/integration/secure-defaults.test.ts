import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { issueBindCode } from '../../db/identity-store.ts';
import { createChatHarness, type ChatHarness } from '../helpers/chat-harness.ts';
import { createTestApp } from '../helpers/test-app.ts';

let h: ChatHarness;

beforeAll(async () => {
  h = await createChatHarness();
});
afterAll(async () => h.close());

describe('deactivated staff in the chat channels', () => {
  for (const channel of ['telegram', 'wechat', 'wecom'] as const) {
    it(`loses staff powers in ${channel} at once`, async () => {
      const code = await issueBindCode(h.db, { role: 'team_lead', displayName: '前队长', streetName: '万松街道' });
      const u = h.user(`lead-${channel}`, channel);
      expect((await u.send({ command: { name: 'bind', args: code } })).join()).toContain('前队长');
      expect((await u.send({ command: { name: 'queue', args: '' } })).join()).not.toContain('仅限工作人员');
      await h.db.person.update({ where: { id: await u.personId() }, data: { active: false } });
      expect((await u.send({ command: { name: 'queue', args: '' } })).join()).toContain('仅限工作人员');
    });
  }
});

describe('demo mode on a reachable address', () => {
  it('offers no demo identities and refuses demo sign-in when listening on 0.0.0.0', async () => {
    const t = await createTestApp({ env: { HOST: '0.0.0.0' } });
    try {
      expect(t.domain).toBeDefined();
      const login = await t.app.inject({ url: '/login' });
      expect(login.body).not.toContain('演示身份');
      const demo = await t.app.inject({
        method: 'POST',
        url: '/login/demo',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        payload: 'personId=1',
      });
      expect(demo.statusCode).toBe(404);
    } finally {
      await t.close();
    }
  });
});
