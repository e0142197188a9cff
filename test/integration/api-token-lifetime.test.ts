import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPrismaClient } from '../../db/prisma-client.ts';
import { actorForToken, issueApiToken } from '../../db/token-store.ts';
import { createTestDb } from '../helpers/test-db.ts';
import { createCaseFactory, type TestPerson } from '../helpers/case-factory.ts';
import { createTestApp, type TestApp } from '../helpers/test-app.ts';

const root = path.resolve(import.meta.dirname, '../..');
let t: TestApp;
let lead: TestPerson;

beforeAll(async () => {
  t = await createTestApp();
  lead = await createCaseFactory(t.db).person({ role: 'team_lead', street: '万松街道', name: '张队长' });
});
afterAll(() => t.close());

const read = (token: string) => t.app.inject({ url: '/api/cases', headers: { authorization: `Bearer ${token}` } });

/** The npm script as an operator runs it, against this test's database file. */
function cli(script: string, args: string[], env: Record<string, string>) {
  return spawnSync(process.execPath, ['--import', 'tsx', `scripts/${script}.ts`, ...args], {
    cwd: root,
    encoding: 'utf8',
    env: { ...process.env, ...env, LOG_LEVEL: 'silent' },
  });
}

describe('API tokens', () => {
  it('stop working when they expire', async () => {
    const twoDaysAgo = new Date(Date.now() - 2 * 86_400_000);
    const expired = await issueApiToken(t.db, lead.id, 'old', { days: 1, now: twoDaysAgo });
    const res = await read(expired.token);
    expect(res.statusCode).toBe(401);
    expect(res.json().error.message).toContain('已过期');
    const fresh = await issueApiToken(t.db, lead.id, 'new', { days: 1 });
    expect((await read(fresh.token)).statusCode).toBe(200);
  });

  it('token:create gives every token an expiry; token:revoke ends one by its id', async () => {
    // The scripts migrate their database first, so they get a file no other connection holds.
    const own = await createTestDb();
    const person = await own.db.person.create({ data: { displayName: '区局', role: 'district_admin' } });
    await own.db.$disconnect();
    const env = { DATA_DIR: own.dir, DATABASE_URL: own.url };
    const created = cli('token-create', ['--person-id', String(person.id), '--days', '30'], env);
    expect(created.stderr).toContain('Token #');
    expect(created.status).toBe(0);
    const token = created.stdout.trim();
    const id = Number(/Token #(\d+)/.exec(created.stderr)?.[1]);
    const revoked = cli('token-revoke', ['--id', String(id)], env);
    expect(revoked.stderr).toContain('Revoked 1 token');
    expect(revoked.status).toBe(0);
    expect(cli('token-revoke', ['--id', String(id)], env).status).toBe(1); // nothing live left to revoke

    const db = await createPrismaClient(own.url);
    try {
      const row = await db.apiToken.findUniqueOrThrow({ where: { id } });
      expect((row.expiresAt!.getTime() - row.createdAt.getTime()) / 86_400_000).toBeCloseTo(30, 1);
      expect(row.revokedAt).not.toBeNull();
      expect(await actorForToken(db, token)).toBeNull();
    } finally {
      await db.$disconnect();
    }
    // Three Node processes compiling TypeScript as they start: slow on a busy machine.
  }, 120_000);
});
