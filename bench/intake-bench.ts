// npm run bench -- intake [--reports 2000] [--concurrency 32] [--via polling|webhook] [--synchronous full|normal] [--keep]
//   [--photos F] [--photo-px 2304] [--photo-kb N] [--db FILE]
// Reports per second through the whole Telegram intake path against the Bot API emulator:
// update → telegraf → adapter → conversation → routing → SQLite → reply queued in the outbox.
// One report is what a resident sends: a description, a location pin, and a press of 确认提交.
// Latency is per update, from handing it in until its replies are queued. Then, separately: the
// adapter alone (a runtime that answers at once), and delivery (the outbox drained into the emulator).
// --photos F: a share F of the reports also sends a phone photo after the pin (bench/intake-photos.ts).
// --photo-px N: that photo's long side (default 2304, the camera original; 1280 is what Telegram's
// message.photo and WeChat deliver unless the resident sends the original).
// --photo-kb N: that photo re-encoded to at most N KB, as messengers recompress (default: the
// dense photo as drawn, 0.47 MB at 1280 px, about twice a real one; kept so figures compare).
// --db FILE: runs against an existing SQLite database (a copy of a 1M-case one), migrated first.
import os from 'node:os';
import { constants as perfConstants, monitorEventLoopDelay, performance, PerformanceObserver } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { createTelegramChannel, type TelegramUpdate } from '../bot/telegram/telegram-channel.ts';
import { createDeliveryWorker } from '../core/messaging/delivery-worker.ts';
import { createServer } from '../server/app.ts';
import { reportUpdates, type Step } from '../test/helpers/telegram-report-updates.ts';
import { PHONE_LONG_SIDE, photoKilobytes, photoSize, prepareBenchPhotos } from './intake-photos.ts';
import { startIntakeWorld } from './intake-world.ts';
import { percentile } from './percentile.ts';
import { threadCpuMs } from './thread-cpu.ts';

const SECRET = 'bench-webhook-secret-0123456789';
const out = (s = '') => process.stdout.write(`${s}\n`);
const ms = (x: number) => `${x.toFixed(1)} ms`;

/** Runs `count` reports, `concurrency` residents at a time; latencies per step, CPU time used. */
async function drive(
  feed: (u: TelegramUpdate) => Promise<void>,
  first: number,
  count: number,
  concurrency: number,
  points: Array<[number, number]>,
  photoOf: (i: number) => Record<string, unknown> | undefined = () => undefined,
) {
  const latencies: Partial<Record<Step, number[]>> = {};
  let next = first;
  let updateId = first * 4 + 1;
  const loop = monitorEventLoopDelay({ resolution: 5 });
  loop.enable();
  // Full collections pause the event loop; Buffers (photos, pixels) outside the heap bring them on.
  const gc = { major: 0, majorMs: 0, maxMs: 0 };
  const gcWatch = new PerformanceObserver((list) => {
    for (const e of list.getEntries()) {
      if (
        ((e as { detail?: unknown }).detail as { kind?: number } | null)?.kind !==
        perfConstants.NODE_PERFORMANCE_GC_MAJOR
      )
        continue;
      gc.major += 1;
      gc.majorMs += e.duration;
      gc.maxMs = Math.max(gc.maxMs, e.duration);
    }
  });
  gcWatch.observe({ entryTypes: ['gc'] });
  const cpu0 = process.cpuUsage();
  const loopCpu0 = threadCpuMs(process.pid);
  const elu0 = performance.eventLoopUtilization();
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < first + count) {
        const i = next++;
        for (const [step, update] of reportUpdates(i, points, () => updateId++, photoOf(i))) {
          const start = performance.now();
          await feed(update);
          (latencies[step] ??= []).push(performance.now() - start);
        }
      }
    }),
  );
  const seconds = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  const loopCpuMsPerReport = (threadCpuMs(process.pid) - loopCpu0) / count;
  const loopBusyMsPerReport = performance.eventLoopUtilization(elu0).active / count;
  loop.disable();
  gcWatch.disconnect();
  return {
    seconds,
    latencies,
    cpuMsPerReport: (cpu.user + cpu.system) / 1000 / count,
    stallMs: loop.max / 1e6,
    gc,
    loopBusyMsPerReport,
    loopCpuMsPerReport,
  };
}

function printLatencies(latencies: Partial<Record<Step, number[]>>): void {
  const all = Object.values(latencies)
    .flat()
    .sort((a, b) => a - b);
  out(
    `  update → reply queued   p50 ${ms(percentile(all, 50))}   p99 ${ms(percentile(all, 99))}   max ${ms(all.at(-1) ?? NaN)}`,
  );
  for (const [step, v] of Object.entries(latencies)) {
    const s = [...v].sort((a, b) => a - b);
    out(`    ${step.padEnd(9)} p50 ${ms(percentile(s, 50))}   p99 ${ms(percentile(s, 99))}`);
  }
}

export async function run(argv: string[] = []): Promise<void> {
  // --processes N or --db postgres: real main.ts processes behind a balancer, in a file of their
  // own (intake-cluster-bench.ts); this one stays in-process.
  const joined = ` ${argv.join(' ')} `;
  if (/ --processes[= ]/.test(joined) || / --db[= ]postgres /.test(joined))
    return (await import('./intake-cluster-bench.ts')).run(argv);
  const { values } = parseArgs({
    args: argv,
    options: {
      reports: { type: 'string', default: '2000' },
      concurrency: { type: 'string', default: '32' },
      via: { type: 'string', default: 'polling' },
      synchronous: { type: 'string', default: 'full' },
      keep: { type: 'boolean', default: false },
      photos: { type: 'string', default: '0' },
      'photo-px': { type: 'string', default: String(PHONE_LONG_SIDE) },
      'photo-kb': { type: 'string' },
      db: { type: 'string' },
    },
  });
  const total = Number(values.reports);
  const concurrency = Number(values.concurrency);
  const webhook = values.via === 'webhook';
  const photoShare = Number(values.photos);
  if (!(photoShare >= 0 && photoShare <= 1)) throw new Error('--photos takes a share between 0 and 1');
  const photoLongSide = Number(values['photo-px']);
  photoSize(photoLongSide); // refuses a bad --photo-px before the world starts
  const photoKb = photoKilobytes(values['photo-kb']);
  const world = await startIntakeWorld({
    name: 'intake',
    synchronous: values.synchronous,
    ...(values.db ? { dbFile: values.db } : {}),
    env: webhook
      ? { TELEGRAM_MODE: 'webhook', TELEGRAM_WEBHOOK_SECRET: SECRET, PUBLIC_URL: 'https://gridline.example.cn' }
      : {},
  });
  const { db, emu, config, logger, domain, bot, telegram } = world;
  const app = await createServer({
    config,
    logger,
    db,
    domain,
    extraRoutes: [async (scope) => telegram.webhookRoute(scope)],
  });
  await app.ready();
  const feed = async (update: TelegramUpdate): Promise<void> => {
    if (!webhook) return telegram.handleUpdate(update);
    const res = await app.inject({
      method: 'POST',
      url: '/telegram/webhook',
      payload: update,
      headers: { 'x-telegram-bot-api-secret-token': SECRET },
    });
    if (res.statusCode !== 200) throw new Error(`webhook answered ${res.statusCode}: ${res.body}`);
  };
  const points = world.points(total);
  const casesBefore = await db.case.count();

  const warmup = Math.min(200, Math.floor(total / 10));
  // On a database of earlier runs (--db), residents and update ids of their own: the same ones
  // again would be repeats the runtime skips, or residents over their hourly report limit.
  const base = values.db ? Math.floor(Date.now() / 1000) * 1000 : 0;
  const photos =
    photoShare > 0
      ? await prepareBenchPhotos({
          emu,
          fraction: photoShare,
          ranges: [[base, base + warmup + total]],
          points,
          longSide: photoLongSide,
          ...(photoKb !== undefined ? { maxKb: photoKb } : {}),
        })
      : null;
  const photoFeed = photos ? photos.wrap(feed) : feed;
  const photoOf = photos ? (i: number) => photos.photoOf(i) : undefined;
  await drive(photoFeed, base, warmup, concurrency, points, photoOf);
  const r = await drive(photoFeed, base + warmup, total, concurrency, points, photoOf);
  await telegram.stop();
  const cases = await db.case.count();
  const updates = Object.values(r.latencies).reduce((n, v) => n + v.length, 0);
  const queued = await db.outboxMessage.count();

  out(
    `\nTelegram intake benchmark — ${webhook ? 'webhook (fastify inject with the secret header)' : 'polling path (bot.handleUpdate)'}`,
  );
  out(
    `${os.cpus().length} CPUs, load average ${os
      .loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')} (other work shares this machine), Node ${process.version}`,
  );
  out(
    `${total} reports × 3 updates (text, pin, 确认提交; a photo report 4: its photo after the pin), concurrency ${concurrency} (residents at a time), after ${warmup} warm-up reports, synchronous=${values.synchronous === 'normal' ? 'NORMAL' : 'FULL'}`,
  );
  out(`  database ${values.db ?? 'new (temporary)'}: ${casesBefore} cases before the run`);
  if (photos)
    out(
      `  photos: ${(photoShare * 100).toFixed(0)}% of reports send one as a file after the pin, ${photos.width}×${photos.height}, ${(photos.bytes / 1e6).toFixed(2)} MB, EXIF GPS; UV_THREADPOOL_SIZE ${process.env.UV_THREADPOOL_SIZE ?? '4 (default)'}`,
    );
  out(
    `  reports/s      ${(total / r.seconds).toFixed(0)}   (target ≥ ${photos ? '100 with one photo each' : '300'})   updates/s ${(updates / r.seconds).toFixed(0)}   wall ${r.seconds.toFixed(1)} s`,
  );
  out(
    `  CPU per report ${ms(r.cpuMsPerReport)}   (all of the process's threads: the event loop, the WAL checkpoint thread, GC, the emulator)`,
  );
  out(
    `  event loop busy ${ms(r.loopBusyMsPerReport)} per report (wall time: on a loaded machine it counts time the OS gave others)`,
  );
  out(
    `  event-loop thread CPU ${ms(r.loopCpuMsPerReport)} per report (its own CPU only: not what others took, nor waits such as an fsync on the loop)`,
  );
  // Less noisy than reports/s on a shared machine: what the process's CPU use allows on idle cores.
  out(
    `  CPU-bound ceiling ${((os.availableParallelism() * 1000) / r.cpuMsPerReport).toFixed(0)} reports/s on ${os.availableParallelism()} idle cores`,
  );
  printLatencies(r.latencies);
  out(
    `  longest event-loop stall ${ms(r.stallMs)} (monitorEventLoopDelay); full GCs ${r.gc.major}, ${ms(r.gc.majorMs)} in all, longest ${ms(r.gc.maxMs)}`,
  );
  out(
    `  cases ${cases} (${cases - casesBefore} new), outbox rows ${queued}, callback queries answered ${emu.answered.size} of ${warmup + total}`,
  );

  // The adapter alone: the same updates through telegraf and the adapter, into a runtime that
  // answers at once. What Telegram costs on top of the conversation core.
  const bare = createTelegramChannel({
    config,
    logger,
    evidence: domain.evidence,
    notices: { enqueue: async () => {}, kick: () => {} },
    runtime: { receive: async () => [] },
    identify: bot.identify,
  });
  await drive((u) => bare.handleUpdate(u), 0, 500, concurrency, points);
  const a = await drive((u) => bare.handleUpdate(u), 1_000_000, Math.max(total, 5000), concurrency, points);
  await bare.stop();
  out(
    `  adapter alone: ${((3 * Math.max(total, 5000)) / a.seconds).toFixed(0)} updates/s, CPU ${ms(a.cpuMsPerReport / 3)} per update`,
  );
  printLatencies(a.latencies);

  // Delivery on its own: the queued rows through the Telegram sender with no rate limits. With
  // Telegram's limits the worker sends at most 30 a second overall and one a second per chat.
  const sent0 = emu.sent.length;
  const worker = createDeliveryWorker({
    store: domain.outbox,
    senders: [telegram.sender],
    clock: domain.clock,
    logger,
    limits: {},
    batchSize: 50,
  });
  const d0 = performance.now();
  const delivered = await worker.drain();
  const dSeconds = (performance.now() - d0) / 1000;
  out(
    `  delivery, no rate limits: ${delivered} messages in ${dSeconds.toFixed(1)} s = ${(delivered / dSeconds).toFixed(0)} msg/s (emulator received ${emu.sent.length - sent0})`,
  );
  out(
    `  delivery within Telegram's limits: 30 msg/s overall by design, so these ${queued} need ≥ ${(queued / 30).toFixed(0)} s\n`,
  );

  await app.close();
  await world.close(values.keep, out);
}

/** bench/run.ts calls run(); the default export is the same function. */
export default run;
