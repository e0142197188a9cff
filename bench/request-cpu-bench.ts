// npm run bench -- request-cpu --pg-url URL [--row detail|cold|street|year|never|public|search-*|lead-*] [--requests 600] [--clients 16] [--profile DIR]
//                              | --db FILE [...]
// What one request of an API benchmark row costs in CPU, not in latency: on a shared 2-core
// machine p99 follows the neighbours' load, CPU per request much less. A server in this process
// over a reused benchmark database (as `npm run bench -- api --keep` or the seeded PostgreSQL
// copy leave it); `clients` callers at once; then this process's CPU per request (server and
// clients alike) and, on PostgreSQL, the CPU of the server's backends serving the database
// (read from /proc: the server must run on this machine). On PostgreSQL a second, short pass
// through a logging relay (test/helpers/pg-wire-log.ts) counts the statements one request sends
// and how many of them PostgreSQL had to parse (a named prepared statement is parsed once per connection).
import { benchSearchTerms } from './api-search-terms.ts';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { createPrismaClient } from '../db/prisma-client.ts';
import { issueToken } from '../db/token-store.ts';
import { startPgWireLog } from '../test/helpers/pg-wire-log.ts';
import { openBenchDb } from './api-bench-db.ts';
import { startBenchServer } from './api-bench-server.ts';
import { DAY } from './api-seed-data.ts';

export async function run(argv: string[] = []): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      db: { type: 'string', default: '' },
      'pg-url': { type: 'string', default: '' },
      row: { type: 'string', default: 'detail' },
      requests: { type: 'string', default: '600' },
      clients: { type: 'string', default: '16' },
      // A folder: a CPU profile of this process over the measured requests only (not the set-up).
      profile: { type: 'string', default: '' },
    },
  });
  const pgUrl = values['pg-url'];
  if (!pgUrl && !values.db)
    throw new Error('request-cpu needs --pg-url URL or --db FILE (a seeded benchmark database)');
  const n = Number(values.requests);
  const bench = await openBenchDb({
    db: pgUrl ? 'postgres' : values.db,
    pgUrl,
    seeded: true,
    cases: 0,
    now: Date.now(),
    log: (s) => process.stderr.write(`${s}\n`),
  });
  const { db } = bench;
  const admin = await db.person.create({ data: { displayName: '区局管理员', role: 'district_admin' } });
  const auth = `Bearer ${await issueToken(db, admin.id, 'bench')}`;
  const numbers = (await db.case.findMany({ select: { number: true }, take: 500, orderBy: { id: 'desc' } })).map(
    (c) => c.number,
  );
  const server = await startBenchServer({
    engine: bench.engine,
    url: bench.url,
    dir: bench.dir,
    db,
    readers: 2,
    processes: 0,
  });
  // As the API benchmark's rows ask them: a "cold" statistic starts a millisecond later each time.
  let k = 0;
  const now = Date.now();
  const from = (days: number) => new Date(now - days * DAY + ++k).toISOString();
  // As the API benchmark's `newDays`: 30 whole district days ending a day earlier each time.
  const districtDay = (at: number) => new Date(at + DAY / 3).toISOString().slice(0, 10);
  let back = 0;
  const newDays = () => {
    const end = now - ++back * DAY;
    return `/api/stats?from=${districtDay(end - 30 * DAY)}&to=${districtDay(end)}`;
  };
  const rows: Record<string, () => string> = {
    detail: () => `/api/cases/${numbers[++k % numbers.length]}`,
    cold: () => `/api/stats?from=${from(30)}`,
    street: () => `/api/stats?from=${from(30)}&street=${encodeURIComponent('万松街道')}`,
    year: () => `/api/stats?from=${from(364)}`,
    never: newDays,
    public: () => '/public',
  };
  // The API benchmark's search rows (benchSearchTerms): search-KIND as the district
  // admin asks them, lead-KIND as the team lead of 万松街道 does; each asks its terms in turn.
  const wansong = await db.street.findUniqueOrThrow({ where: { name: '万松街道' } });
  const lead = await db.person.create({ data: { displayName: '张队长', role: 'team_lead', streetId: wansong.id } });
  const leadAuth = `Bearer ${await issueToken(db, lead.id, 'bench')}`;
  const lastId = numbers.length ? ((await db.case.findUnique({ where: { number: numbers[0]! } }))?.id ?? 0) : 0;
  const searches = await benchSearchTerms(db, lastId);
  for (const [kind, terms] of Object.entries(searches)) {
    const ask = () => `/api/cases?q=${encodeURIComponent(terms[++k % terms.length]!)}`;
    rows[`search-${kind}`] = ask;
    if (kind !== 'char') rows[`lead-${kind}`] = ask;
  }
  const url = rows[values.row];
  if (!url) throw new Error(`--row: one of ${Object.keys(rows).join(', ')}`);
  const headers: Record<string, string> =
    values.row === 'public' ? {} : { authorization: values.row.startsWith('lead-') ? leadAuth : auth };

  const admin2 = bench.engine === 'postgres' ? new pg.Client(bench.url) : null;
  await admin2?.connect();
  const database = new URL(bench.url).pathname.slice(1);
  // utime + stime of every backend of the database, in milliseconds (100 ticks a second).
  const backendsMs = async (): Promise<number> => {
    if (!admin2) return 0;
    const r = await admin2.query<{ pid: number }>(
      'SELECT pid FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()',
      [database],
    );
    let ticks = 0;
    for (const { pid } of r.rows) {
      try {
        const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
        ticks += Number(f[11]) + Number(f[12]);
      } catch {
        // A backend that ended meanwhile.
      }
    }
    return ticks * 10;
  };
  const get = async (port = server.port) => {
    const res = await fetch(`http://127.0.0.1:${port}${url()}`, { headers });
    await res.arrayBuffer();
    if (res.status !== 200) throw new Error(`${values.row}: ${res.status}`);
  };
  for (let i = 0; i < 20; i++) await get(); // warm-up: pools connected, shared parts cached
  const profiler = values.profile ? await startProfile() : null;
  const cpu0 = process.cpuUsage();
  const pg0 = await backendsMs();
  const t0 = performance.now();
  let left = n;
  await Promise.all(
    Array.from({ length: Number(values.clients) }, async () => {
      while (left-- > 0) await get();
    }),
  );
  const wall = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  if (profiler) process.stderr.write(`profile: ${await profiler.stopInto(values.profile, values.row)}\n`);
  const pgMs = (await backendsMs()) - pg0;
  const load = (await import('node:os')).loadavg().map((x) => x.toFixed(1));
  console.log(
    `${values.row} on ${bench.engine}: ${n} requests, ${values.clients} at once: wall ${(wall / n).toFixed(2)} ms/req, this process CPU ${((cpu.user + cpu.system) / 1000 / n).toFixed(2)} ms/req${admin2 ? `, PostgreSQL backends CPU ${(pgMs / n).toFixed(2)} ms/req` : ''} (load average ${load.join(' ')})`,
  );
  await admin2?.end();
  await server.close();
  if (bench.engine === 'postgres') {
    // The same requests one at a time, by a server whose connections go through the relay.
    const wire = await startPgWireLog(bench.url);
    const wdb = await createPrismaClient(wire.urlThrough(bench.url));
    const counted = await startBenchServer({
      engine: bench.engine,
      url: bench.url,
      dir: bench.dir,
      db: wdb,
      readers: 0,
      processes: 0,
    });
    for (let i = 0; i < 5; i++) await get(counted.port);
    wire.statements.length = 0;
    wire.parses.length = 0;
    const m = 50;
    for (let i = 0; i < m; i++) await get(counted.port);
    console.log(
      `${values.row} on the wire: ${(wire.statements.length / m).toFixed(2)} statements and ${(wire.parses.length / m).toFixed(2)} parses per request (${m} requests one at a time)`,
    );
    await counted.close();
    await wdb.$disconnect();
    await wire.close();
  }
  await bench.close(true);
}

/** A V8 CPU profile of this process's main thread, as `node --cpu-prof` writes one, from now until stopInto. */
async function startProfile() {
  const { Session } = await import('node:inspector/promises');
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.start');
  return {
    async stopInto(dir: string, row: string): Promise<string> {
      const { profile } = await session.post('Profiler.stop');
      session.disconnect();
      mkdirSync(dir, { recursive: true });
      const file = join(dir, `request-cpu-${row}-${Date.now()}.cpuprofile`);
      writeFileSync(file, JSON.stringify(profile));
      return file;
    },
  };
}

export default run;
