// npm run bench -- api [--cases 100000] [--requests 300] [--clients 16] [--readers 2] [--keep] [--db FILE] [--only ROWS]
//                      [--db postgres [--pg-url URL [--seeded]]] [--processes N]
// The read API under a district's worth of data: a temp SQLite database built by the migrations,
// the organisation and power list seeded, 100,000 cases inserted through better-sqlite3 (or the
// same rows on PostgreSQL: api-bench-db.ts), then p50/p99 over HTTP with 16 concurrent clients
// for the case list, the case detail and the statistics, /healthz p99 meanwhile and the longest
// event-loop stall, against a server in this process or N main.ts processes behind a balancer
// (api-bench-server.ts). Targets (issue 17.5): p99 < 100 ms, /healthz p99 < 50 ms, no stall > 50 ms.
import { benchSearchTerms } from './api-search-terms.ts';
import http from 'node:http';
import os from 'node:os';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { issueToken } from '../db/token-store.ts';
import { openBenchDb } from './api-bench-db.ts';
import { startBenchServer } from './api-bench-server.ts';
import { DAY, HOUR } from './api-seed-data.ts';
import { percentile } from './percentile.ts';

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
      // Comma-separated parts of row names to leave out (after --only).
      skip: { type: 'string', default: '' },
      // An existing benchmark database (from --keep): no seeding. `postgres`: PostgreSQL, in a
      // throwaway cluster unless --pg-url names a database (seeded there, or reused with --seeded).
      db: { type: 'string', default: '' },
      'pg-url': { type: 'string', default: '' },
      seeded: { type: 'boolean', default: false },
      // N main.ts processes behind a round-robin balancer instead of one server in this process.
      processes: { type: 'string', default: '0' },
    },
  });
  const total = Number(values.cases);
  const n = Number(values.requests);
  const clients = Number(values.clients);
  const t0 = performance.now();
  const now = Date.now();
  const bench = await openBenchDb({
    db: values.db,
    pgUrl: values['pg-url'],
    seeded: values.seeded,
    cases: total,
    now,
    log: (s) => process.stderr.write(`${s}\n`),
  });
  const { db, dir, url } = bench;
  const seedMs = performance.now() - t0;
  // A reused database says itself how many cases it holds.
  const cases = bench.seeded ? total : await db.case.count();
  const servedBy =
    Number(values.processes) > 0
      ? `${values.processes} main.ts process(es) behind a round-robin balancer`
      : 'in-process';

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
  const searches = await benchSearchTerms(db, cases);
  const turn: Record<string, number> = {};
  const search = (kind: string) => () => {
    const terms = searches[kind]!;
    turn[kind] = ((turn[kind] ?? -1) + 1) % terms.length;
    return `/api/cases?q=${encodeURIComponent(terms[turn[kind]]!)}`;
  };
  // Concurrency: `clients` callers ask the scenario at once over real HTTP keep-alive sockets
  // (each waits for its answer before asking again) while a prober asks /healthz every 10 ms;
  // the event-loop delay monitor shows how long any one request held the loop. The clients run
  // in this process (their cost is small next to the server's), so the stall they see is the
  // stall a browser or a chat webhook would see. app.inject() would not do: it never yields to
  // the event loop, so a run of injected requests is one long task.
  // With --processes the requests go through the balancer to main.ts processes, and the stall
  // of their event loops cannot be seen from here.
  const server = await startBenchServer({
    engine: bench.engine,
    url,
    dir,
    db,
    readers: Number(values.readers),
    processes: Number(values.processes),
  });
  const { port } = server;
  const agent = new http.Agent({ keepAlive: true, maxSockets: clients + 4 });
  // An export's body (megabytes, sixteen at once) is counted, not kept: these clients share the
  // server's heap, and holding every CSV as one string made their garbage part of the stall measured.
  const get = (url: string, headers: Record<string, string>) =>
    new Promise<{ statusCode: number; body: string; lines: number }>((resolve, reject) => {
      const req = http.get({ host: '127.0.0.1', port, path: url, headers, agent }, (res) => {
        const keep = !url.startsWith('/exports/') || res.statusCode !== 200;
        const parts: Buffer[] = [];
        let lines = 0;
        res.on('data', (chunk: Buffer) => {
          if (keep) parts.push(chunk);
          for (let i = chunk.indexOf(10); i !== -1; i = chunk.indexOf(10, i + 1)) lines += 1;
        });
        res.on('end', () =>
          resolve({ statusCode: res.statusCode ?? 0, body: Buffer.concat(parts).toString('utf8'), lines }),
        );
      });
      req.on('error', reject);
    });
  let detail = 0;
  // The cursor of page 50, walked once: keyset paging costs the same at any depth.
  let deepCursor = '';
  for (let i = 1; i < 50; i++) {
    const res = await get(`/api/cases?cursor=${encodeURIComponent(deepCursor)}`, { authorization: auth.admin });
    deepCursor = (JSON.parse(res.body) as { nextCursor: string }).nextCursor;
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
  // Whole district days never asked before: each request's 30 days end one day earlier than the
  // last one's, so neither the figures nor the whole days' sums are cached (what a dashboard asking
  // for last October costs, the first time anyone asks).
  let back = 0;
  const newDays = () => {
    const end = now - ++back * DAY;
    return `/api/stats?from=${day(end - 30 * DAY)}&to=${day(end)}`;
  };

  const scenarios: Array<[string, () => string, string | null]> = [
    ['baseline: GET /healthz (noise floor)', () => '/healthz', null],
    ['cases: district admin, default sort', () => '/api/cases', auth.admin],
    ['cases: street filter', () => `/api/cases?street=${ws}`, auth.admin],
    ['cases: overdue=true', () => '/api/cases?overdue=true', auth.admin],
    ['cases: page 50', () => '/api/cases?page=50', auth.admin],
    ['cases: cursor, page 50 (keyset)', () => `/api/cases?cursor=${encodeURIComponent(deepCursor)}`, auth.admin],
    ['case detail', () => `/api/cases/${numbers[++detail % numbers.length]}`, auth.admin],
    ['cases: team lead (own street)', () => '/api/cases', auth.lead],
    ['search: common word (垃圾, 噪声…)', search('common'), auth.admin],
    ['search: rare word (露天烧烤…)', search('rare'), auth.admin],
    ['search: address part (唐家墩路…)', search('address'), auth.admin],
    ['search: number fragment', search('number'), auth.admin],
    ['search: one character (烤, 路…)', search('char'), auth.admin],
    ['search: team lead, common word', search('common'), auth.lead],
    ['search: team lead, rare word', search('rare'), auth.lead],
    ['search: team lead, address part', search('address'), auth.lead],
    ['search: team lead, number fragment', search('number'), auth.lead],
    ['cases: status=closed, sort=dueAt', () => '/api/cases?status=closed&sort=dueAt', auth.admin],
    ['stats: district, 30 days, cold', cold(monthAgo), auth.admin],
    ['stats: one street, 30 days, cold', cold(monthAgo, `&street=${ws}`), auth.admin],
    ['stats: district, 30 days, cached', () => '/api/stats', auth.admin],
    ['stats: district, one year, cold', cold(yearAgo), auth.admin],
    ['stats: district, 30 whole days never asked', newDays, auth.admin],
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
  const skip = values.skip
    .split(',')
    .map((x) => x.trim())
    .filter(Boolean);
  for (const [name, url, authorization] of scenarios) {
    if (only.length && !name.startsWith('baseline') && !only.some((o) => name.includes(o))) continue;
    if (skip.some((o) => name.includes(o))) continue;
    const headers: Record<string, string> = authorization ? { authorization } : {};
    let totalItems = 0;
    // The one-year aggregation was slow by nature: fewer repetitions keep the run short.
    const reps = name.includes('one year') ? Math.min(n, 32) : name.startsWith('export') ? Math.min(n, 16) : n;
    for (let i = 0; i < 4; i++) await get(url(), headers); // warm-up
    // And once with every client at once (not for the long rows): the server's pools then hold the
    // connections 16 callers need, as on a server that has been serving. A new PostgreSQL backend's
    // first statements load its catalog caches (8-17 ms of planning, ~1 ms warm), which otherwise
    // made the first 16 requests of a row its p99 (case detail at 1M: ~150 ms, then ~45 ms).
    if (reps === n) await Promise.all(Array.from({ length: clients }, () => get(url(), headers)));
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
        if (totalItems === 0 && name.includes('.csv')) totalItems = res.lines - 1;
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
      loopMax: server.inProcess ? loop.max / 1e6 : NaN,
      total: totalItems,
    });
  }

  const pad = (s: string, w: number) =>
    s + ' '.repeat(Math.max(0, w - [...s].reduce((k, ch) => k + (ch.charCodeAt(0) > 0x2e80 ? 2 : 1), 0)));
  const num = (x: number) => x.toFixed(1).padStart(8);
  console.log(
    `\nAPI benchmark: ${cases.toLocaleString('en')} cases on ${bench.engine === 'postgres' ? 'PostgreSQL' : 'SQLite'}, ${servedBy}, ${clients} concurrent clients, ${n} requests per row after 4 warm-up (${bench.seeded ? `seeded in ${(seedMs / 1000).toFixed(1)} s` : 'database reused'})`,
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
      `${pad(r.name, 40)} ${num(r.p50)} ${num(r.p99)} ${num(r.max)} ${num(r.health99)} ${Number.isNaN(r.loopMax) ? '–'.padStart(8) : num(r.loopMax)} ${String(r.total).padStart(9)}  ${ok(r.p99, 100)}   ${ok(r.health99, 50)} ${Number.isNaN(r.loopMax) ? '–' : ok(r.loopMax, 50)}`,
    );
  }
  console.log('\nhz p99: /healthz p99 while the row ran; loop max: longest event-loop stall (monitorEventLoopDelay)\n');

  agent.destroy();
  await server.close();
  await bench.close(values.keep);
}

/** bench/run.ts calls run(); the default export is the same function. */
export default run;
