// npm run bench -- soak [--seconds 60] [--rate 5] [--photos 0.3] [--think 2] [--drain 120] [--keep]
// Gridline as production runs it: `node --import tsx main.ts` (what `npm start` runs) in a child
// process, delivery worker on with the default rate limits, Telegram polling against the Bot API
// emulator (TELEGRAM_API_ROOT). Residents arrive at `--rate` reports a second for `--seconds`, each
// sending a description, sometimes a photo, a pin and 确认提交, waiting for the bot's answer
// and `--think` seconds (reading, typing) between steps; staff and the public read the API at the same time. Then the backlog drains.
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import Database from 'better-sqlite3';
import { applyMigrations } from '../db/migrate.ts';
import { createPrismaClient } from '../db/prisma-client.ts';
import { seedReferenceData } from '../db/seed.ts';
import { issueToken } from '../db/token-store.ts';
import { freePort } from '../test/helpers/free-port.ts';
import { startTelegramEmulator, type TelegramEmulator } from '../test/helpers/telegram-emulator.ts';
import { districtPoints } from '../test/helpers/telegram-report-updates.ts';
import { jpeg } from '../test/helpers/test-images.ts';
import { percentile } from './percentile.ts';
import { createBundledJurisdiction } from '../config/jurisdiction-data-file.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const out = (s = '') => process.stdout.write(`${s}\n`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const MB = 1024 * 1024;
const TEXTS = ['人行道上有人摆摊卖水果，把路都占了', '门口堆了一堆建筑垃圾，好几天没人清理', '电线杆上贴满了小广告'];
const MESSAGE_METHODS = new Set(['sendMessage', 'sendPhoto', 'sendMediaGroup', 'sendLocation']);

interface Sample {
  t: number;
  backlog: number;
  /** Chats with a message waiting: below 30 the per-chat limit (one a second), not the bot's, binds. */
  chats: number;
  sentRows: number;
  apiSends: number;
  walBytes: number;
  rssKb: number;
  writeBytes: number;
}

/** /proc/<pid>/io write_bytes: what the process made the kernel write to disk. */
const procWriteBytes = (pid: number): number =>
  Number(/write_bytes:\s*(\d+)/.exec(readFileSync(`/proc/${pid}/io`, 'utf8'))?.[1] ?? NaN);
const procRssKb = (pid: number): number =>
  Number(/VmRSS:\s*(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? NaN);
const fileSize = (f: string): number => (existsSync(f) ? statSync(f).size : 0);

/** Staff who receive the new-case pushes: one team lead with a Telegram chat per street. */
async function prepareDatabase(url: string): Promise<{ staffToken: string }> {
  await applyMigrations(url);
  const db = await createPrismaClient(url);
  await seedReferenceData(db);
  const streets = await db.street.findMany({ orderBy: { id: 'asc' } });
  for (const [i, s] of streets.entries()) {
    const p = await db.person.create({ data: { displayName: `队长${i}`, role: 'team_lead', streetId: s.id } });
    const chat = String(900_000 + i);
    await db.chatIdentity.create({ data: { channel: 'telegram', externalId: chat, chatId: chat, personId: p.id } });
  }
  const admin = await db.person.create({ data: { displayName: '区局', role: 'district_admin' } });
  const staffToken = await issueToken(db, admin.id, 'soak');
  await db.$disconnect();
  return { staffToken };
}

/** The first bot message to `chatId` at index ≥ from, then the one matching `done` (or a timeout). */
async function answer(emu: TelegramEmulator, chatId: string, from: number, done: (text: string) => boolean) {
  const until = Date.now() + 60_000;
  let first: number | null = null;
  for (let i = from; Date.now() < until;) {
    for (; i < emu.sent.length; i++) {
      const m = emu.sent[i]!;
      if (m.chat_id !== chatId) continue;
      first ??= m.at;
      if (done(m.text ?? m.caption ?? '')) return first;
    }
    await sleep(10);
  }
  return first;
}

export async function run(argv: string[] = []): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      seconds: { type: 'string', default: '60' },
      rate: { type: 'string', default: '5' },
      photos: { type: 'string', default: '0.3' },
      drain: { type: 'string', default: '120' },
      think: { type: 'string', default: '2' },
      keep: { type: 'boolean', default: false },
    },
  });
  const seconds = Number(values.seconds);
  const rate = Number(values.rate);
  const photoShare = Number(values.photos);
  const thinkMs = Number(values.think) * 1000;
  const dir = mkdtempSync(path.join(os.tmpdir(), 'gridline-soak-'));
  const dbFile = path.join(dir, 'soak.db');
  const url = `file:${dbFile}`;
  const { staffToken } = await prepareDatabase(url);
  const emu = await startTelegramEmulator();
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const log = createWriteStream(path.join(dir, 'server.log'));
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', 'main.ts'], {
    cwd: ROOT,
    env: {
      ...process.env,
      DATA_DIR: dir,
      DATABASE_URL: url,
      PORT: String(port),
      HOST: '127.0.0.1',
      TELEGRAM_BOT_TOKEN: emu.token,
      TELEGRAM_API_ROOT: emu.apiRoot,
      LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout!.pipe(log);
  child.stderr!.pipe(log);
  const pid = child.pid!;
  process.once('exit', () => child.kill('SIGKILL'));
  for (let i = 0; ; i++) {
    if (i > 600 || child.exitCode !== null) throw new Error(`server did not start; see ${dir}/server.log`);
    if (
      await fetch(`${base}/healthz`).then(
        (r) => r.ok,
        () => false,
      )
    )
      break;
    await sleep(100);
  }
  // Telegram polling starts after listen: a first message answered means the bot is polling.
  const warm = emu.user({ id: 299_999 });
  await warm.send('/start');
  await warm.expect('网格通', 60_000);

  const reader = new Database(dbFile, { readonly: true, fileMustExist: true });
  const backlogQuery = reader.prepare(
    `SELECT count(*) AS n FROM "OutboxMessage" WHERE "status" IN ('pending','sending')`,
  );
  const chatsQuery = reader.prepare(
    `SELECT count(DISTINCT "chatId") AS n FROM "OutboxMessage" WHERE "status" IN ('pending','sending')`,
  );
  const sentQuery = reader.prepare(`SELECT count(*) AS n FROM "OutboxMessage" WHERE "status" = 'sent'`);
  const casesQuery = reader.prepare(`SELECT count(*) AS n FROM "Case"`);
  const apiSends = () => emu.calls.filter((c) => MESSAGE_METHODS.has(c.method) && c.status === 200).length;
  const t0 = Date.now();
  const samples: Sample[] = [];
  const sample = () =>
    samples.push({
      t: (Date.now() - t0) / 1000,
      backlog: (backlogQuery.get() as { n: number }).n,
      chats: (chatsQuery.get() as { n: number }).n,
      sentRows: (sentQuery.get() as { n: number }).n,
      apiSends: apiSends(),
      walBytes: fileSize(`${dbFile}-wal`),
      rssKb: procRssKb(pid),
      writeBytes: procWriteBytes(pid),
    });
  sample();
  const sampler = setInterval(sample, 1000);

  // Readers: /healthz five times a second, staff and public API twice a second each.
  const latencies: Record<string, number[]> = { healthz: [], staff: [], public: [] };
  let reading = true;
  let failedReads = 0;
  const readLoop = async (name: string, every: number, url: () => string, headers: Record<string, string> = {}) => {
    while (reading) {
      const s = performance.now();
      const res = await fetch(`${base}${url()}`, { headers }).catch(() => null);
      await res?.arrayBuffer();
      if (res?.ok) latencies[name]!.push(performance.now() - s);
      else failedReads += 1;
      await sleep(every);
    }
  };
  const readers = [
    readLoop('healthz', 200, () => '/healthz'),
    readLoop('staff', 500, () => '/api/cases?pageSize=20', { authorization: `Bearer ${staffToken}` }),
    readLoop('public', 500, () => (Math.random() < 0.5 ? '/api/public/stats' : '/api/public/cases?pageSize=20')),
  ];

  // Residents: one new report every 1/rate seconds, each waiting for the bot between its steps.
  const jurisdiction = createBundledJurisdiction();
  const points = districtPoints(Math.ceil(seconds * rate) + 10, (lat, lng) => {
    const s = jurisdiction.locatePoint({ lat, lng });
    return !s.outsideDistrict && s.street !== null;
  });
  const photo = await jpeg(320, 240);
  const replyMs: number[] = [];
  let unanswered = 0;
  let confirmed = 0;
  const residents: Promise<void>[] = [];
  const resident = async (i: number) => {
    const u = emu.user({ id: 300_000 + i });
    const step = async (act: () => Promise<unknown>, done: (text: string) => boolean) => {
      const from = emu.sent.length;
      const pushed = Date.now();
      await act();
      const first = await answer(emu, u.chatId, from, done);
      if (first === null) unanswered += 1;
      else replyMs.push(first - pushed);
      await sleep(thinkMs);
    };
    await step(
      () => u.send(TEXTS[i % TEXTS.length]!),
      (t) => t.includes('位置'),
    );
    if (Math.random() < photoShare)
      await step(
        () => u.sendPhoto(photo),
        () => true,
      );
    const [lat, lng] = points[(i * 7919) % points.length]!;
    await step(
      () => u.sendLocation(lat, lng, { accuracy: 10 }),
      (t) => t.includes('请确认'),
    );
    await step(
      () => u.press('确认提交').catch(() => undefined),
      (t) => t.includes('案件编号'),
    );
    confirmed += 1;
  };
  const loadStart = Date.now();
  for (let i = 0; Date.now() - loadStart < seconds * 1000; i++) {
    residents.push(resident(i).catch(() => void (unanswered += 1)));
    await sleep(Math.max(0, loadStart + ((i + 1) * 1000) / rate - Date.now()));
  }
  const loadSeconds = (Date.now() - loadStart) / 1000;
  sample();
  const atLoadEnd = samples.at(-1)!;
  const casesAtLoadEnd = (casesQuery.get() as { n: number }).n;
  const offered = residents.length;

  // Drain: until nothing is waiting, or --drain seconds.
  const drainStart = Date.now();
  while (Date.now() - drainStart < Number(values.drain) * 1000) {
    await sleep(500);
    if ((backlogQuery.get() as { n: number }).n === 0) break;
  }
  await Promise.race([Promise.all(residents), sleep(5000)]);
  reading = false;
  await Promise.all(readers);
  clearInterval(sampler);
  sample();
  const end = samples.at(-1)!;
  const cases = (casesQuery.get() as { n: number }).n;
  const drainSeconds = (Date.now() - drainStart) / 1000;
  const first = samples[0]!;

  out(`\nSoak benchmark: main.ts in a child process (pid ${pid}), delivery on, default rate limits, emulator`);
  out(
    `${os.cpus().length} CPUs, load average ${os
      .loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')} (the machine is shared with other work), Node ${process.version}`,
  );
  out(
    `offered ${offered} reports in ${loadSeconds.toFixed(0)} s (${rate}/s, ${photoShare * 100}% with a photo, ${thinkMs / 1000} s between a reply and the next step)`,
  );
  out(
    `  reports accepted ${casesAtLoadEnd} during the load = ${(casesAtLoadEnd / loadSeconds).toFixed(1)}/s; ${cases} in all; residents done ${confirmed}, steps unanswered ${unanswered}`,
  );
  const sorted = (v: number[]) => [...v].sort((a, b) => a - b);
  const pct = (v: number[]) =>
    `p50 ${percentile(sorted(v), 50).toFixed(0)} ms  p99 ${percentile(sorted(v), 99).toFixed(0)} ms`;
  out(
    `  reply to a resident's message (update pushed → first bot message in that chat): ${pct(replyMs)}  (n ${replyMs.length})`,
  );
  for (const [name, v] of Object.entries(latencies)) out(`  GET ${name.padEnd(8)} ${pct(v)}  (n ${v.length})`);
  out(`  failed reads ${failedReads}`);
  out(`  backlog over time (outbox rows pending or sending; API sends per second since the previous row):`);
  let prev = first;
  for (const s of samples.filter((_, k) => k % 5 === 0 || k === samples.length - 1)) {
    const rateNow = s.t > prev.t ? (s.apiSends - prev.apiSends) / (s.t - prev.t) : 0;
    out(
      `    t ${s.t.toFixed(0).padStart(4)} s  backlog ${String(s.backlog).padStart(6)} in ${String(s.chats).padStart(5)} chats  sends/s ${rateNow.toFixed(1).padStart(5)}  WAL ${(s.walBytes / MB).toFixed(1)} MB  RSS ${(s.rssKb / 1024).toFixed(0)} MB`,
    );
    prev = s;
  }
  // The rate a backlog drains at where it spreads over enough chats that the bot's limit (30 a
  // second), not the per-chat one, is what holds it back.
  let busySends = 0;
  let busySeconds = 0;
  samples.forEach((s, k) => {
    const next = samples[k + 1];
    if (next && s.chats >= 30) {
      busySends += next.apiSends - s.apiSends;
      busySeconds += next.t - s.t;
    }
  });
  const drained = end.sentRows - atLoadEnd.sentRows;
  out(
    `  drain after the load: backlog ${atLoadEnd.backlog} → ${end.backlog} in ${drainSeconds.toFixed(1)} s; ${drained} rows sent = ${(drained / drainSeconds).toFixed(1)} rows/s, ${((end.apiSends - atLoadEnd.apiSends) / drainSeconds).toFixed(1)} API sends/s`,
  );
  out(
    busySeconds > 0
      ? `  while 30 or more chats had messages waiting (${busySeconds.toFixed(0)} s): ${(busySends / busySeconds).toFixed(1)} API sends/s (target ≥ 25/s per bot)`
      : '  never were 30 or more chats waiting at once',
  );
  out(
    `  WAL max ${(Math.max(...samples.map((s) => s.walBytes)) / MB).toFixed(1)} MB (target < 64 MB); database ${(fileSize(dbFile) / MB).toFixed(1)} MB; RSS max ${(Math.max(...samples.map((s) => s.rssKb)) / 1024).toFixed(0)} MB`,
  );
  out(
    `  bytes written (/proc/${pid}/io write_bytes): ${((atLoadEnd.writeBytes - first.writeBytes) / Math.max(1, casesAtLoadEnd) / 1024).toFixed(0)} KB per report during the load, ${((end.writeBytes - first.writeBytes) / Math.max(1, cases) / 1024).toFixed(0)} KB per report including the drain`,
  );
  out(
    `  outbox rows ${end.sentRows + end.backlog} (sent ${end.sentRows}), ${((end.sentRows + end.backlog) / Math.max(1, cases)).toFixed(1)} per report\n`,
  );

  reader.close();
  child.kill('SIGTERM');
  await new Promise((r) => child.once('exit', r));
  await emu.close();
  if (values.keep) out(`database and server log kept at ${dir}`);
  else rmSync(dir, { recursive: true, force: true });
}

export default run;
