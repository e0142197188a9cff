// npm run bench -- intake --processes N [--db postgres|sqlite] [--pg-url URL] [--reports 1000]
//   [--concurrency 32] [--photos 0.1] [--photo-px N [--photo-kb N]] [--warmup N] [--drain-timeout 300]
//   [--keep] [--seeded] [--profile DIR]
// The intake benchmark across real processes: N main.ts processes as `npm start` runs them
// (delivery on, Telegram in webhook mode against the Bot API emulator) behind a round-robin
// balancer like nginx; residents' reports (text, pin, 确认提交; a photo in a --photos share) go
// over real HTTP to the webhook with the secret header, --concurrency residents at a time. On
// PostgreSQL without --pg-url a throwaway cluster is started and stopped at the end; with it, a
// scratch database is made on that server and dropped; with --seeded too, the database at --pg-url
// is used as it is (a copy of the seeded 1M-case database). --photo-px: each photo report sends
// its own phone photo as a file (bench/intake-photos.ts), as `npm run bench -- intake` does. SQLite runs one process (its engine is
// embedded), so `--db sqlite --processes 1` gives the same figures beside PostgreSQL's.
import http from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import type { TelegramUpdate } from '../bot/telegram/telegram-channel.ts';
import { createBundledJurisdiction } from '../config/jurisdiction-data-file.ts';
import type { Engine } from '../db/db-engine.ts';
import { createScratchDatabase } from '../db/pg-scratch-database.ts';
import { createPrismaClient, engineOfClient } from '../db/prisma-client.ts';
import { startProcessCluster } from '../test/helpers/process-cluster.ts';
import { startTelegramEmulator, type TelegramEmulator } from '../test/helpers/telegram-emulator.ts';
import { districtPoints, reportUpdates } from '../test/helpers/telegram-report-updates.ts';
import { noisyJpeg } from '../test/helpers/test-images.ts';
import { percentile } from './percentile.ts';
import { threadCpuMs } from './thread-cpu.ts';
import { watchPgActivity, type PgActivity } from './pg-activity.ts';
import { photoKilobytes, photoSize, prepareBenchPhotos } from './intake-photos.ts';
import { localPostmaster, serverCpuMs, startThrowawayPg, type ThrowawayPg } from './pg-throwaway.ts';

const SECRET = 'bench-webhook-secret-0123456789';
const IDLE_SECONDS = 5;
const ms = (x: number) => `${x.toFixed(1)} ms`;
type Step = 'text' | 'photo' | 'location' | 'confirm';

export interface ClusterBenchOptions {
  db: Engine;
  processes: number;
  /** A PostgreSQL server to make a scratch database on; a throwaway cluster when not given. */
  pgUrl?: string;
  reports: number;
  concurrency: number;
  /** Share of reports (0–1) that carry one photo. */
  photos: number;
  /** Reports before the measured ones (default: a tenth of them, at most 200). */
  warmup?: number;
  /** How long to wait for the outbox to drain after the last report, seconds. */
  drainTimeoutSeconds: number;
  /** Keeps the database (and a throwaway cluster) and prints where. */
  keep: boolean;
  /**
   * Runs on the database at pgUrl as it is (e.g. a seeded 1M-case copy) instead of a scratch one,
   * never dropping it; residents and update ids of their own, so a rerun is not taken for repeats.
   */
  seeded?: boolean;
  /**
   * The photo's long side (--photo-px): each photo report then sends its own phone photo as a
   * file, EXIF GPS included, as `npm run bench -- intake` does (bench/intake-photos.ts); without
   * it, every report sends the same small photo message (after the first, a duplicate).
   */
  photoPx?: number;
  /** With photoPx: re-encoded to at most this many KB (--photo-kb). */
  photoKb?: number;
  /** A folder: each Gridline process writes a V8 CPU profile of its whole run there (--cpu-prof). */
  profileDir?: string;
}

export interface ClusterBenchResult {
  reportsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  /** Updates that did not get a 200 from the webhook. */
  failures: number;
  /** CPU of the Gridline processes together, per measured report (NaN where /proc is unreadable). */
  cpuMsPerReport: number;
  /** CPU of the PostgreSQL server per report (throwaway cluster only, else NaN). */
  pgCpuMsPerReport: number;
  /** CPU of this process (driver, balancer, Bot API emulator) per report. */
  benchCpuMsPerReport: number;
  /** PostgreSQL's transactions and backends while the measured reports ran (PostgreSQL only). */
  pgActivity: PgActivity | null;
  /** CPU the Gridline processes used together per second before any report, ms. */
  idleCpuMsPerSecond: number;
  cases: number;
  expectedCases: number;
  outboxRows: number;
  /** Seconds from the last report until no outbox row was left unsent; null if it did not drain in time. */
  drainSeconds: number | null;
  /** Messages the emulator received per second, from the start of the measured reports until drained. */
  deliveredPerSecond: number;
  loadAverage: number[];
}

/** One keep-alive POST of an update to the webhook; resolves with the HTTP status. */
function poster(base: string, concurrency: number) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
  const target = new URL('/telegram/webhook', base);
  return {
    post(update: TelegramUpdate): Promise<number> {
      const body = Buffer.from(JSON.stringify(update));
      return new Promise((resolve, reject) => {
        const req = http.request(
          {
            agent,
            host: target.hostname,
            port: target.port,
            path: target.pathname,
            method: 'POST',
            headers: {
              'content-type': 'application/json',
              'content-length': body.length,
              'x-telegram-bot-api-secret-token': SECRET,
            },
          },
          (res) => {
            res.resume();
            res.on('end', () => resolve(res.statusCode ?? 0));
          },
        );
        req.on('error', reject);
        req.end(body);
      });
    },
    close: () => agent.destroy(),
  };
}

/** A photo message in the chat of report `i`, as Telegram sends it: a thumbnail and the full size. */
function photoUpdate(
  emu: TelegramEmulator,
  i: number,
  photo: { full: Buffer; thumb: Buffer },
  updateId: number,
): TelegramUpdate {
  const user = 100_000 + i;
  const small = emu.addFile(photo.thumb);
  const large = emu.addFile(photo.full);
  return {
    update_id: updateId,
    message: {
      message_id: 4,
      date: 0,
      chat: { id: user, type: 'private', first_name: `居民${i}` },
      from: { id: user, is_bot: false, first_name: `居民${i}` },
      photo: [
        { ...small, width: 90, height: 68 },
        { ...large, width: 1024, height: 768 },
      ],
    },
  } as unknown as TelegramUpdate;
}

/**
 * The PostgreSQL server's CPU so far, ms: a throwaway cluster's, or a server at --pg-url that runs
 * on this machine (its data directory readable here); NaN otherwise (SQLite, a remote server).
 */
async function postgresCpu(db: Awaited<ReturnType<typeof createPrismaClient>>, pg: ThrowawayPg | null) {
  if (pg) return () => pg.cpuMs();
  if (engineOfClient(db) !== 'postgres') return () => NaN;
  const rows = await db
    .$queryRawUnsafe<Array<{ dir: string }>>(`SELECT current_setting('data_directory') AS dir`)
    .catch(() => []);
  const postmaster = rows[0] ? localPostmaster(rows[0].dir) : null;
  return postmaster === null ? () => NaN : () => serverCpuMs(postmaster);
}

export async function runIntakeCluster(o: ClusterBenchOptions, out: (s?: string) => void): Promise<ClusterBenchResult> {
  if (o.db === 'sqlite' && o.processes !== 1)
    throw new Error('SQLite is embedded in one process: use --processes 1 with --db sqlite, or --db postgres');
  const warmup = o.warmup ?? Math.min(200, Math.floor(o.reports / 10));
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'gridline-intake-cluster-'));
  const cleanups: Array<() => Promise<void> | void> = [];
  const cleanup = async () => {
    for (const c of cleanups.splice(0).reverse()) await c();
  };
  let pg: ThrowawayPg | null = null;
  const interrupted = () => {
    pg?.stop(); // a server left running would hold its port and folder
    process.exit(130);
  };
  process.once('SIGINT', interrupted);
  cleanups.push(() => void process.off('SIGINT', interrupted));
  try {
    let url: string;
    let where: string;
    if (o.db === 'postgres') {
      if (!o.pgUrl) {
        pg = await startThrowawayPg();
        const started = pg;
        cleanups.push(() =>
          o.keep ? out(`PostgreSQL cluster kept at ${started.dir} (${started.url})`) : started.stop(),
        );
      }
      if (o.seeded) {
        if (!o.pgUrl) throw new Error('--seeded runs on the database at --pg-url');
        url = o.pgUrl;
        where = `PostgreSQL (the database at --pg-url, as it is)`;
      } else {
        const scratch = await createScratchDatabase(o.pgUrl ?? pg!.url, 'gridline_bench');
        cleanups.push(async () => (o.keep ? out(`database kept: ${scratch.url}`) : scratch.drop()));
        url = scratch.url;
        where = `PostgreSQL (${o.pgUrl ? 'the server at --pg-url' : 'a throwaway cluster'}, database ${scratch.name})`;
      }
    } else {
      url = `file:${path.join(tmp, 'bench.db')}`;
      where = 'SQLite (one file, WAL)';
    }
    cleanups.push(() => (o.keep ? out(`process data kept at ${tmp}`) : rmSync(tmp, { recursive: true, force: true })));

    const emu = await startTelegramEmulator();
    cleanups.push(() => emu.close());
    const cluster = await startProcessCluster({
      dataDir: tmp,
      env: {
        DATABASE_URL: url,
        LOG_LEVEL: 'warn',
        TELEGRAM_BOT_TOKEN: emu.token,
        TELEGRAM_API_ROOT: emu.apiRoot,
        TELEGRAM_MODE: 'webhook',
        TELEGRAM_WEBHOOK_SECRET: SECRET,
        WECHATY_PUPPET: '',
      },
      ...(o.profileDir ? { nodeArgs: ['--cpu-prof', `--cpu-prof-dir=${o.profileDir}`] } : {}),
    });
    cleanups.push(() => cluster.close());
    // All start at once, as a deployment does: they migrate and seed one after the other.
    for (let i = 0; i < o.processes; i++) await cluster.start(String.fromCharCode(97 + i));
    await Promise.all(cluster.procs.map((p) => cluster.waitUp(p)));
    for (let i = 0; !emu.webhook; i++) {
      if (i > 600) throw new Error('no process set the webhook');
      await sleep(100);
    }
    const db = await createPrismaClient(url);
    const pgCpuMs = await postgresCpu(db, pg);
    cleanups.push(() => db.$disconnect());

    const jurisdiction = createBundledJurisdiction();
    const points = districtPoints(warmup + o.reports, (lat, lng) => {
      const s = jurisdiction.locatePoint({ lat, lng });
      return !s.outsideDistrict && s.street !== null;
    });
    const full = await noisyJpeg(1024, 768);
    const photo = { full, thumb: await noisyJpeg(90, 68) };
    const withPhoto = (i: number) => Math.floor((i + 1) * o.photos) > Math.floor(i * o.photos);
    // On a database of earlier runs, residents and update ids of their own (as intake-bench.ts).
    const base = o.seeded ? Math.floor(Date.now() / 1000) * 1000 : 0;
    const casesBefore = await db.case.count();
    const ownPhotos =
      o.photoPx !== undefined && o.photos > 0
        ? await prepareBenchPhotos({
            emu,
            fraction: o.photos,
            ranges: [[base, base + warmup + o.reports]],
            points,
            longSide: o.photoPx,
            ...(o.photoKb !== undefined ? { maxKb: o.photoKb } : {}),
          })
        : null;
    const client = poster(cluster.url, o.concurrency);
    cleanups.push(() => client.close());

    let updateId = base * 4 + 1;
    let failures = 0;
    const failed: string[] = [];
    const drive = async (first: number, count: number) => {
      const latencies: Record<Step, number[]> = { text: [], photo: [], location: [], confirm: [] };
      let next = first;
      const t0 = performance.now();
      await Promise.all(
        Array.from({ length: o.concurrency }, async () => {
          while (next < first + count) {
            const i = next++;
            const steps: Array<[Step, TelegramUpdate]> = ownPhotos
              ? reportUpdates(i, points, () => updateId++, ownPhotos.photoOf(i))
              : reportUpdates(i, points, () => updateId++);
            if (!ownPhotos && withPhoto(i)) steps.splice(1, 0, ['photo', photoUpdate(emu, i, photo, updateId++)]);
            for (const [step, update] of steps) {
              const start = performance.now();
              const status = await client.post(update).catch((err: unknown) => {
                failed.push(String(err).slice(0, 200));
                return 0;
              });
              latencies[step].push(performance.now() - start);
              if (status !== 200) {
                failures += 1;
                if (status) failed.push(`update ${update.update_id} (${step}): HTTP ${status}`);
              }
            }
          }
        }),
      );
      return { seconds: (performance.now() - t0) / 1000, latencies };
    };

    const procCpu = () => cluster.procs.map((p) => cluster.cpuMs(p));
    // What the processes cost with nothing to do (timers, the delivery worker's poll, the
    // scheduler), so a growing cost per report with more processes can be told apart from it.
    const idleCpu0 = procCpu();
    const idleWatch = o.db === 'postgres' ? watchPgActivity(db) : null;
    await sleep(IDLE_SECONDS * 1000);
    const idleCpuMsPerSecond = procCpu().reduce((sum, c, i) => sum + c - idleCpu0[i]!, 0) / IDLE_SECONDS;
    const idlePg = (await idleWatch?.stop()) ?? null;

    await drive(base, warmup);
    const cpu0 = procCpu();
    const loopCpu = () => cluster.procs.map((p) => threadCpuMs(p.child.pid));
    const loopCpu0 = loopCpu();
    const pgCpu0 = pgCpuMs();
    const own0 = process.cpuUsage();
    const sent0 = emu.sent.length;
    const watch = o.db === 'postgres' ? watchPgActivity(db) : null;
    const t0 = performance.now();
    const r = await drive(base + warmup, o.reports);
    const pgActivity = (await watch?.stop()) ?? null;
    const cpuPer = procCpu().map((c, i) => (c - cpu0[i]!) / o.reports);
    const loopCpuPer = loopCpu().map((c, i) => (c - loopCpu0[i]!) / o.reports);
    const pgCpuPer = (pgCpuMs() - pgCpu0) / o.reports;
    const own = process.cpuUsage(own0);
    const loadAverage = os.loadavg();

    // The replies go out through each process's delivery worker, within Telegram's limits. A
    // 'dead' row is settled too (given up after its attempts): a seeded database holding some from
    // earlier runs otherwise kept this waiting the whole drain timeout.
    const pending = async () =>
      Number(
        (
          await db.$queryRawUnsafe<Array<{ n: bigint | number }>>(
            `SELECT count(*) AS n FROM "OutboxMessage" WHERE "status" NOT IN ('sent', 'dead')`,
          )
        )[0]!.n,
      );
    const loadEnd = performance.now();
    let drainSeconds: number | null = null;
    while ((performance.now() - loadEnd) / 1000 < o.drainTimeoutSeconds) {
      if ((await pending()) === 0) {
        drainSeconds = (performance.now() - loadEnd) / 1000;
        break;
      }
      await sleep(200);
    }
    const deliveredPerSecond = (emu.sent.length - sent0) / ((performance.now() - t0) / 1000);
    for (const p of cluster.procs) await cluster.kill(p, 'SIGTERM');

    const cases = await db.case.count();
    const outboxRows = await db.outboxMessage.count();
    const all = Object.values(r.latencies)
      .flat()
      .sort((a, b) => a - b);
    const sumCpu = cpuPer.reduce((a, b) => a + b, 0);
    const result: ClusterBenchResult = {
      reportsPerSecond: o.reports / r.seconds,
      p50Ms: percentile(all, 50),
      p99Ms: percentile(all, 99),
      failures,
      cpuMsPerReport: sumCpu,
      pgCpuMsPerReport: pgCpuPer,
      benchCpuMsPerReport: (own.user + own.system) / 1000 / o.reports,
      pgActivity,
      idleCpuMsPerSecond,
      cases,
      expectedCases: casesBefore + warmup + o.reports,
      outboxRows,
      drainSeconds,
      deliveredPerSecond,
      loadAverage,
    };

    const updates = all.length;
    out(
      `\nTelegram intake benchmark, cluster mode — ${o.processes} main.ts process${o.processes > 1 ? 'es' : ''} on ${where}, behind a round-robin balancer; updates POSTed over HTTP to the webhook with the secret header`,
    );
    out(
      `${os.cpus().length} CPUs, load average ${loadAverage.map((l) => l.toFixed(1)).join(' ')} (other work shares this machine), Node ${process.version}`,
    );
    out(
      `${o.reports} reports (text, pin, 确认提交${o.photos > 0 ? `; one ${((ownPhotos?.bytes ?? full.length) / 1024).toFixed(0)} KB photo${ownPhotos ? ` (${ownPhotos.width}×${ownPhotos.height}, its own per report, as a file)` : ''} in ${(o.photos * 100).toFixed(0)}%` : ''}), concurrency ${o.concurrency} (residents at a time), after ${warmup} warm-up reports, ${casesBefore} cases before`,
    );
    out(
      `  reports/s      ${result.reportsPerSecond.toFixed(0)}   updates/s ${(updates / r.seconds).toFixed(0)}   wall ${r.seconds.toFixed(1)} s`,
    );
    out(
      `  update → webhook 200     p50 ${ms(result.p50Ms)}   p99 ${ms(result.p99Ms)}   max ${ms(all.at(-1) ?? NaN)}   failed ${failures}`,
    );
    for (const [step, v] of Object.entries(r.latencies)) {
      if (!v.length) continue;
      const s = [...v].sort((a, b) => a - b);
      out(`    ${step.padEnd(9)} p50 ${ms(percentile(s, 50))}   p99 ${ms(percentile(s, 99))}`);
    }
    out(
      `  CPU per report: Gridline processes ${ms(sumCpu)} (${cluster.procs.map((p, i) => `${p.name} ${ms(cpuPer[i]!)}`).join(', ')})` +
        `${Number.isFinite(pgCpuPer) ? `, PostgreSQL ${ms(pgCpuPer)}` : ''}, this process (driver, balancer, emulator) ${ms(result.benchCpuMsPerReport)}`,
    );
    out(
      `  Gridline event-loop thread CPU per report: ${cluster.procs.map((p, i) => `${p.name} ${ms(loopCpuPer[i]!)}`).join(', ')} (its own CPU: the limit of one process)`,
    );
    out(
      `  idle (${IDLE_SECONDS} s before the first report): Gridline processes ${ms(idleCpuMsPerSecond)} of CPU per second in all` +
        `${idlePg ? `, PostgreSQL ${(idlePg.transactions / IDLE_SECONDS).toFixed(1)} transactions per second` : ''}`,
    );
    if (pgActivity) {
      const lockTotal = pgActivity.lockEvents.reduce((a, [, n]) => a + n, 0);
      out(
        `  PostgreSQL during the run: ${(pgActivity.transactions / o.reports).toFixed(1)} transactions per report; ` +
          `backends running a statement ${pgActivity.meanActive.toFixed(1)} on average, waiting on a lock ${pgActivity.meanLockWaits.toFixed(1)}` +
          `${lockTotal ? ` (${pgActivity.lockEvents.map(([e, n]) => `${e} ${((100 * n) / lockTotal).toFixed(0)}%`).join(', ')})` : ''}` +
          ` — ${pgActivity.samples} samples`,
      );
      // The three statements that waited most, so the next lock after the first one shows too.
      for (const [i, [head, n]] of pgActivity.lockedStatements.slice(0, 3).entries())
        out(
          `    ${i ? 'then' : 'waiting most often'}: ${head}… (${((100 * n) / lockTotal).toFixed(0)}% of lock waits)`,
        );
    }
    out(
      `  cases stored ${cases} of ${result.expectedCases} reports ${cases === result.expectedCases ? '(all there)' : '(MISMATCH)'}, outbox rows ${outboxRows}, callback queries answered ${emu.answered.size} of ${warmup + o.reports}`,
    );
    out(
      drainSeconds === null
        ? `  outbox NOT drained ${o.drainTimeoutSeconds} s after the last report (${await pending()} rows left)`
        : `  outbox drained ${drainSeconds.toFixed(1)} s after the last report; ${(emu.sent.length - sent0).toFixed(0)} messages delivered at ${deliveredPerSecond.toFixed(0)} msg/s (Telegram's limit: 30 msg/s per bot)`,
    );
    if (failed.length) out(`  failures (first 5):\n    ${failed.slice(0, 5).join('\n    ')}`);
    out(
      `  row | ${o.db} | ${o.processes} | ${result.reportsPerSecond.toFixed(0)} reports/s | p50 ${ms(result.p50Ms)} | p99 ${ms(result.p99Ms)} | CPU/report ${ms(sumCpu)}${Number.isFinite(pgCpuPer) ? ` + PG ${ms(pgCpuPer)}` : ''} + bench ${ms(result.benchCpuMsPerReport)} | drained ${drainSeconds?.toFixed(1) ?? '—'} s | load ${loadAverage[0]!.toFixed(1)} |\n`,
    );
    return result;
  } finally {
    await cleanup();
  }
}

export async function run(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      db: { type: 'string', default: 'sqlite' },
      processes: { type: 'string', default: '1' },
      'pg-url': { type: 'string' },
      reports: { type: 'string', default: '1000' },
      concurrency: { type: 'string', default: '32' },
      photos: { type: 'string', default: '0' },
      // Each process warms up (V8 compiles its hot paths) on its own share of these.
      warmup: { type: 'string' },
      'drain-timeout': { type: 'string', default: '300' },
      keep: { type: 'boolean', default: false },
      seeded: { type: 'boolean', default: false },
      'photo-px': { type: 'string' },
      'photo-kb': { type: 'string' },
      // A folder for a V8 CPU profile of each Gridline process (node --cpu-prof), written as it stops.
      profile: { type: 'string' },
    },
  });
  if (values.db !== 'sqlite' && values.db !== 'postgres') throw new Error('--db is sqlite or postgres');
  if (values.seeded && (values.db !== 'postgres' || !values['pg-url']))
    throw new Error('--seeded runs on the PostgreSQL database at --pg-url: give --db postgres --pg-url URL');
  const photoPx = values['photo-px'] === undefined ? undefined : Number(values['photo-px']);
  if (photoPx !== undefined) photoSize(photoPx);
  const photoKb = photoKilobytes(values['photo-kb']);
  const photos = Number(values.photos);
  if (!(photos >= 0 && photos <= 1)) throw new Error('--photos is a share from 0 to 1 (e.g. 0.1)');
  const result = await runIntakeCluster(
    {
      db: values.db,
      processes: Number(values.processes),
      ...(values['pg-url'] ? { pgUrl: values['pg-url'] } : {}),
      reports: Number(values.reports),
      concurrency: Number(values.concurrency),
      photos,
      ...(values.warmup !== undefined ? { warmup: Number(values.warmup) } : {}),
      drainTimeoutSeconds: Number(values['drain-timeout']),
      keep: values.keep,
      seeded: values.seeded,
      ...(photoPx !== undefined ? { photoPx } : {}),
      ...(photoKb !== undefined ? { photoKb } : {}),
      ...(values.profile ? { profileDir: path.resolve(values.profile) } : {}),
    },
    (s = '') => process.stdout.write(`${s}\n`),
  );
  if (result.failures || result.cases !== result.expectedCases || result.drainSeconds === null) process.exitCode = 1;
}
