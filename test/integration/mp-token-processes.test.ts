// Several Gridline processes send through one 公众号. Each keeps its own access_token, and
// getAccessToken (cgi-bin/token) gives a new token on every call that ends the one before five
// minutes later, so processes that each fetch their own end each other's tokens: every send after
// that is refused once (40001) and fetches again, ending the other's, from a daily quota of 2,000.
// getStableAccessToken (cgi-bin/stable_token) hands every caller the same token while it is valid.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMpApi, type MpApi } from '../../bot/mp/mp-api.ts';
import { createFakeClock } from '../helpers/fake-clock.ts';
import { captureLogger } from '../helpers/log-capture.ts';
import { startMpEmulator, type MpEmulator } from '../helpers/mp-emulator.ts';

const clock = createFakeClock('2026-05-11T02:00:00.000Z');
let emu: MpEmulator;
beforeAll(async () => {
  emu = await startMpEmulator({ callbackUrl: 'http://127.0.0.1:9/mp/callback', clock: clock.now });
});
afterAll(async () => emu?.close());

const processApi = (): MpApi =>
  createMpApi({
    root: emu.url,
    appId: emu.appId,
    secret: emu.secret,
    clock: clock.now,
    logger: captureLogger().logger,
  });

describe('公众号 access_token shared by several processes', () => {
  it('three processes sending in turn for five hours are never refused a token and fetch about one per expiry', async () => {
    const processes = [processApi(), processApi(), processApi()];
    const before = emu.calls.length;
    // Every ten minutes each process makes a call that needs the token (the menu: no follower budget).
    for (let step = 0; step < 30; step++) {
      for (const p of processes) await p.menuCreate({ button: [{ type: 'click', name: '我的', key: 'MY' }] });
      clock.advanceMinutes(10);
    }
    const calls = emu.calls.slice(before);
    expect(calls.filter((c) => c.errcode === 40001 || c.errcode === 42001)).toEqual([]);
    expect(calls.filter((c) => c.path === '/cgi-bin/menu/create' && c.errcode === 0)).toHaveLength(90);
    // Five hours of tokens valid for two: each process fetches at its start and once per renewal.
    const fetches = calls.filter((c) => c.path.endsWith('token')).length;
    expect(fetches).toBeLessThanOrEqual(3 * 4);
  });

  it('a refused token (ended elsewhere, e.g. by a forced refresh) is fetched again once and the call goes through', async () => {
    const p = processApi();
    const menu = { button: [{ type: 'click', name: '我的', key: 'MY' }] };
    await p.menuCreate(menu);
    emu.expireTokens();
    const before = emu.calls.length;
    await p.menuCreate(menu);
    const calls = emu.calls.slice(before).map((c) => `${c.path} ${c.errcode}`);
    expect(calls).toEqual(['/cgi-bin/menu/create 42001', '/cgi-bin/stable_token 0', '/cgi-bin/menu/create 0']);
  });
});
