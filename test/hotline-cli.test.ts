import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { templateDbPath, testTmpDir } from './helpers/global-setup.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

function run(script: string, args: string[], dataDir: string) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', script, ...args], {
    cwd: root,
    encoding: 'utf8',
    env: { ...process.env, DATA_DIR: dataDir, LOG_LEVEL: 'warn', HOTLINE_MAPPING: '' },
  });
  return { stdout: r.stdout, stderr: r.stderr, status: r.status };
}

describe('npm run hotline:import / hotline:export', () => {
  it('prints the report (row numbers of malformed rows), creates nothing twice, and exports in the hotline layout', () => {
    const dir = path.join(testTmpDir(), randomUUID());
    mkdirSync(dir, { recursive: true });
    copyFileSync(templateDbPath(), path.join(dir, 'gridline.db')); // migrated already: the script only seeds
    const file = path.join(dir, 'orders.csv');
    writeFileSync(
      file,
      '\uFEFF工单编号,受理时间,来电人,联系电话,诉求内容,诉求地址,所属街道,办理时限\r\n' +
        'WH2026110500001,2026/11/05 09:12,张先生,13900002001,航空路有流动摊贩占道经营,江汉区航空路3号,万松街道,2026-11-07 17:30:00\r\n' +
        'WH2026110500002,2026/13/05 09:12,李女士,13900002002,楼下饭馆油烟直排,江汉区万松园路8号,万松街道,\r\n',
    );
    const first = run('scripts/hotline-import.ts', [file], dir);
    expect(first.stdout).toContain('共 2 条：新建 1，已导入跳过 0，失败 1');
    expect(first.stdout).toContain('失败 第 3 行（WH2026110500002）：受理时间“2026/13/05 09:12”无法识别');
    expect(first.status).toBe(1); // a failed row is worth a non-zero exit in scripts
    const second = run('scripts/hotline-import.ts', [file], dir);
    expect(second.stdout).toContain('新建 0，已导入跳过 1，失败 1');

    const out = path.join(dir, 'results.csv');
    const exp = run('scripts/hotline-export.ts', ['--from', '2026-11-01', '--to', '2026-11-30', '--out', out], dir);
    expect(exp.status).toBe(0);
    expect(exp.stdout).toContain('已导出 1 条');
    const lines = readFileSync(out, 'utf8')
      .replace(/^\uFEFF/, '')
      .trim()
      .split('\r\n');
    expect(lines[0]).toBe('工单编号,办理结果,答复意见,办结时间,承办单位,网格通案件编号');
    expect(lines[1]).toMatch(/^WH2026110500001,办理中,,,万松街道,JH-\d{8}-0001$/);
  }, 120_000);
});
