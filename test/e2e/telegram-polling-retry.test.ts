// Polling mode: Telegram never sends an update again once getUpdates has moved past it, so an
// update whose handling failed is tried again by the channel itself.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTelegramChannel, type TelegramChannel } from '../../bot/telegram/telegram-channel.ts';
import type { InboundMessage } from '../../bot/inbound-types.ts';
import pino from 'pino';
import { MALFORMED_UPDATES } from '../helpers/telegram-malformed-updates.ts';
import { testConfig } from '../helpers/test-config.ts';
import { startTelegramEmulator, type TelegramEmulator } from '../helpers/telegram-emulator.ts';

let emu: TelegramEmulator;
let channel: TelegramChannel;
let dir: string;
const attempts = new Map<string, number>();
const handled: string[] = [];
const logs: Array<{ level: number; msg: string; update_id?: number }> = [];

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'gridline-polling-retry-'));
  emu = await startTelegramEmulator();
  channel = createTelegramChannel({
    config: testConfig(dir, { TELEGRAM_BOT_TOKEN: emu.token, TELEGRAM_API_ROOT: emu.apiRoot }),
    logger: pino({ level: 'info' }, { write: (line: string) => void logs.push(JSON.parse(line) as never) }),
    evidence: {
      ingest: async () => {
        throw new Error('no photos here');
      },
      ingestVoice: async () => {
        throw new Error('no voice here');
      },
      readPublic: async () => null,
    },
    notices: { enqueue: async () => {}, kick: () => {} },
    pollingRetryDelaysMs: [50, 50],
    identify: async () => ({ personId: 1, isNew: false }),
    // Fails the first two tries of "数据库忙", every try of "一直失败".
    runtime: {
      async receive(msg: InboundMessage) {
        const text = msg.text ?? '';
        const n = (attempts.get(text) ?? 0) + 1;
        attempts.set(text, n);
        if (text === '一直失败' || (text === '数据库忙' && n <= 2)) throw new Error('SQLITE_BUSY: database is locked');
        handled.push(text);
        return [];
      },
    },
  });
  await channel.start();
});
afterAll(async () => {
  await channel?.stop();
  await emu?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('Telegram polling: a failed update', () => {
  it('is tried again until it is handled, while other updates go on', async () => {
    const u = emu.user({ id: 7001 });
    await u.send('数据库忙');
    await u.send('另一条');
    await expect.poll(() => handled, { timeout: 5000 }).toContain('数据库忙');
    expect(attempts.get('数据库忙')).toBe(3);
    expect(handled).toContain('另一条');
  });

  it('is given up after the last try', async () => {
    const u = emu.user({ id: 7002 });
    await u.send('一直失败');
    await expect.poll(() => attempts.get('一直失败'), { timeout: 5000 }).toBe(3);
    await new Promise((r) => setTimeout(r, 200));
    expect(attempts.get('一直失败')).toBe(3);
    expect(handled).not.toContain('一直失败');
  });

  it('is not retried when it is malformed: logged once, and polling goes on (issue 13.8)', async () => {
    const ids: number[] = [];
    for (const [, body] of MALFORMED_UPDATES) ids.push(await emu.pushUpdate(body));
    const u = emu.user({ id: 7003 });
    await u.send('之后的消息');
    await expect.poll(() => handled, { timeout: 5000 }).toContain('之后的消息');
    await new Promise((r) => setTimeout(r, 200)); // longer than the retry delays
    for (const id of ids) {
      const about = logs.filter((l) => l.update_id === id);
      expect(
        about.map((l) => l.msg),
        String(id),
      ).toEqual(['malformed telegram update ignored']);
    }
  });
});
