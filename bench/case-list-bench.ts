/**
 * What one case-list request costs a reader thread, per board filter, on a kept benchmark
 * database: `npm run bench -- case-list --db FILE` (SQLite; a copy, as `npm run bench -- api
 * --keep` leaves it). Each statement the list sends is recorded, then run again 30 times on a
 * read-only connection of its own and its CPU time (user + system) averaged: unlike the HTTP
 * benchmark's p99 with 16 clients, the figure barely moves with the machine's load.
 */
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import Database from 'better-sqlite3';
import type { Actor } from '../core/case/case-types.ts';
import { listCases, type CaseListQuery } from '../db/case-queries.ts';
import { createPrismaClient } from '../db/prisma-client.ts';
import { attachReaderPool, readerOf } from '../db/reader-pool.ts';
import type { SqlValue } from '../db/sql-connection.ts';

const out = (line: string) => process.stdout.write(`${line}\n`);
const REPS = 30;

export async function run(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: {
      db: { type: 'string', default: '' },
      only: { type: 'string', default: '' },
      sql: { type: 'boolean', default: false },
    },
  });
  if (!values.db)
    throw new Error('--db FILE: a kept SQLite benchmark database (a copy: this run adds nothing, but be safe)');
  const db = await createPrismaClient(`file:${values.db}`);
  const raw = new Database(values.db, { readonly: true, fileMustExist: true });
  const read = readerOf(db);
  const seen: Array<{ sql: string; args: SqlValue[] }> = [];
  attachReaderPool(db, {
    all: Object.assign(
      <T>(sql: string, ...a: SqlValue[]) => {
        seen.push({ sql, args: a });
        return read<T>(sql, ...a);
      },
      { dialect: read.dialect },
    ),
    close: async () => {},
  });
  const street = await db.street.findUniqueOrThrow({ where: { name: '万松街道' } });
  const department = await db.department.findFirstOrThrow({ select: { id: true } });
  const person = (role: Actor['role'], streetId: number | null, departmentId: number | null): Actor => ({
    personId: -1, // nobody: no own reports or followed cases
    role,
    streetId,
    departmentId,
    displayName: role,
  });
  const admin = person('district_admin', null, null);
  const lead = person('team_lead', street.id, null);
  const liaison = person('dept_liaison', null, department.id);
  const rows: Array<[string, Actor, Partial<CaseListQuery>]> = [
    ['district admin, default sort', admin, {}],
    ['street filter', admin, { street: street.name }],
    ['overdue=true', admin, { overdue: true }],
    ['overdue=false', admin, { overdue: false }],
    ['page 50', admin, { page: 50 }],
    ['team lead (own street)', lead, {}],
    ['team lead, page 20', lead, { page: 20 }],
    ['team lead, sort=dueAt', lead, { sort: 'dueAt' }],
    ['team lead, overdue=true', lead, { overdue: true }],
    ['street filter, overdue=true', admin, { street: street.name, overdue: true }],
    ['status=accepted', admin, { status: 'accepted' }],
    ['status=closed, sort=dueAt', admin, { status: 'closed', sort: 'dueAt' }],
    ['sort=number', admin, { sort: 'number' }],
    ['department liaison', liaison, {}],
    ['department liaison, overdue=true', liaison, { overdue: true }],
    ['from: last 30 days', admin, { from: new Date(Date.now() - 30 * 86_400_000).toISOString() }],
    ['q: text search', admin, { q: '占道' }],
    // The API benchmark's search rows (issue 17.5), one term of each.
    ['q: common word', admin, { q: '垃圾' }],
    ['q: rare word', admin, { q: '家禽家畜' }],
    ['q: address part', admin, { q: '唐家墩路' }],
    ['q: number fragment', admin, { q: '260616-16' }],
    ['q: one character', admin, { q: '禽' }],
    ['team lead, q: common word', lead, { q: '垃圾' }],
    ['team lead, q: rare word', lead, { q: '家禽家畜' }],
    ['team lead, q: number fragment', lead, { q: '260616-16' }],
  ];
  const load = () =>
    loadavg()
      .map((x) => x.toFixed(1))
      .join(' ');
  out(`case list, CPU per request on one reader (ms, mean of ${REPS}), ${values.db}; load average ${load()}`);
  // --only TEXT: the rows whose name holds it; --sql: each statement's text after its figure.
  for (const [name, actor, q] of rows.filter(([n]) => n.includes(values.only))) {
    // Asked once before it is recorded, as a server's client has asked it before: what the text
    // search keeps between requests (SearchMemory: a short term's trigrams) is known then.
    await listCases(db, actor, { page: 1, pageSize: 20, ...q }, new Date());
    seen.length = 0;
    await listCases(db, actor, { page: 1, pageSize: 20, ...q }, new Date());
    const each = seen.map(({ sql, args: a }) => {
      const st = raw.prepare(sql);
      st.all(...a);
      const start = process.cpuUsage();
      for (let i = 0; i < REPS; i++) st.all(...a);
      const used = process.cpuUsage(start);
      return (used.user + used.system) / 1000 / REPS;
    });
    const total = each.reduce((s, x) => s + x, 0);
    out(`${name.padEnd(36)} ${total.toFixed(2).padStart(8)}   (${each.map((x) => x.toFixed(2)).join(' + ')})`);
    if (values.sql)
      seen.forEach(({ sql, args: a }, i) =>
        out(`  [${i}] ${each[i]!.toFixed(2)} ms: ${sql}\n      ${JSON.stringify(a).slice(0, 300)}`),
      );
  }
  out(`load average at the end: ${load()}`);
  raw.close();
  await db.$disconnect();
}
