import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBot, type Bot } from '../../app/create-bot.ts';
import { createDomain } from '../../app/create-domain.ts';
import { createTelegram, type TelegramChannel } from '../../app/create-telegram.ts';
import type { InboundMessage } from '../../bot/inbound-types.ts';
import { createDeliveryWorker } from '../../core/messaging/delivery-worker.ts';
import { createOutboxStore } from '../../db/outbox-store.ts';
import { createPrismaClient, type Db } from '../../db/prisma-client.ts';
import { createSendBudgetStore } from '../../db/send-budget-store.ts';
import { createFakeClock } from '../helpers/fake-clock.ts';
import { startPgWireLog, type PgWireLog } from '../helpers/pg-wire-log.ts';
import { createRecordingSender } from '../helpers/recording-sender.ts';
import { startTelegramEmulator, type TelegramEmulator } from '../helpers/telegram-emulator.ts';
import { createTestApp, type TestApp } from '../helpers/test-app.ts';
import { silentLogger, testConfig } from '../helpers/test-config.ts';
import { jpeg } from '../helpers/test-images.ts';

/**
 * What one resident's report (text, pin, 确认提交) costs PostgreSQL, counted on the wire by a
 * relay that logs every statement the server is sent (issue 17: a report cost ~23 ms of CPU on
 * PostgreSQL against ~3.4 on SQLite, most of it per round trip rather than per row). Each BEGIN
 * and COMMIT is a round trip too. The bot runs on a client that connects through the relay, as
 * main.ts's would; no timing is asserted.
 */
const clock = createFakeClock('2026-11-20T02:00:00Z');
let t: TestApp;
let wire: PgWireLog;
let db: Db;
let bot: Bot;
let emu: TelegramEmulator;
let telegram: TelegramChannel;
let channelWiring: Parameters<typeof createTelegram>[0];
let seq = 0;

const pgOnly = process.env.TEST_ENGINE === 'postgres' && !!process.env.TEST_DATABASE_URL;

beforeAll(async () => {
  if (!pgOnly) return;
  t = await createTestApp({ clock: clock.now });
  wire = await startPgWireLog(t.url);
  db = await createPrismaClient(wire.urlThrough(t.url));
  emu = await startTelegramEmulator();
  const env = { TELEGRAM_BOT_TOKEN: emu.token, TELEGRAM_API_ROOT: emu.apiRoot };
  const config = testConfig(t.dir, env);
  const logger = silentLogger();
  const domain = await createDomain({ db, config, logger, clock: clock.now });
  bot = createBot({ db, logger, config, domain });
  // Photos come only through a channel that downloads them: Telegram's, against the emulator.
  channelWiring = { config, logger, db, domain, bot, kick: () => {} };
  telegram = createTelegram(channelWiring)!;
});

afterAll(async () => {
  await telegram?.stop();
  await emu?.close();
  await db?.$disconnect();
  await wire?.close();
  await t?.close();
});

/** Resident i's next message in their Telegram chat, as a new update. */
function say(i: number, m: Partial<InboundMessage>) {
  seq += 1;
  const userId = `9000${i}`;
  return bot.runtime.receive({
    channel: 'telegram',
    chatId: userId,
    userId,
    updateId: `r${seq}`,
    displayName: `居民${i}`,
    ...m,
  });
}

/** One resident's report, as a newcomer: text, the pin, then 确认提交. Returns the reply texts. */
async function report(i: number): Promise<string[]> {
  const send = (m: Partial<InboundMessage>) => say(i, m);
  const texts: string[] = [];
  texts.push(...(await send({ text: '门口一堆建筑垃圾没人清理，堆了好几天' })).map((r) => r.text));
  const pinned = await send({ location: { lat: 30.5795 + i * 0.001, lng: 114.2869, crs: 'wgs84' } });
  texts.push(...pinned.map((r) => r.text));
  const confirm = pinned.flatMap((r) => r.buttons?.flat() ?? []).find((b) => b.label === '确认提交');
  if (!confirm) throw new Error(`no 确认提交 among ${JSON.stringify(pinned)}`);
  texts.push(...(await send({ button: confirm.id })).map((r) => r.text));
  return texts;
}

const counts = (statements: string[]) => ({
  statements: statements.length,
  transactions: statements.filter((s) => /^\s*BEGIN\b/i.test(s)).length,
});

describe.skipIf(!pgOnly)('a report on PostgreSQL, on the wire', () => {
  it('costs a newcomer one transaction (the registration) and a known resident none', async () => {
    await report(0); // the pools' first connections and their session settings
    wire.statements.length = 0;
    expect((await report(1)).join()).toMatch(/JH-\d{8}-\d{4}/);
    const newcomer = counts(wire.statements);
    // Was 70 statements in 14 transactions: each of the three messages took four units of work
    // (duplicate check, sender, chat state, the handled message), each with BEGIN and COMMIT,
    // plus the duplicate search and the case's registration. Now the reads go alone, the handled
    // message is one statement, and only the newcomer's person, the duplicate search (its grid
    // locks) and the registration are transactions.
    // Then 41 statements in 3 transactions: the newcomer's person (BEGIN, an advisory lock, a
    // second read, two INSERTs, COMMIT) is now one statement, and the offer to follow a case
    // nearby after the pin (BEGIN, grid-cell locks, the search, COMMIT) one plain read: only the
    // registration's duplicate search takes turns.
    expect(newcomer.transactions).toBe(1);
    expect(wire.statements.filter((s) => /pg_advisory_xact_lock/.test(s))).toHaveLength(1);
    // And each message's first three reads (was the update seen, who sent it, the chat's flow
    // state), one round trip each, are one: 26 statements.
    expect(newcomer.statements).toBeLessThanOrEqual(26);
    // In the registration, the case's INSERT returns it as read back (was an INSERT and a read,
    // and the summaries read it a third time), its three events are one INSERT (were three), and
    // the street's handlers or else the bureau one read (were two): 21 statements.
    expect(wire.statements.filter((s) => /^\s*INSERT INTO "CaseEvent"/.test(s))).toHaveLength(1);
    expect(wire.statements.filter((s) => /FROM "Case" WHERE "id" = \$1|WHERE c."id" = \$1/.test(s))).toHaveLength(0);
    expect(newcomer.statements).toBeLessThanOrEqual(21);

    wire.statements.length = 0;
    // The same resident again: known, so no lock and no insert for the sender.
    const again = await say(1, { text: '门口又有人乱倒建筑垃圾' });
    expect(again.length).toBeGreaterThan(0);
    const known = counts(wire.statements);
    // Was 15 statements in 4 transactions, then 4 (the duplicate check, the sender, the chat's
    // state and the commit of the handled message, one round trip each): now the three reads
    // are one statement, and the commit the other.
    expect(known.transactions).toBe(0);
    expect(wire.statements.some((s) => /pg_advisory/i.test(s))).toBe(false);
    expect(known.statements).toBe(2);

    // Once more: every statement is prepared on its connection already, so none is parsed (and
    // planned) again. Planning was most of PostgreSQL's CPU per report.
    wire.statements.length = 0;
    wire.parses.length = 0;
    for (let i = 0; i < 4; i++) await say(1, { text: '门口又有人乱倒建筑垃圾' });
    expect(wire.statements.length).toBeGreaterThanOrEqual(8);
    expect(wire.parses.length).toBeLessThanOrEqual(4); // a connection of the pool used for the first time
  });

  it("stores a known resident's photo with one read of the message (its update, sender and chat state)", async () => {
    await report(3); // resident 3 is known now
    const photo = await jpeg(64, 48, { lat: 30.58, lng: 114.28 });
    const userId = 90003;
    const message = (n: number) => ({
      update_id: 7_000 + n,
      message: {
        message_id: 40 + n,
        date: 0,
        chat: { id: userId, type: 'private', first_name: '居民3' },
        from: { id: userId, is_bot: false, first_name: '居民3' },
        document: { ...emu.addFile(photo), mime_type: 'image/jpeg', file_name: `IMG_${n}.jpg` },
      },
    });
    await telegram.handleUpdate(message(0) as never); // each connection of the pool prepared
    wire.statements.length = 0;
    const update = message(1);
    await telegram.handleUpdate(update as never);
    // Was five: the uploader's account (a read of its own), the photo's earlier copy, its row,
    // then the runtime's read of the update, the account (again) and the chat's state, and the
    // commit. The runtime's read now comes first and names the uploader: four.
    expect(wire.statements.filter((s) => /FROM "ChatIdentity"/.test(s))).toHaveLength(1);
    expect(wire.statements.filter((s) => /^\s*INSERT INTO "Attachment"/.test(s))).toHaveLength(1);
    expect(wire.statements.filter((s) => /^\s*BEGIN\b/i.test(s))).toHaveLength(0);
    expect(wire.statements.length).toBeLessThanOrEqual(4);
    const rows = await db.attachment.findMany({ where: { draftKey: `telegram:${userId}:${userId}` } });
    expect(rows).toHaveLength(2);

    // Delivered again (another process committed it, or this one restarted): the read says so
    // before the photo is downloaded, and nothing else is read or written.
    const downloads = emu.calls.filter((c) => c.method === 'getFile').length;
    wire.statements.length = 0;
    // A channel of its own: this one remembers the update id it handled.
    await createTelegram(channelWiring)!.handleUpdate(update as never);
    expect(wire.statements).toHaveLength(1);
    expect(emu.calls.filter((c) => c.method === 'getFile').length).toBe(downloads);
    expect(await db.attachment.count({ where: { draftKey: `telegram:${userId}:${userId}` } })).toBe(2);
  });

  it('searches for an open case nearby once per place, not again when a photo follows the pin', async () => {
    const i = 4;
    const userId = 90000 + i;
    await say(i, { text: '门口一堆建筑垃圾没人清理，堆了好几天' });
    wire.statements.length = 0;
    // South of the others: north of 30.5815 lies the next district.
    const pinned = await say(i, { location: { lat: 30.5755, lng: 114.2869, crs: 'wgs84' } });
    expect(pinned.map((r) => r.text).join()).toContain('确认');
    const caseReads = () => wire.statements.filter((s) => /FROM "Case" c\b/.test(s)).length;
    expect(caseReads()).toBe(1); // the pin's search: nothing nearby
    wire.statements.length = 0;
    await telegram.handleUpdate({
      update_id: 7_100,
      message: {
        message_id: 50,
        date: 0,
        chat: { id: userId, type: 'private', first_name: `居民${i}` },
        from: { id: userId, is_bot: false, first_name: `居民${i}` },
        document: { ...emu.addFile(await jpeg(64, 48)), mime_type: 'image/jpeg', file_name: 'IMG_9.jpg' },
      },
    } as never);
    // The photo's summary (same matter, same spot, a moment later) was a second search.
    expect(caseReads()).toBe(0);
    expect(wire.statements.length).toBeLessThanOrEqual(4);
  });

  it("writes the registration's shared rows (rollups, the day's case number) in its last statement", async () => {
    // The district's own rollup rows (one per day: every registration adds to it) and the day's
    // case-number counter are locked from their write to COMMIT: every registration in every
    // process waits for them (issue 17: 99 % of lock waits with 4 processes were on the rollup
    // upsert, which ran three round trips before COMMIT). Now the unit's rollup rows and the
    // counter are one statement, the last before COMMIT, so the hold is one round trip.
    await report(-1); // further south: north of 30.5815 lies the next district
    wire.statements.length = 0;
    expect((await report(-2)).join()).toMatch(/JH-\d{8}-\d{4}/);
    const commit = wire.statements.lastIndexOf('COMMIT');
    const begin = wire.statements
      .slice(0, commit)
      .map((s) => /^\s*BEGIN\b/i.test(s))
      .lastIndexOf(true);
    const unit = wire.statements.slice(begin + 1, commit);
    const rollups = unit.filter((s) => /INSERT INTO "StatsRollup"/.test(s));
    expect(rollups).toHaveLength(1);
    expect(unit.at(-1)).toBe(rollups[0]);
    expect(unit.at(-1)).toMatch(/INSERT INTO "CaseCounter"/);
    expect(unit.filter((s) => /"CaseCounter"/.test(s))).toHaveLength(1);
  });

  it('delivers replies with no transaction but the budget reservations', async () => {
    // As main.ts runs the worker on PostgreSQL: the shared send budget, Telegram's limits.
    const sender = createRecordingSender('telegram', clock.now);
    const worker = createDeliveryWorker({
      store: createOutboxStore(db, { clock: clock.now }),
      budget: createSendBudgetStore(db),
      senders: [sender],
      clock: clock.now,
      logger: silentLogger(),
    });
    await worker.drain(); // what the reports above queued
    await report(2);
    wire.statements.length = 0;
    const before = sender.sent.length;
    for (let i = 0; i < 5 && sender.sent.length - before < 3; i++) {
      await worker.drain();
      clock.advance(1_100); // Telegram's one message a second per chat
    }
    expect(sender.sent.length - before).toBeGreaterThanOrEqual(3);
    // Each claim, each send's end and each row marked sent was a transaction (BEGIN, the
    // statement, COMMIT). They are single statements: now the only transactions are the budget
    // reservations, an advisory lock and several statements each.
    const begins = wire.statements.flatMap((x, i) => (/^\s*BEGIN\b/i.test(x) ? [wire.statements[i + 1]] : []));
    expect(begins.length).toBeGreaterThan(0);
    for (const first of begins) expect(first).toMatch(/pg_advisory_xact_lock/);
    expect(wire.statements.filter((x) => /^\s*(BEGIN|COMMIT)\b/i.test(x))).toHaveLength(2 * begins.length);
    // Under the lock, which every process's reservations wait for: one read of the recent sends
    // and one INSERT of those granted (was also a DELETE of old sends, and an INSERT per send).
    const held = wire.statements.flatMap((x, i) =>
      /^\s*BEGIN\b/i.test(x) ? [wire.statements.slice(i + 1, wire.statements.indexOf('COMMIT', i))] : [],
    );
    for (const unit of held) {
      expect(unit).toHaveLength(3);
      expect(unit[2]).toMatch(/^\s*INSERT INTO "SendUse"/);
    }
    // Each delivery's bookkeeping, the row sent and the end of its budget use, is one statement
    // (was two round trips: the use ended, then the row marked sent).
    const marked = wire.statements.filter((x) => /UPDATE "OutboxMessage" SET "status" = 'sent'/.test(x));
    expect(marked).toHaveLength(sender.sent.length - before);
    for (const x of marked) expect(x).toMatch(/^\s*WITH "use" AS \(UPDATE "SendUse" SET "endsAt"/);
    expect(wire.statements.filter((x) => /^\s*UPDATE "SendUse"/.test(x))).toHaveLength(0);
  });

  it('an idle worker backs its polling off', async () => {
    // As main.ts runs it on PostgreSQL, but with short intervals: nothing to send for 2.4 s.
    const worker = createDeliveryWorker({
      store: createOutboxStore(db, { clock: clock.now }),
      budget: createSendBudgetStore(db),
      senders: [createRecordingSender('telegram', clock.now)],
      clock: clock.now,
      logger: silentLogger(),
      pollIntervalMs: 100,
      idlePollMaxMs: 800,
    });
    // What the tests above left queued goes first; then no chat is held back by its last send.
    for (let i = 0; i < 10 && (await worker.drain()) > 0; i++) clock.advanceMinutes(1);
    clock.advanceMinutes(2);
    wire.statements.length = 0;
    await worker.start();
    await new Promise((r) => setTimeout(r, 2_400));
    await worker.stop();
    const claims = wire.statements.filter((x) => /^\s*WITH due AS/.test(x)).length;
    // Polling every 100 ms it claimed (and read the shared budget) about 24 times; backing off
    // (100, 200, 400, 800, 800 ms) at most 6 times. A slow machine polls less, never more.
    expect(claims).toBeGreaterThan(0);
    expect(claims).toBeLessThanOrEqual(6);
    expect(wire.statements.length).toBeLessThanOrEqual(3 * 6);
  });

  it('queues a notice to people (a case dispatched to the team leads of a street) in one statement', async () => {
    const people = (await db.chatIdentity.findMany({ orderBy: { id: 'asc' } })).map((i) => i.personId);
    expect(people.length).toBeGreaterThanOrEqual(2);
    const store = createOutboxStore(db, { clock: clock.now });
    wire.statements.length = 0;
    const queued = await store.enqueueForPeopleNow(people, (id) => ({ text: `给 ${id}` }), 'notice:wire', 5);
    expect(queued).toBe(people.length);
    // Was a read of their chat accounts, then BEGIN, the INSERT and COMMIT.
    expect(wire.statements).toHaveLength(1);
    expect(wire.statements[0]).toMatch(/^INSERT INTO "OutboxMessage"/);
    const rows = await db.outboxMessage.findMany({
      where: { dedupeKey: { startsWith: 'notice:wire:' } },
      orderBy: { id: 'asc' },
    });
    expect(rows.map((r) => [r.personId, JSON.parse(r.payload).text, r.caseId, r.priority])).toEqual(
      people.map((id) => [id, `给 ${id}`, 5, 1]),
    );
  });

  it('gives a claim back in one statement, as a worker does with what the shared budget refuses', async () => {
    const store = createOutboxStore(db, { clock: clock.now });
    await store.enqueueNow([{ dedupeKey: 'refused-1', channel: 'other', chatId: 'c1', message: { text: '测试' } }]);
    const [claim] = await store.claimDue(clock.now(), 1, { channel: 'other' });
    wire.statements.length = 0;
    // With several processes on one send rate this happened about once per message sent.
    expect(await store.release(claim!, clock.now())).toBe(true);
    expect(wire.statements).toHaveLength(1);
    expect(wire.statements[0]).toMatch(/^UPDATE "OutboxMessage" SET "status" = 'pending'/);
  });
});
