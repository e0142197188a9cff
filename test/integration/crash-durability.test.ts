import { spawn } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createPrismaClient } from '../../db/prisma-client.ts';
import { createTestDb } from '../helpers/test-db.ts';

const writer = path.resolve(import.meta.dirname, '../helpers/crash-writer.ts');

describe('a process killed with SIGKILL in the middle of writes', () => {
  it('loses no committed data, and the database opens cleanly', async () => {
    const { db, url } = await createTestDb();
    await db.$disconnect();

    // One process (tsx as a loader, not its CLI, which would fork a child that outlives the kill).
    const child = spawn(process.execPath, ['--import', 'tsx', writer, url], { stdio: ['ignore', 'pipe', 'inherit'] });
    let lastAcked = -1;
    await new Promise<void>((resolve) => {
      child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
        const lines = chunk.trim().split('\n');
        lastAcked = Number(lines[lines.length - 1]);
        if (lastAcked >= 300) child.kill('SIGKILL');
      });
      child.on('exit', () => resolve());
    });
    expect(lastAcked).toBeGreaterThanOrEqual(300);

    const reopened = await createPrismaClient(url);
    const check = await reopened.$queryRawUnsafe<Array<{ integrity_check: string }>>('PRAGMA integrity_check');
    expect(check[0]?.integrity_check).toBe('ok');
    const updates = await reopened.processedUpdate.count({ where: { channel: 'crash' } });
    const runs = await reopened.schedulerRun.count({ where: { job: 'crash' } });
    // Every acknowledged commit survives; both rows of a transaction or neither.
    expect(updates).toBeGreaterThanOrEqual(lastAcked + 1);
    expect(runs).toBe(updates);
    await reopened.$disconnect();
  });
});
