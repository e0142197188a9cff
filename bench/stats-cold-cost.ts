// node --import tsx bench/stats-cold-cost.ts --db URL_OR_FILE [--requests 64]
// What ONE cold statistics request costs, one request at a time (no concurrency, so the figures
// do not depend on the machine's load as much as the API benchmark's): the statements it sends
// the database (counted on the wire through a logging relay on PostgreSQL: test/helpers/pg-wire-log.ts;
// on SQLite those sent to the reader threads: the token's lookup runs on the main connection),
// its wall time, the process's CPU time (main thread: the JSON of the rows, folding, shaping,
// serialising) and the bytes answered; the same for /healthz, its first request apart. Run it
// on a benchmark database (`npm run bench -- api --keep`, or a seeded PostgreSQL database).
import { parseArgs } from 'node:util';
import { createDomain } from '../app/create-domain.ts';
import { loadConfig } from '../config/load-config.ts';
import { createLogger } from '../config/logger.ts';
import { engineOf } from '../db/db-engine.ts';
import { createPrismaClient } from '../db/prisma-client.ts';
import { attachReaderPool, createReaderPool } from '../db/reader-pool.ts';
import { issueToken } from '../db/token-store.ts';
import { createServer } from '../server/app.ts';
import { countingReader } from '../test/helpers/counting-reader.ts';
import { startPgWireLog } from '../test/helpers/pg-wire-log.ts';
import { DAY } from './api-seed-data.ts';
import { percentile } from './percentile.ts';

const { values } = parseArgs({
  options: { db: { type: 'string', default: '' }, requests: { type: 'string', default: '64' } },
});
const url = values.db.startsWith('postgres') ? values.db : `file:${values.db}`;
const n = Number(values.requests);
const pg = engineOf(url) === 'postgres';
const wire = pg ? await startPgWireLog(url) : null;
const db = await createPrismaClient(wire ? wire.urlThrough(url) : url);
// On SQLite the statements a request sends its reader threads are counted on their way there.
const readers = pg ? null : createReaderPool(url, 2);
const counting = readers ? countingReader(readers.all) : null;
if (readers && counting) attachReaderPool(db, { all: counting.reader, close: () => readers.close() });
const sent = () => wire?.statements.length ?? counting!.counts.statements;
const dir = '/tmp';
const config = loadConfig({ DATA_DIR: dir, DATABASE_URL: url, LOG_LEVEL: 'silent' }, dir, false);
const logger = createLogger(config);
const app = await createServer({ config, logger, db, domain: await createDomain({ db, config, logger }) });
const admin = await db.person.create({ data: { displayName: '区局管理员（计量）', role: 'district_admin' } });
const headers = { authorization: `Bearer ${await issueToken(db, admin.id, 'bench')}` };
const ws = encodeURIComponent('万松街道');
const now = Date.now();
let miss = 0;
const cold =
  (from: number, extra = '') =>
  () =>
    `/api/stats?from=${new Date(from + ++miss).toISOString()}${extra}`;

async function measure(name: string, url: () => string, h: Record<string, string>) {
  const wall: number[] = [];
  const cpu: number[] = [];
  const stmts: number[] = [];
  let bytes = 0;
  let first = '';
  for (let i = 0; i < n + 4; i++) {
    const s0 = sent();
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    const res = await app.inject({ url: url(), headers: h });
    const ms = performance.now() - t0;
    const c = process.cpuUsage(c0);
    if (res.statusCode !== 200) throw new Error(`${name}: ${res.statusCode} ${res.body}`);
    const k = sent() - s0;
    if (i === 0)
      first = `first ${ms.toFixed(1)} ms, cpu ${((c.user + c.system) / 1000).toFixed(1)} ms, ${k} statements`;
    if (i < 4) continue; // warm-up: the shared parts are read and cached
    wall.push(ms);
    cpu.push((c.user + c.system) / 1000);
    stmts.push(k);
    bytes = res.body.length;
  }
  const f = (xs: number[]) => {
    const s = [...xs].sort((a, b) => a - b);
    return `${percentile(s, 50).toFixed(2)}/${percentile(s, 90).toFixed(2)}/${s[s.length - 1]!.toFixed(2)}`;
  };
  console.log(
    `${name.padEnd(34)} wall ms ${f(wall).padEnd(18)} cpu ms ${f(cpu).padEnd(18)} statements ${f(stmts).padEnd(16)} ${bytes} bytes; ${first}`,
  );
}

console.log(
  `one request at a time, ${n} after 4 warm-up; p50/p90/max; ${pg ? 'PostgreSQL' : 'SQLite'}; load ${(
    await import('node:os')
  )
    .loadavg()
    .map((x) => x.toFixed(1))
    .join(' ')}`,
);
await measure('GET /healthz', () => '/healthz', {});
await measure('stats: district, 30 days, cold', cold(now - 30 * DAY), headers);
await measure('stats: one street, 30 days, cold', cold(now - 30 * DAY, `&street=${ws}`), headers);
await measure('stats: district, one year, cold', cold(now - 364 * DAY), headers);
await measure('stats: district, 30 days, cached', () => '/api/stats', headers);
await app.close();
await db.$disconnect();
await readers?.close();
await wire?.close();
