// npm run bench -- intake [--reports 2000] [--concurrency 32] [--via polling|webhook] [--synchronous full|normal] [--keep]
// Reports per second through the whole Telegram intake path against the Bot API emulator:
// update → telegraf → adapter → conversation → routing → SQLite → reply queued in the outbox.
// One report is what a resident sends: a description, a location pin, and a press of 确认提交.
// Latency is per update, from handing it in until its replies are queued. Then, separately: the
// adapter alone (a runtime that answers at once), and delivery (the outbox drained into the emulator).
import os from 'node:os';
import { parseArgs } from 'node:util';
import { createTelegramChannel, type TelegramUpdate } from '../bot/telegram/telegram-channel.ts';
import { createDeliveryWorker } from '../core/messaging/delivery-worker.ts';
import { createServer } from '../server/app.ts';
import { reportUpdates, type Step } from '../test/helpers/telegram-report-updates.ts';
import { startIntakeWorld } from './intake-world.ts';
import { percentile } from './percentile.ts';

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
) {
  const latencies: Record<Step, number[]> = { text: [], location: [], confirm: [] };
  let next = first;
  let updateId = first * 3 + 1;
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < first + count) {
        for (const [step, update] of reportUpdates(next++, points, () => updateId++)) {
          const start = performance.now();
          await feed(update);
          latencies[step].push(performance.now() - start);
        }
      }
    }),
  );
  const seconds = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  return { seconds, latencies, cpuMsPerReport: (cpu.user + cpu.system) / 1000 / count };
}

function printLatencies(latencies: Record<Step, number[]>): void {
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
    },
  });
  const total = Number(values.reports);
  const concurrency = Number(values.concurrency);
  const webhook = values.via === 'webhook';
  const world = await startIntakeWorld({
    name: 'intake',
    synchronous: values.synchronous,
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

  const warmup = Math.min(200, Math.floor(total / 10));
  await drive(feed, 0, warmup, concurrency, points);
  const r = await drive(feed, warmup, total, concurrency, points);
  await telegram.stop();
  const cases = await db.case.count();
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
    `${total} reports × 3 updates (text, pin, 确认提交), concurrency ${concurrency} (residents at a time), after ${warmup} warm-up reports, synchronous=${values.synchronous === 'normal' ? 'NORMAL' : 'FULL'}`,
  );
  out(
    `  reports/s      ${(total / r.seconds).toFixed(0)}   (target ≥ 300)   updates/s ${((3 * total) / r.seconds).toFixed(0)}   wall ${r.seconds.toFixed(1)} s`,
  );
  out(
    `  CPU per report ${ms(r.cpuMsPerReport)}   (all of the process's threads: the event loop, the WAL checkpoint thread, GC, the emulator)`,
  );
  printLatencies(r.latencies);
  out(`  cases ${cases}, outbox rows ${queued}, callback queries answered ${emu.answered.size} of ${warmup + total}`);

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
