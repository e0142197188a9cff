// The puppet variables decide the connection: none → no WeChat channel; a puppet name → Wechaty
// loads that puppet package; a puppet that is not installed → a clear error, Gridline keeps running.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBot } from '../../app/create-bot.ts';
import { createWeChat } from '../../app/create-wechat.ts';
import { createTestApp, type TestApp } from '../helpers/test-app.ts';
import { silentLogger, testConfig } from '../helpers/test-config.ts';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => t.close());

function wechatFor(env: Record<string, string>) {
  const config = testConfig(t.dir, env);
  const logger = silentLogger();
  const bot = createBot({ db: t.db, domain: t.domain, config, logger });
  return createWeChat({
    db: t.db,
    domain: t.domain,
    config,
    logger,
    runtime: bot.runtime,
    identify: bot.identify,
    kick: () => {},
    printQr: () => {},
  });
}

describe('WECHATY_PUPPET', () => {
  it('leaves WeChat off when unset', async () => {
    expect(await wechatFor({})).toBeNull();
  });

  it('loads the named puppet package and starts the bot on it', async () => {
    const wechat = (await wechatFor({ WECHATY_PUPPET: 'wechaty-puppet-mock' }))!;
    expect(wechat.sender.channel).toBe('wechat');
    await wechat.start();
    expect(wechat.status()).toEqual({ state: 'logged_out', puppet: 'wechaty-puppet-mock' });
    await wechat.stop();
  });

  it('reports a puppet that is not installed instead of crashing', async () => {
    const wechat = (await wechatFor({
      WECHATY_PUPPET: 'wechaty-puppet-padlocal',
      WECHATY_PUPPET_SERVICE_TOKEN: 'puppet_padlocal_0000',
    }))!;
    await wechat.start();
    expect(wechat.status()).toMatchObject({
      state: 'logged_out',
      puppet: 'wechaty-puppet-padlocal',
      error: expect.stringMatching(/padlocal/i),
    });
    await wechat.stop();
  });
});
