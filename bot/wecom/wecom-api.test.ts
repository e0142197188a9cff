import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFakeClock } from '../../test/helpers/fake-clock.ts';
import { silentLogger } from '../../test/helpers/test-config.ts';
import { startWecomEmulator, type WecomEmulator } from '../../test/helpers/wecom-emulator.ts';
import { createWecomApi, WecomApiError } from './wecom-api.ts';

let emu: WecomEmulator;
beforeAll(async () => {
  emu = await startWecomEmulator();
  emu.members.push({ userid: 'zhangsan', name: '张三', department: [2], status: 1 });
});
afterAll(async () => emu?.close());

function api(clock = createFakeClock()) {
  return {
    clock,
    api: createWecomApi({
      apiRoot: emu.apiRoot,
      corpId: emu.corpId,
      secret: emu.secret,
      agentId: emu.agentId,
      clock: clock.now,
      logger: silentLogger(),
    }),
  };
}
const text = (content: string) => ({ touser: 'zhangsan', msgtype: 'text', text: { content } });

describe('WeCom access_token', () => {
  it('is fetched once for concurrent calls and reused until shortly before it expires', async () => {
    const { api: a, clock } = api();
    const before = emu.tokensIssued;
    await Promise.all([a.sendMessage(text('一')), a.sendMessage(text('二')), a.sendMessage(text('三'))]);
    expect(emu.tokensIssued).toBe(before + 1);
    clock.advanceSeconds(7200 - 6 * 60); // still well inside its lifetime
    await a.sendMessage(text('四'));
    expect(emu.tokensIssued).toBe(before + 1);
    clock.advanceSeconds(2 * 60); // within five minutes of expiry: refreshed before WeCom refuses it
    await a.sendMessage(text('五'));
    expect(emu.tokensIssued).toBe(before + 2);
  });

  it('is refreshed once, by one request, when WeCom answers 42001, and the calls are repeated', async () => {
    const { api: a } = api();
    await a.sendMessage(text('前'));
    const before = emu.tokensIssued;
    const sent = emu.sent.length;
    emu.expireTokens();
    await Promise.all([a.sendMessage(text('后一')), a.sendMessage(text('后二'))]);
    expect(emu.tokensIssued).toBe(before + 1);
    expect(emu.sent.length).toBe(sent + 2);
  });

  it('reports a wrong secret as a WeCom error', async () => {
    const wrong = createWecomApi({
      apiRoot: emu.apiRoot,
      corpId: emu.corpId,
      secret: 'wrong',
      agentId: emu.agentId,
      clock: () => new Date(),
      logger: silentLogger(),
    });
    await expect(wrong.sendMessage(text('x'))).rejects.toMatchObject({ errcode: 40001 });
    await expect(wrong.sendMessage(text('x'))).rejects.toBeInstanceOf(WecomApiError);
  });
});
