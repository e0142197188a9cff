// The staff tools run beside a running server (issue 15): main.ts in a child process, the
// command-line tools as child processes against the same DATA_DIR, while the server serves.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
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
});
