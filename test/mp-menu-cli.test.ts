// npm run mp:menu against the 公众号 emulator: the menu from configuration, through menu/create.
import { execFile } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFakeClock } from './helpers/fake-clock.ts';
import { testTmpDir } from './helpers/global-setup.ts';
import { startMpEmulator, type MpEmulator } from './helpers/mp-emulator.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const run = promisify(execFile);
let emu: MpEmulator;

beforeAll(async () => {
  emu = await startMpEmulator({ callbackUrl: 'http://127.0.0.1:9/mp/callback', clock: createFakeClock().now });
});
afterAll(async () => emu?.close());

describe('npm run mp:menu', () => {
  it('creates 我要反映 / 我的报告 / 权力清单 through menu/create', async () => {
    const dataDir = path.join(testTmpDir(), randomUUID());
    mkdirSync(dataDir, { recursive: true });
    const { stdout } = await run(process.execPath, ['--import', 'tsx', path.join(root, 'scripts/mp-menu.ts')], {
      cwd: root,
      env: {
        ...process.env,
        DATA_DIR: dataDir,
        LOG_LEVEL: 'warn',
        PUBLIC_URL: 'https://gridline.jianghan.example.cn',
        WECHAT_MP_APP_ID: emu.appId,
        WECHAT_MP_SECRET: emu.secret,
        WECHAT_MP_API_ROOT: emu.url,
      },
    });
    expect(stdout).toContain('我要反映 / 我的报告 / 权力清单');
    expect(emu.menus).toEqual([
      {
        button: [
          { type: 'view', name: '我要反映', url: 'https://gridline.jianghan.example.cn/mp/oauth/start' },
          { type: 'click', name: '我的报告', key: 'MY_REPORTS' },
          { type: 'view', name: '权力清单', url: 'https://gridline.jianghan.example.cn/power-list' },
        ],
      },
    ]);
  });
});
