import { spawn } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createBot } from '../../app/create-bot.ts';
import { createDomain } from '../../app/create-domain.ts';
import { recoverAfterRestart } from '../../app/recover-after-restart.ts';
import type { InboundMessage } from '../../bot/inbound-types.ts';
import { createPrismaClient, sqlOf, walDurabilityOf } from '../../db/prisma-client.ts';
import { seedReferenceData } from '../../db/seed.ts';
import { silentLogger, testConfig } from '../helpers/test-config.ts';
import { createTestDb } from '../helpers/test-db.ts';

const writer = path.resolve(import.meta.dirname, '../helpers/crash-writer.ts');
const crashBot = path.resolve(import.meta.dirname, '../helpers/crash-bot.ts');

/** Runs a helper script as one process (tsx as a loader, not its CLI, which would fork a child that outlives the kill). */
function runUntil(script: string, args: string[], killWhen: (line: string) => boolean): Promise<string[]> {
  const child = spawn(process.execPath, ['--import', 'tsx', script, ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
  const lines: string[] = [];
  return new Promise((resolve) => {
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      for (const line of chunk.trim().split('\n')) {
        lines.push(line);
        if (killWhen(line)) child.kill('SIGKILL');
      }
    });
    child.on('exit', () => resolve(lines));
  });
}

describe('an acknowledged commit', () => {
  // Was synchronous=FULL, whose fsync inside COMMIT held the event loop (~2 ms a photo report).
  // Now the connection runs NORMAL and Gridline fsyncs the WAL on the thread pool before it
  // acknowledges anything (sql-connection.ts walSyncer): the same promise, off the loop.
  it('is synced to disk before it is acknowledged (the WAL fsynced off the event loop), so power loss cannot undo it', async () => {
    const { db } = await createTestDb('sqlite');
    const [mode] = await db.$queryRawUnsafe<Array<{ journal_mode: string }>>('PRAGMA journal_mode');
    const [sync] = await db.$queryRawUnsafe<Array<{ synchronous: bigint | number }>>('PRAGMA synchronous');
    expect(mode?.journal_mode).toBe('wal');
    expect(Number(sync?.synchronous)).toBe(1); // NORMAL: COMMIT itself does not fsync the WAL…
    const wal = walDurabilityOf(db)!;
    expect(wal.enabled).toBe(true); // …Gridline does, before acknowledging
    const { stats } = wal;

    // Raw units: each is acknowledged only once an fsync that began after its COMMIT is done.
    const acks: Array<{ durable: number; commits: number }> = [];
    await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        sqlOf(db)
          .transaction((tx) =>
            tx.run('INSERT INTO "ProcessedUpdate" ("channel", "updateId") VALUES (?, ?)', 'wal', `u${i}`),
          )
          .then(() => acks.push({ durable: stats.durable, commits: stats.commits })),
      ),
    );
    expect(acks).toHaveLength(40);
    for (const a of acks) expect(a.durable).toBeGreaterThan(0);
    expect(stats.durable).toBe(stats.commits); // nothing committed is left unsynced once all are acknowledged
    expect(stats.fsyncs).toBeLessThan(40); // shared: one fsync covers the commits made while the last ran

    // Prisma's own writes, alone and in a transaction, wait for theirs too.
    const before = stats.commits;
    await db.processedUpdate.create({ data: { channel: 'wal', updateId: 'prisma' } });
    expect(stats.commits).toBe(before + 1);
    expect(stats.durable).toBe(stats.commits);
    await db.$transaction(async (tx) => {
      await tx.processedUpdate.create({ data: { channel: 'wal', updateId: 'prisma-tx' } });
    });
    expect(stats.commits).toBe(before + 2);
    expect(stats.durable).toBe(stats.commits);
    // A read changes nothing and syncs nothing.
    await db.processedUpdate.count();
    expect(stats.commits).toBe(before + 2);
    await db.$disconnect();
  });

  // Every API request signs in by a read in a raw unit (db/token-store.ts tokenRow). Each batch of
  // such reads started an fsync of its own and the requests waited for it; /healthz, a read
  // through Prisma, waited for the one under way and the one queued behind it. Under another
  // process's disk writes an fsync took up to 100 ms, and every request and /healthz waited as long.
  it('is not needed for a batch of units that wrote nothing: reads in units start no fsync, and still see only what is on disk', async () => {
    const { db } = await createTestDb('sqlite');
    const { stats } = walDurabilityOf(db)!;
    const read = () =>
      sqlOf(db).transaction((tx) => tx.get<{ n: number }>('SELECT COUNT(*) AS n FROM "ProcessedUpdate"'));
    await Promise.all(Array.from({ length: 16 }, read));
    const before = { ...stats };
    await Promise.all(Array.from({ length: 16 }, read));
    await read();
    expect(stats.fsyncs).toBe(before.fsyncs);
    expect(stats.commits).toBe(before.commits);

    // A batch with one write among the reads is synced before any of them is acknowledged.
    const seen: Array<{ durable: number; commits: number }> = [];
    await Promise.all([
      ...Array.from({ length: 8 }, () => read().then(() => seen.push({ ...stats }))),
      sqlOf(db)
        .transaction((tx) =>
          tx.run('INSERT INTO "ProcessedUpdate" ("channel", "updateId") VALUES (?, ?)', 'wal', 'among-reads'),
        )
        .then(() => seen.push({ ...stats })),
      ...Array.from({ length: 8 }, () => read().then(() => seen.push({ ...stats }))),
    ]);
    expect(seen).toHaveLength(17);
    for (const s of seen) expect(s.durable).toBe(s.commits);
    expect(stats.commits).toBe(before.commits + 1);
    await db.$disconnect();
  });
});

describe('a process killed with SIGKILL in the middle of writes', () => {
  it('loses no committed data, and the database opens cleanly', async () => {
    const { db, url } = await createTestDb('sqlite');
    await db.$disconnect();

    const acked = await runUntil(writer, [url], (line) => Number(line) >= 300);
    const lastAcked = Number(acked.at(-1));
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

describe('a bot process killed with SIGKILL while it handles a message', () => {
  it('handles the redelivered message after the restart, and the chat is not held behind a dead lease', async () => {
    const { db, url, dir } = await createTestDb('sqlite');
    await seedReferenceData(db);
    await db.$disconnect();
    const at = '2026-03-02T02:00:00.000Z';
    const message: InboundMessage = {
      channel: 'telegram',
      chatId: '4242',
      userId: '4242',
      updateId: '9001',
      displayName: '居民',
      text: '人行道上有人摆摊卖烤红薯，把路都占了',
    };

    const lines = await runUntil(crashBot, [url, dir, at, JSON.stringify(message)], (l) => l === 'handling');
    expect(lines).toContain('handling');

    // The restart: a new process on the same file, started the way main.ts starts.
    const reopened = await createPrismaClient(url);
    const clock = () => new Date(at);
    const logger = silentLogger();
    const domain = await createDomain({ db: reopened, config: testConfig(dir), logger, clock });
    await recoverAfterRestart({ outbox: domain.outbox, clock, logger });
    const bot = createBot({ db: reopened, domain, config: testConfig(dir), logger });

    // Telegram delivers the update again: it is handled, not dismissed as a repeat.
    const replies = await bot.runtime.receive(message);
    expect(replies.map((r) => r.text).join()).toContain('位置');
    const queued = await reopened.outboxMessage.findMany({ where: { chatId: '4242' }, orderBy: { id: 'asc' } });
    expect(queued.map((r) => JSON.parse(r.payload).text as string)).toEqual([
      '上一条回复',
      expect.stringContaining('位置'),
    ]);
    // The reply the dead process was sending goes out at once, not after its five-minute lease.
    const due = await domain.outbox.claimDue(clock(), 10);
    expect(due.map((r) => r.message.text)).toEqual(['上一条回复']);
    await reopened.$disconnect();
  });
});
