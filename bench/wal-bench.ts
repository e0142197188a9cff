// npm run bench -- wal [--rate 100] [--seconds 30] [--synchronous full|normal] [--checkpoint-ms 500] [--wal-limit-mb 16] [--keep]
// Sustained writes: `rate` reports a second offered for `seconds` through the Telegram intake path
// (update → telegraf → conversation → SQLite → replies queued), as main.ts runs it (WAL checkpoints
// on their worker thread). Prints the largest WAL seen, the WAL and database at the end, and the
// bytes the process wrote (/proc/self/io) per report.
import { existsSync, readFileSync, statSync } from 'node:fs';
import os from 'node:os';
import { parseArgs } from 'node:util';
import { reportUpdates } from '../test/helpers/telegram-report-updates.ts';
import { startIntakeWorld } from './intake-world.ts';

const out = (s = '') => process.stdout.write(`${s}\n`);
const mb = (bytes: number) => `${(bytes / 1_048_576).toFixed(1)} MB`;
const size = (file: string) => (existsSync(file) ? statSync(file).size : 0);

/** Bytes this process handed to write() (wchar) and sent to the block device (write_bytes). */
function io(): { wchar: number; writeBytes: number } {
  const text = readFileSync('/proc/self/io', 'utf8');
  const field = (name: string) => Number(new RegExp(`^${name}: (\\d+)`, 'm').exec(text)?.[1] ?? NaN);
  return { wchar: field('wchar'), writeBytes: field('write_bytes') };
}

export async function run(argv: string[] = []): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      rate: { type: 'string', default: '100' },
      seconds: { type: 'string', default: '30' },
      synchronous: { type: 'string', default: 'full' },
      'checkpoint-ms': { type: 'string', default: '500' },
      'wal-limit-mb': { type: 'string', default: '16' },
      keep: { type: 'boolean', default: false },
    },
  });
  const rate = Number(values.rate);
  const seconds = Number(values.seconds);
  const walLimitBytes = Number(values['wal-limit-mb']) * 1024 * 1024;
  const world = await startIntakeWorld({
    name: 'wal',
    synchronous: values.synchronous,
    walLimitBytes,
    checkpointMs: Number(values['checkpoint-ms']),
  });
  const { file, db, telegram } = world;
  const points = world.points(rate * seconds);

  let maxWal = 0;
  const sampler = setInterval(() => (maxWal = Math.max(maxWal, size(`${file}-wal`))), 20);
  const io0 = io();
  const t0 = performance.now();
  let updateId = 1;
  let started = 0;
  let done = 0;
  const running: Array<Promise<void>> = [];
  // Open loop: reports start on schedule whether or not earlier ones have finished.
  const total = Math.round(rate * seconds);
  while (started < total) {
    const due = Math.min(total, Math.floor(((performance.now() - t0) / 1000) * rate));
    for (; started < due; started++) {
      const updates = reportUpdates(started, points, () => updateId++);
      running.push(
        (async () => {
          for (const [, u] of updates) await telegram.handleUpdate(u);
          done += 1;
        })(),
      );
    }
    await new Promise((r) => setTimeout(r, 10));
  }
  await Promise.all(running);
  const wall = (performance.now() - t0) / 1000;
  await new Promise((r) => setTimeout(r, 1500)); // the checkpoint thread's last rounds
  clearInterval(sampler);
  maxWal = Math.max(maxWal, size(`${file}-wal`));
  const io1 = io();
  const cases = await db.case.count();

  out(
    `\nWAL under sustained writes — ${rate} reports/s offered for ${seconds} s, synchronous=${values.synchronous === 'normal' ? 'NORMAL' : 'FULL'}, checkpoint every ${values['checkpoint-ms']} ms, WAL limit ${values['wal-limit-mb']} MB`,
  );
  out(
    `${os.cpus().length} CPUs, load average ${os
      .loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')} (other work shares this machine), Node ${process.version}`,
  );
  out(`  reports ${done} (cases ${cases}) in ${wall.toFixed(1)} s = ${(done / wall).toFixed(0)} reports/s`);
  out(`  WAL max ${mb(maxWal)}   WAL at the end ${mb(size(`${file}-wal`))}   database ${mb(size(file))}`);
  const wchar = io1.wchar - io0.wchar;
  const writeBytes = io1.writeBytes - io0.writeBytes;
  out(
    `  written: ${mb(wchar)} through write() (${(wchar / done / 1024).toFixed(0)} KB per report), ${mb(writeBytes)} to the block device (${(writeBytes / done / 1024).toFixed(0)} KB per report)`,
  );

  // Pages written per report with nothing to share a commit with: one resident at a time, the
  // WAL started afresh and left unchecked, so its frame count is exactly what the reports wrote.
  await world.checkpointer.stop();
  await db.$queryRawUnsafe('PRAGMA wal_autocheckpoint = 0');
  await db.$queryRawUnsafe('PRAGMA wal_checkpoint(TRUNCATE)');
  const alone = 200;
  for (let i = 0; i < alone; i++)
    for (const [, u] of reportUpdates(total + i, points, () => updateId++)) await telegram.handleUpdate(u);
  const [frames] = await db.$queryRawUnsafe<Array<{ log: bigint | number }>>('PRAGMA wal_checkpoint(PASSIVE)');
  const perReport = Number(frames?.log ?? NaN) / alone;
  out(
    `  one report at a time: ${perReport.toFixed(1)} WAL frames (pages) per report = ${((perReport * 4120) / 1024).toFixed(0)} KB\n`,
  );
  await db.$queryRawUnsafe('PRAGMA wal_autocheckpoint = 1000');

  await telegram.stop();
  await world.close(values.keep, out);
}

/** bench/run.ts calls run(); the default export is the same function. */
export default run;
