// The staff tools run beside a running server (issue 15): main.ts in a child process, the
// command-line tools as child processes against the same DATA_DIR, while the server serves.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import Database from 'better-sqlite3';
import { copyFileSync, mkdirSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { templateDbPath, testTmpDir } from './helpers/global-setup.ts';
import { freePort } from './helpers/free-port.ts';

const root = path.resolve(import.meta.dirname, '..');

let dir = '';
let base = '';
let server: ChildProcess | undefined;
let serverLog = '';

function run(script: string, args: string[]) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', script, ...args], {
    cwd: root,
    encoding: 'utf8',
    timeout: 60_000,
    env: { ...process.env, DATA_DIR: dir, DATABASE_URL: '', LOG_LEVEL: 'warn' },
  });
  return { stdout: r.stdout, stderr: r.stderr, status: r.status };
}

beforeAll(async () => {
  dir = path.join(testTmpDir(), randomUUID());
  mkdirSync(dir, { recursive: true });
  copyFileSync(templateDbPath(), path.join(dir, 'gridline.db'));
  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  server = spawn(process.execPath, ['--import', 'tsx', 'main.ts'], {
    cwd: root,
    env: {
      ...process.env,
      DATA_DIR: dir,
      DATABASE_URL: '',
      PORT: String(port),
      HOST: '127.0.0.1',
      LOG_LEVEL: 'warn',
      TELEGRAM_BOT_TOKEN: '',
      WECHATY_PUPPET: '',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  server.stdout!.on('data', (d: Buffer) => (serverLog += d.toString()));
  server.stderr!.on('data', (d: Buffer) => (serverLog += d.toString()));
  for (let i = 0; ; i++) {
    if (i > 900 || server.exitCode !== null) throw new Error(`server did not start:\n${serverLog}`);
    const up = await fetch(`${base}/healthz`).then(
      (r) => r.ok,
      () => false,
    );
    if (up) break;
    await sleep(100);
  }
}, 120_000);

afterAll(async () => {
  if (server && server.exitCode === null) {
    const exited = new Promise((r) => server!.once('exit', r));
    server.kill('SIGTERM');
    await exited;
  }
});

describe('staff tools beside a running server', () => {
  it('db:migrate finds the schema current and says so, without an exclusive lock', () => {
    const r = run('scripts/db-migrate.ts', []);
    expect(r.stderr).not.toContain('SocketTimeout');
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('Database is up to date.');
  }, 60_000);

  it('bind-code:create issues a code while the server runs', async () => {
    const r = run('scripts/bind-code-create.ts', ['--role', 'inspector', '--street', '万松街道', '--name', '李巡查']);
    expect(r.stderr).not.toContain('SocketTimeout');
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/\/bind [A-Z0-9-]+/);
  }, 60_000);

  it('token:create makes a staff token the running server accepts at once', async () => {
    const r = run('scripts/token-create.ts', ['--role', 'team_lead', '--street', '万松街道', '--name', '张队长']);
    expect(r.stderr).not.toContain('SocketTimeout');
    expect(r.status).toBe(0);
    const token = r.stdout.trim();
    const res = await fetch(`${base}/api/cases`, { headers: { authorization: `Bearer ${token}` } });
    expect(res.status).toBe(200);
  }, 60_000);

  it('npm run staff: list, post, role, transfer and deactivate, each printed in Chinese with ids', async () => {
    const made = run('scripts/token-create.ts', ['--role', 'enforcer', '--street', '万松街道', '--name', '王队员']);
    expect(made.status).toBe(0);
    const token = made.stdout.trim();
    const id = Number(/人员 #(\d+)/.exec(made.stderr)?.[1]);
    expect(id).toBeGreaterThan(0);

    const list = run('scripts/staff.ts', ['list', '--street', '万松街道']);
    expect(list.status).toBe(0);
    expect(list.stdout).toMatch(new RegExp(`#${id}\t王队员\t执法队员\t万松街道`));

    const define = run('scripts/staff.ts', [
      'post',
      'define',
      '--street',
      '万松街道',
      '--name',
      '占道经营岗',
      '--covers',
      'SR-001,市容市政',
    ]);
    expect(define.status).toBe(0);
    expect(define.stdout).toMatch(/已设立岗位 #\d+ 占道经营岗（万松街道城管执法队），负责：SR-001、市容市政/);
    const assign = run('scripts/staff.ts', ['post', 'assign', '--id', String(id), '--post', '占道经营岗']);
    expect(assign.status).toBe(0);
    expect(assign.stdout).toContain(`已为 #${id} 王队员（执法队员）设岗`);

    const role = run('scripts/staff.ts', ['role', '--id', String(id), '--role', 'inspector']);
    expect(role.stdout).toContain(`已将 #${id} 王队员 的角色从执法队员改为巡查员`);
    const moved = run('scripts/staff.ts', ['transfer', '--id', String(id), '--street', '北湖街道']);
    expect(moved.status).toBe(0);
    expect(moved.stdout).toContain('从万松街道调往北湖街道');

    // Errors: a clear message and exit 1, nothing changed.
    const unknown = run('scripts/staff.ts', ['transfer', '--id', String(id), '--street', '火星街道']);
    expect(unknown.status).toBe(1);
    expect(unknown.stderr).toContain('没有名为“火星街道”的街道');
    const missing = run('scripts/staff.ts', ['deactivate', '--id', '999999']);
    expect(missing.status).toBe(1);
    expect(missing.stderr).toContain('没有编号为 999999 的工作人员');
    expect(run('scripts/staff.ts', ['fly']).status).toBe(1);

    // Deactivation reaches the running server at once: its token no longer signs in.
    const auth = { authorization: `Bearer ${token}` };
    expect((await fetch(`${base}/api/cases`, { headers: auth })).status).toBe(200);
    const off = run('scripts/staff.ts', ['deactivate', '--id', String(id)]);
    expect(off.status).toBe(0);
    expect(off.stdout).toContain(`已停用 #${id} 王队员（巡查员）`);
    expect(off.stdout).toContain('吊销 API 令牌 1 个');
    expect((await fetch(`${base}/api/cases`, { headers: auth })).status).toBe(401);
    expect(run('scripts/staff.ts', ['list', '--all']).stdout).toMatch(new RegExp(`#${id}\t王队员.*已停用`));
  }, 300_000);

  it('db:migrate with a migration pending says the server holds the database, instead of SocketTimeout', () => {
    // As after deploying new code before restarting: the newest migration is not recorded yet.
    const file = path.join(dir, 'gridline.db');
    const raw = new Database(file, { timeout: 10_000 });
    const last = raw.prepare('SELECT * FROM _prisma_migrations ORDER BY migration_name DESC LIMIT 1').get() as Record<
      string,
      unknown
    >;
    raw.prepare('DELETE FROM _prisma_migrations WHERE id = ?').run(last.id);
    try {
      const r = run('scripts/db-migrate.ts', []);
      expect(r.status).toBe(1);
      expect(r.stderr).toContain('请重启服务器（启动时会自动迁移）');
      expect(r.stderr).toContain(String(last.migration_name));
      expect(r.stderr).not.toContain('SocketTimeout');
    } finally {
      const cols = Object.keys(last);
      raw
        .prepare(`INSERT INTO _prisma_migrations (${cols.join(',')}) VALUES (${cols.map(() => '?').join(',')})`)
        .run(...cols.map((c) => last[c] as string | number | null));
      raw.close();
    }
  }, 120_000);
});
