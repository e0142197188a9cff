// npm run bench -- api [--cases 100000] [--requests 300] [--clients 16] [--readers 2] [--keep] [--db FILE] [--only ROWS]
// The read API under a district's worth of data: a temp SQLite database built by the migrations,
// the organisation and power list seeded, 100,000 cases inserted through better-sqlite3, then
// p50/p99 of app.inject() with 16 concurrent clients for the case list, the case detail and the
// statistics, /healthz p99 meanwhile and the longest event-loop stall. Targets (issue 17.5):
// p99 < 100 ms, /healthz p99 < 50 ms, no stall > 50 ms.
import { mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import Database from 'better-sqlite3';
import { createDomain } from '../app/create-domain.ts';
import { loadConfig } from '../config/load-config.ts';
import { createLogger } from '../config/logger.ts';
import { applyMigrations } from '../db/migrate.ts';
import { createPrismaClient, sqlOf } from '../db/prisma-client.ts';
import { attachReaderPool, createReaderPool } from '../db/reader-pool.ts';
import { rebuildRollups } from '../db/stats-rollup.ts';
import { rebuildCaseTally } from '../db/case-tally.ts';
import { seedReferenceData } from '../db/seed.ts';
import { sqlDate } from '../db/sql-values.ts';
import { issueToken } from '../db/token-store.ts';
import { createServer } from '../server/app.ts';
import { percentile } from './percentile.ts';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** Deterministic, so two runs measure the same data. */
function rng(seed: number) {
  let s = seed >>> 0;
  return () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32;
}

const PLACES = [
  '万松园路',
  '青年路',
  '新华路',
  '唐家墩路',
  '常青路',
  '建设大道',
  '解放大道',
  '中山大道',
  '江汉路',
  '前进一路',
  '民意四路',
  '北湖西路',
  '汉兴街',
  '花楼街',
];
const OPENERS = ['居民反映：', '巡查发现：', '群众来电称', '市民拍照举报，', ''];
const TAILS = [
  '，影响通行，请尽快处理。',
  '，已持续多日，附近居民意见很大。',
  '，晚上尤其严重。',
  '。',
  '，希望城管部门尽快到现场查看处理，谢谢！',
];

function statusFor(ageDays: number, r: number): string {
  if (ageDays > 30)
    return r < 0.85 ? 'closed' : r < 0.9 ? 'rejected' : r < 0.94 ? 'merged' : r < 0.97 ? 'resolved' : 'accepted';
  return r < 0.05
    ? 'triage'
    : r < 0.25
      ? 'dispatched'
      : r < 0.55
        ? 'accepted'
        : r < 0.7
          ? 'resolved'
          : r < 0.95
            ? 'closed'
            : r < 0.98
              ? 'rejected'
              : 'merged';
}

async function seedCases(file: string, total: number, now: number): Promise<void> {
  const sql = new Database(file);
  sql.pragma('journal_mode = WAL');
  const streets = sql.prepare('SELECT id, name FROM Street').all() as Array<{ id: number; name: string }>;
  const items = sql
    .prepare(
      `SELECT i.id, i.name, i.level, i.post, i.department, i.handlingHours, i.mode721, i.urgent FROM PowerItem i JOIN PowerListVersion v ON v.id = i.versionId WHERE v.active = 1`,
    )
    .all() as Array<{
    id: number;
    name: string;
    level: string;
    post: string | null;
    department: string | null;
    handlingHours: number;
    mode721: string;
    urgent: number;
  }>;
  const departments = new Map(
    (sql.prepare('SELECT id, name FROM Department').all() as Array<{ id: number; name: string }>).map((d) => [
      d.name,
      d.id,
    ]),
  );
  const rand = rng(20261129);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;

  const insertPerson = sql.prepare(
    'INSERT INTO Person (displayName, phone, role, streetId, createdAt) VALUES (?, ?, ?, ?, ?)',
  );
  const residents: number[] = [];
  const inspectors: number[] = [];
  sql.transaction(() => {
    for (let i = 0; i < 5000; i++)
      residents.push(
        Number(
          insertPerson.run(`居民${i}`, `139${String(i).padStart(8, '0')}`, 'resident', null, sqlDate(new Date(now)))
            .lastInsertRowid,
        ),
      );
    for (const s of streets)
      for (let k = 0; k < 3; k++)
        inspectors.push(
          Number(
            insertPerson.run(`${s.name}巡查员${k}`, null, 'inspector', s.id, sqlDate(new Date(now))).lastInsertRowid,
          ),
        );
  })();

  const cols = [
    'number',
    'text',
    'lat',
    'lng',
    'address',
    'streetId',
    'itemId',
    'handling',
    'post',
    'departmentId',
    'status',
    'urgent',
    'confidence',
    'routingReasons',
    'mode721',
    'outcome',
    'channel',
    'reporterId',
    'reworkCount',
    'reopenCount',
    'postponed',
    'dueAt',
    'createdAt',
    'updatedAt',
    'resolvedAt',
    'closedAt',
  ];
  const ROWS = 200; // rows per INSERT: 200 × 26 parameters stays under SQLite's variable limit
  const stmt = (n: number) =>
    sql.prepare(
      `INSERT INTO "Case" (${cols.join(',')}) VALUES ${Array(n)
        .fill(`(${cols.map(() => '?').join(',')})`)
        .join(',')}`,
    );
  const full = stmt(ROWS);
  const insertRating = sql.prepare('INSERT INTO Rating (caseId, personId, score, createdAt) VALUES (?, ?, ?, ?)');
  const perDay = new Map<string, number>();
  // Created times in order, so ids follow time as they do in production.
  const created = Array.from({ length: total }, () => now - Math.pow(rand(), 1.3) * 365 * DAY).sort((a, b) => a - b);

  let batch: unknown[] = [];
  let rows = 0;
  const flush = () => {
    if (rows === ROWS) full.run(batch);
    else if (rows > 0) stmt(rows).run(batch);
    batch = [];
    rows = 0;
  };
  sql.transaction(() => {
    for (const t of created) {
      const item = pick(items);
      const street = pick(streets);
      const ageDays = (now - t) / DAY;
      const status = statusFor(ageDays, rand());
      const day = new Date(t + 8 * HOUR).toISOString().slice(0, 10).replace(/-/g, '');
      const seq = (perDay.get(day) ?? 0) + 1;
      perDay.set(day, seq);
      const due = t + item.handlingHours * HOUR * (1 + rand());
      const done = status === 'resolved' || status === 'closed';
      const resolved = done ? Math.min(now - HOUR, t + item.handlingHours * HOUR * (0.2 + rand() * 1.6)) : null;
      const closed = status === 'closed' ? Math.min(now, resolved! + rand() * 72 * HOUR) : null;
      const handling = item.level === 'department' ? 'department' : item.level === 'district' ? 'district' : 'street';
      batch.push(
        `JH-${day}-${String(seq).padStart(4, '0')}`,
        `${pick(OPENERS)}${pick(PLACES)}${Math.floor(rand() * 300)}号附近${item.name}${pick(TAILS)}`,
        30.58 + rand() * 0.04,
        114.24 + rand() * 0.06,
        `${pick(PLACES)}${Math.floor(rand() * 300)}号`,
        street.id,
        item.id,
        handling,
        item.post,
        item.department ? (departments.get(item.department) ?? null) : null,
        status,
        item.urgent,
        0.6 + rand() * 0.4,
        '[]',
        done ? item.mode721 : null,
        done ? '经现场核查，已督促当事人整改完毕。' : null,
        pick(['telegram', 'wechat', 'web']),
        pick(residents),
        rand() < 0.05 ? 1 : 0,
        rand() < 0.02 ? 1 : 0,
        rand() < 0.02 ? 1 : 0,
        sqlDate(new Date(due)),
        sqlDate(new Date(t)),
        sqlDate(new Date(t)),
        resolved === null ? null : sqlDate(new Date(resolved)),
        closed === null ? null : sqlDate(new Date(closed)),
      );
      if (++rows === ROWS) flush();
    }
    flush();
    // What intake writes with every case: the day's counter, so numbers continue after these,
    // and the whole-process record the case pages and the case queries read.
    const counter = sql.prepare('INSERT INTO CaseCounter (day, last) VALUES (?, ?)');
    for (const [day, last] of perDay) counter.run(day, last);
    sql.exec(`
      INSERT INTO CaseEvent (caseId, type, fromStatus, toStatus, actorId, actorRole, data, createdAt)
        SELECT id, 'submitted', NULL, CASE WHEN status = 'triage' THEN 'triage' ELSE 'dispatched' END, reporterId, 'reporter', '{}', createdAt FROM "Case";
      INSERT INTO CaseEvent (caseId, type, fromStatus, toStatus, actorId, actorRole, data, createdAt)
        SELECT id, 'registered', NULL, 'dispatched', NULL, 'system', '{}', createdAt FROM "Case" WHERE status <> 'triage';
      INSERT INTO CaseEvent (caseId, type, fromStatus, toStatus, actorId, actorRole, data, createdAt)
        SELECT c.id, 'resolved', 'accepted', 'resolved',
          (SELECT p.id FROM Person p WHERE p.role = 'inspector' AND p.streetId = c.streetId LIMIT 1), 'enforcer', '{}', c.resolvedAt
        FROM "Case" c WHERE c.resolvedAt IS NOT NULL;
      INSERT INTO CaseEvent (caseId, type, fromStatus, toStatus, actorId, actorRole, data, createdAt)
        SELECT id, 'closed', 'verified', 'closed', NULL, 'system', '{}', closedAt FROM "Case" WHERE closedAt IS NOT NULL;
    `);
  })();
  // Every person intake creates has the chat account they wrote from.
  sql.exec(
    `INSERT INTO ChatIdentity (channel, externalId, chatId, personId, createdAt) SELECT 'telegram', 'u' || id, 'u' || id, id, createdAt FROM Person WHERE id NOT IN (SELECT personId FROM ChatIdentity)`,
  );
  // Ratings on 40 % of closed cases; patrol findings, one in three settled on the spot.
  const closedCases = sql
    .prepare(`SELECT id, reporterId, closedAt FROM "Case" WHERE status = 'closed'`)
    .all() as Array<{ id: number; reporterId: number; closedAt: string }>;
  const insertFinding = sql.prepare(
    'INSERT INTO PatrolFinding (inspectorId, text, outcome, createdAt) VALUES (?, ?, ?, ?)',
  );
  sql.transaction(() => {
    for (const c of closedCases)
      if (rand() < 0.4)
        insertRating.run(
          c.id,
          c.reporterId,
          rand() < 0.7 ? 'satisfied' : rand() < 0.7 ? 'basic' : 'unsatisfied',
          c.closedAt,
        );
    for (let i = 0; i < 20_000; i++)
      insertFinding.run(
        pick(inspectors),
        '巡查发现占道经营',
        rand() < 0.33 ? 'settled' : 'case',
        sqlDate(new Date(now - rand() * 365 * DAY)),
      );
  })();
  // Case events the assessment figures read (部门考核, 人员考核): submitted and dispatched for
  // every case, referred and accepted for department cases, assigned and resolved by one of ten
  // enforcers per street, verified for closed cases, rework where reworkCount says so.
  sql.exec(`
    INSERT INTO Person (displayName, role, streetId, createdAt)
      SELECT s."name" || '执法队员' || k.n, 'enforcer', s."id", s."createdAt" FROM Street s,
        (WITH RECURSIVE k(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM k WHERE n < 10) SELECT n FROM k) k;
    INSERT INTO Person (displayName, role, departmentId, createdAt)
      SELECT d."name" || '联络员', 'dept_liaison', d."id", d."createdAt" FROM Department d;
    INSERT INTO CaseEvent (caseId, type, actorRole, data, createdAt)
      SELECT "id", 'submitted', 'reporter', '{}', "createdAt" FROM "Case";
    INSERT INTO CaseEvent (caseId, type, actorRole, data, createdAt)
      SELECT "id", 'dispatched', 'system', '{}', "createdAt" FROM "Case";
    INSERT INTO CaseEvent (caseId, type, actorRole, data, createdAt)
      SELECT c."id", 'referred', 'district_admin', json_object('department', d."name"), c."createdAt"
      FROM "Case" c JOIN Department d ON d."id" = c."departmentId";
    INSERT INTO CaseEvent (caseId, type, actorId, actorRole, data, createdAt)
      SELECT c."id", 'accepted', p."id", 'dept_liaison', '{}', c."resolvedAt"
      FROM "Case" c JOIN Person p ON p."departmentId" = c."departmentId" AND p."role" = 'dept_liaison'
      WHERE c."resolvedAt" IS NOT NULL;
    INSERT INTO CaseEvent (caseId, type, actorId, actorRole, data, createdAt)
      SELECT c."id", e.type, (SELECT p."id" FROM Person p WHERE p."streetId" = c."streetId" AND p."role" = 'enforcer'
                              ORDER BY (p."id" + c."id") % 10 LIMIT 1), 'team_lead', '{}', c."resolvedAt"
      FROM "Case" c, (SELECT 'assigned' AS type UNION ALL SELECT 'resolved') e
      WHERE c."resolvedAt" IS NOT NULL AND c."departmentId" IS NULL;
    INSERT INTO CaseEvent (caseId, type, actorRole, data, createdAt)
      SELECT "id", 'verified', 'inspector', '{}', "closedAt" FROM "Case" WHERE "closedAt" IS NOT NULL;
    INSERT INTO CaseEvent (caseId, type, actorRole, data, createdAt)
      SELECT "id", 'rework', 'inspector', '{}', "closedAt" FROM "Case" WHERE "reworkCount" > 0 AND "closedAt" IS NOT NULL;
  `);
  sql.exec('ANALYZE');
  sql.close();
}

export async function run(argv: string[] = []): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      cases: { type: 'string', default: '100000' },
      requests: { type: 'string', default: '300' },
      clients: { type: 'string', default: '16' },
      readers: { type: 'string', default: '2' },
      keep: { type: 'boolean', default: false },
      // Comma-separated parts of row names: only those rows run (the /healthz baseline always does).
      only: { type: 'string', default: '' },
      // An existing benchmark database (from --keep): no seeding.
      db: { type: 'string', default: '' },
    },
  });
  const total = Number(values.cases);
  const n = Number(values.requests);
  const clients = Number(values.clients);
  const reuse = values.db !== '';
  const dir = reuse ? path.dirname(values.db) : mkdtempSync(path.join(os.tmpdir(), 'gridline-api-bench-'));
  const file = reuse ? values.db : path.join(dir, 'bench.db');
  const url = `file:${file}`;
  const t0 = performance.now();
  if (!reuse) await applyMigrations(url);
  const db = await createPrismaClient(url);
  const now = Date.now();
  if (!reuse) {
    await seedReferenceData(db);
    await seedCases(file, total, now);
    // The seeder writes around the case store, as an import would: the rollups are rebuilt once,
    // as `npm run stats:rebuild` does.
    await sqlOf(db).transaction(async (tx) => {
      await rebuildRollups(tx);
      await rebuildCaseTally(tx);
    });
  }
  const seedMs = performance.now() - t0;

  // One client asks everything here: the per-address flood limits would refuse it after 120.
  const config = loadConfig(
    { DATA_DIR: dir, DATABASE_URL: url, LOG_LEVEL: 'silent', ADDRESS_REQUESTS_PER_MINUTE: '100000' },
    dir,
    false,
  );
  const logger = createLogger(config);
  // As main.ts does: heavy reads on reader threads (--readers 0: all on the main connection).
  const readers = Number(values.readers) > 0 ? createReaderPool(url, Number(values.readers)) : null;
  if (readers) attachReaderPool(db, readers);
  const app = await createServer({ config, logger, db, domain: await createDomain({ db, config, logger }) });
  const wansong = await db.street.findUniqueOrThrow({ where: { name: '万松街道' } });
  const admin = await db.person.create({ data: { displayName: '区局管理员', role: 'district_admin' } });
  const lead = await db.person.create({ data: { displayName: '张队长', role: 'team_lead', streetId: wansong.id } });
  const auth = {
    admin: `Bearer ${await issueToken(db, admin.id, 'bench')}`,
    lead: `Bearer ${await issueToken(db, lead.id, 'bench')}`,
  };
  const ws = encodeURIComponent('万松街道');
  const numbers = (await db.case.findMany({ select: { number: true }, take: 500, orderBy: { id: 'desc' } })).map(
    (c) => c.number,
  );
  let detail = 0;
  // The cursor of page 50, walked once: keyset paging costs the same at any depth.
  let deepCursor = '';
  for (let i = 1; i < 50; i++) {
    const res = await app.inject({
      url: `/api/cases?cursor=${encodeURIComponent(deepCursor)}`,
      headers: { authorization: auth.admin },
    });
    deepCursor = (res.json() as { nextCursor: string }).nextCursor;
  }
  // Statistics are cached for 30 s per scope and period; a "cold" row shifts the period's start
  // by one millisecond per request, so every request misses the cache and aggregates afresh.
  const monthAgo = now - 30 * DAY;
  const yearAgo = now - 364 * DAY;
  let miss = 0;
  const day = (at: number) => new Date(at + 8 * HOUR).toISOString().slice(0, 10);
  const lastMonth = day(new Date(new Date(now + 8 * HOUR).setUTCDate(0)).getTime() - 8 * HOUR).slice(0, 7);
  const cold =
    (from: number, extra = '') =>
    () =>
      `/api/stats?from=${new Date(from + ++miss).toISOString()}${extra}`;

  const scenarios: Array<[string, () => string, string | null]> = [
    ['baseline: GET /healthz (noise floor)', () => '/healthz', null],
    ['cases: district admin, default sort', () => '/api/cases', auth.admin],
    ['cases: street filter', () => `/api/cases?street=${ws}`, auth.admin],
    ['cases: overdue=true', () => '/api/cases?overdue=true', auth.admin],
    ['cases: page 50', () => '/api/cases?page=50', auth.admin],
    ['cases: cursor, page 50 (keyset)', () => `/api/cases?cursor=${encodeURIComponent(deepCursor)}`, auth.admin],
    ['case detail', () => `/api/cases/${numbers[++detail % numbers.length]}`, auth.admin],
    ['cases: team lead (own street)', () => '/api/cases', auth.lead],
    ['cases: status=closed, sort=dueAt', () => '/api/cases?status=closed&sort=dueAt', auth.admin],
    ['stats: district, 30 days, cold', cold(monthAgo), auth.admin],
    ['stats: one street, 30 days, cold', cold(monthAgo, `&street=${ws}`), auth.admin],
    ['stats: district, 30 days, cached', () => '/api/stats', auth.admin],
    ['stats: district, one year, cold', cold(yearAgo), auth.admin],
    ['public: closed cases', () => '/api/public/cases', null],
    ['public: page /public', () => '/public', null],
    // A whole board exported (up to EXPORT_MAX_ROWS cases): slow by nature, but it must not stall the loop.
    ['export: cases.csv, 30 days', () => `/exports/cases.csv?from=${day(monthAgo)}`, auth.admin],
    ['export: cases.xlsx, 30 days', () => `/exports/cases.xlsx?from=${day(monthAgo)}`, auth.admin],
    ['public: stats, default 30 days', () => '/api/public/stats', null],
    ['public: stats, last month', () => `/api/public/stats?month=${lastMonth}`, null],
    // Refused (400) before any aggregation: what one anonymous caller asking for two years costs now.
    ['public: stats, 731 days (refused)', () => `/api/public/stats?from=${day(now - 730 * DAY)}&to=${day(now)}`, null],
  ];
  // Concurrency: `clients` callers ask the scenario at once over real HTTP keep-alive sockets
  // (each waits for its answer before asking again) while a prober asks /healthz every 10 ms;
  // the event-loop delay monitor shows how long any one request held the loop. The clients run
  // in this process (their cost is small next to the server's), so the stall they see is the
  // stall a browser or a chat webhook would see. app.inject() would not do: it never yields to
  // the event loop, so a run of injected requests is one long task.
  await app.listen({ host: '127.0.0.1', port: 0 });
  // Idle keep-alive sockets between rows must not be closed under the agent, nor a slow row cut off.
  app.server.keepAliveTimeout = 600_000;
  app.server.requestTimeout = 0;
  app.server.headersTimeout = 0; // a request queued behind a stalled loop is slow, not malformed
  const port = (app.server.address() as AddressInfo).port;
  const agent = new http.Agent({ keepAlive: true, maxSockets: clients + 4 });
  const get = (url: string, headers: Record<string, string>) =>
    new Promise<{ statusCode: number; body: string }>((resolve, reject) => {
      const req = http.get({ host: '127.0.0.1', port, path: url, headers, agent }, (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (body += chunk));
        res.on('end', () => resolve({ statusCode: res.statusCode ?? 0, body }));
      });
      req.on('error', reject);
    });
  const results: Array<{
    name: string;
    p50: number;
    p99: number;
    max: number;
    health99: number;
    loopMax: number;
    total: number;
  }> = [];
  const only = values.only
    .split(',')
    .map((x) => x.trim())
    .filter(Boolean);
  for (const [name, url, authorization] of scenarios) {
    if (only.length && !name.startsWith('baseline') && !only.some((o) => name.includes(o))) continue;
    const headers: Record<string, string> = authorization ? { authorization } : {};
    let totalItems = 0;
    // The one-year aggregation was slow by nature: fewer repetitions keep the run short.
    const reps = name.includes('one year') ? Math.min(n, 32) : name.startsWith('export') ? Math.min(n, 16) : n;
    for (let i = 0; i < 4; i++) await get(url(), headers); // warm-up
    const times: number[] = [];
    const health: number[] = [];
    let left = reps;
    let running = true;
    const prober = (async () => {
      while (running) {
        const start = performance.now();
        await get('/healthz', {});
        health.push(performance.now() - start);
        await new Promise((r) => setTimeout(r, 10));
      }
    })();
    const loop = monitorEventLoopDelay({ resolution: 5 });
    loop.enable();
    const client = async () => {
      while (left-- > 0) {
        const start = performance.now();
        const res = await get(url(), headers);
        times.push(performance.now() - start);
        const expected = name.includes('(refused)') ? 400 : 200;
        if (res.statusCode !== expected) throw new Error(`${name}: ${res.statusCode} ${res.body}`);
        if (totalItems === 0 && name.includes('.csv')) totalItems = res.body.split('\n').length - 2;
        else if (totalItems === 0 && (name.includes('.xlsx') || name.startsWith('public: page'))) totalItems = 1;
        else if (totalItems === 0) {
          const body = JSON.parse(res.body) as { total?: number; items?: unknown[]; totals?: { total: number } };
          totalItems = body.total ?? body.totals?.total ?? body.items?.length ?? 0;
        }
      }
    };
    await Promise.all(Array.from({ length: clients }, client));
    await new Promise((r) => setTimeout(r, 20)); // the monitor's last sample
    loop.disable();
    running = false;
    await prober;
    times.sort((a, b) => a - b);
    health.sort((a, b) => a - b);
    process.stderr.write(`${name}: p99 ${percentile(times, 99).toFixed(1)} ms\n`);
    results.push({
      name: `${name}${reps < n ? ` (${reps}×)` : ''}`,
      p50: percentile(times, 50),
      p99: percentile(times, 99),
      max: times[times.length - 1]!,
      health99: percentile(health, 99),
      loopMax: loop.max / 1e6,
      total: totalItems,
    });
  }

  const pad = (s: string, w: number) =>
    s + ' '.repeat(Math.max(0, w - [...s].reduce((k, ch) => k + (ch.charCodeAt(0) > 0x2e80 ? 2 : 1), 0)));
  const num = (x: number) => x.toFixed(1).padStart(8);
  console.log(
    `\nAPI benchmark: ${total.toLocaleString('en')} cases, ${clients} concurrent clients, ${n} requests per row after 4 warm-up (seeded in ${(seedMs / 1000).toFixed(1)} s)`,
  );
  console.log(
    `machine: ${os.cpus().length} CPUs, load average ${os
      .loadavg()
      .map((x) => x.toFixed(1))
      .join(' ')} at the end of the run\n`,
  );
  console.log(
    `${pad('scenario', 40)} ${'p50 ms'.padStart(8)} ${'p99 ms'.padStart(8)} ${'max ms'.padStart(8)} ${'hz p99'.padStart(8)} ${'loop max'.padStart(8)} ${'matches'.padStart(9)}  p99<100 hz<50 loop<50`,
  );
  console.log('-'.repeat(120));
  for (const r of results) {
    const ok = (x: number, limit: number) => (x < limit ? 'ok' : 'over');
    console.log(
      `${pad(r.name, 40)} ${num(r.p50)} ${num(r.p99)} ${num(r.max)} ${num(r.health99)} ${num(r.loopMax)} ${String(r.total).padStart(9)}  ${ok(r.p99, 100)}   ${ok(r.health99, 50)} ${ok(r.loopMax, 50)}`,
    );
  }
  console.log('\nhz p99: /healthz p99 while the row ran; loop max: longest event-loop stall (monitorEventLoopDelay)\n');

  agent.destroy();
  await app.close();
  await readers?.close();
  await db.$disconnect();
  if (values.keep || reuse) console.log(`database kept at ${file}`);
  else rmSync(dir, { recursive: true, force: true });
}

/** bench/run.ts calls run(); the default export is the same function. */
export default run;
