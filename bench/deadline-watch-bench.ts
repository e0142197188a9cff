/**
 * What the deadline watch's minute pass reads on a kept SQLite benchmark database:
 * `npm run bench -- deadline-watch --db FILE [--reps 5] [--now ISO]` (as `npm run bench -- api
 * --keep` leaves it; nothing is written). Each of the pass's five reads is called through the
 * store as the watch calls it (100 cases, at `now`), `--reps` times after one warm-up, on the
 * connection the server writes through; then the plans of the 督办 and 超期上报 statements, and
 * of the same conditions as Prisma sent them before (`status IN (?, ?, ?)`, which no partial
 * index matches on SQLite).
 */
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import Database from 'better-sqlite3';
import * as store from '../db/deadline-watch-store.ts';
import { createOutboxStore } from '../db/outbox-store.ts';
import { createPrismaClient } from '../db/prisma-client.ts';
import { sqlDate } from '../db/sql-values.ts';

const out = (line: string) => process.stdout.write(`${line}\n`);
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const LIMIT = 100;
// config defaults: REMINDER_BEFORE_HOURS, OVERDUE_ESCALATE_HOURS, AUTO_VERIFY_DAYS.
const REMIND_BEFORE_HOURS = 4;
const ESCALATE_AFTER_HOURS = 24;
const AUTO_VERIFY_DAYS = 3;

const OPEN = `"status" IN (?, ?, ?)`;
const PRISMA_FORM = {
  overdueUnnotified: `SELECT "id" FROM "Case" WHERE ${OPEN} AND "dueAt" <= ? AND "overdueNotifiedAt" IS NULL ORDER BY "dueAt" ASC LIMIT ? OFFSET ?`,
  escalationDue: `SELECT "id" FROM "Case" WHERE ${OPEN} AND "handling" IN (?, ?) AND "dueAt" <= ? AND "overdueEscalatedAt" IS NULL ORDER BY "dueAt" ASC LIMIT ? OFFSET ?`,
};

export async function run(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: {
      db: { type: 'string', default: '' },
      reps: { type: 'string', default: '5' },
      now: { type: 'string', default: '' },
    },
  });
  if (!values.db) throw new Error('--db FILE: a kept SQLite benchmark database');
  const reps = Number(values.reps);
  const now = values.now ? new Date(values.now) : new Date();
  const db = await createPrismaClient(`file:${values.db}`);
  const watch = store.createDeadlineWatchStore(db, createOutboxStore(db, { clock: () => now }));
  const steps: Array<[string, () => Promise<unknown[]>]> = [
    ['responseOverdue', () => watch.responseOverdue(now, LIMIT)],
    ['dueSoon', () => watch.dueSoon(now, new Date(now.getTime() + REMIND_BEFORE_HOURS * HOUR), LIMIT)],
    ['overdueUnnotified', () => watch.overdueUnnotified(now, LIMIT)],
    ['escalationDue', () => watch.escalationDue(new Date(now.getTime() - ESCALATE_AFTER_HOURS * HOUR), LIMIT)],
    ['autoVerifyDue', () => watch.autoVerifyDue(new Date(now.getTime() - AUTO_VERIFY_DAYS * DAY), LIMIT)],
  ];
  out(`deadline watch reads at ${now.toISOString()}: ${values.db}, ${reps} runs each after one warm-up`);
  out(`${'step'.padEnd(20)}${'cases'.padStart(6)}   ms per call (each run)`);
  const passes = Array<number>(reps).fill(0);
  for (const [name, call] of steps) {
    const found = (await call()).length;
    const ms: number[] = [];
    for (let i = 0; i < reps; i++) {
      const t0 = performance.now();
      await call();
      ms.push(performance.now() - t0);
      passes[i]! += ms[i]!;
    }
    out(`${name.padEnd(20)}${String(found).padStart(6)}   ${ms.map((m) => m.toFixed(2)).join('  ')}`);
  }
  out(`${'whole pass'.padEnd(26)}   ${passes.map((m) => m.toFixed(2)).join('  ')}`);
  await db.$disconnect();

  const raw = new Database(values.db, { readonly: true, fileMustExist: true });
  const plan = (sql: string, params: unknown[]) =>
    (raw.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...params) as Array<{ detail: string }>)
      .map((r) => `    ${r.detail}`)
      .join('\n');
  const at = sqlDate(now);
  const before = sqlDate(new Date(now.getTime() - ESCALATE_AFTER_HOURS * HOUR));
  const open = ['triage', 'dispatched', 'accepted'];
  // The store's own statements where it has them (from the change that made them raw SQL).
  const own = store as { OVERDUE_UNNOTIFIED_SQL?: string; ESCALATION_DUE_SQL?: string };
  if (own.OVERDUE_UNNOTIFIED_SQL) out(`overdueUnnotified:\n${plan(own.OVERDUE_UNNOTIFIED_SQL, [at, LIMIT])}`);
  if (own.ESCALATION_DUE_SQL) out(`escalationDue:\n${plan(own.ESCALATION_DUE_SQL, [before, LIMIT])}`);
  out(`overdueUnnotified, as Prisma sent it:\n${plan(PRISMA_FORM.overdueUnnotified, [...open, at, LIMIT, 0])}`);
  out(
    `escalationDue, as Prisma sent it:\n${plan(PRISMA_FORM.escalationDue, [...open, 'street', 'department', before, LIMIT, 0])}`,
  );
  raw.close();
  const [l1, l5] = loadavg();
  out(`machine load average ${l1!.toFixed(1)} ${l5!.toFixed(1)}`);
}
