// A real Wechaty bot on wechaty-puppet-mock, wired to a fresh Gridline (migrated SQLite, domain,
// conversation core, delivery worker) exactly as main.ts wires it. Mock contacts talk to the bot;
// what the bot says to them arrives through the mocker's message events.
import { randomUUID } from 'node:crypto';
import { FileBox } from 'file-box';
import { ScanStatus, types, type payloads } from 'wechaty';
import { PuppetMock, mock } from 'wechaty-puppet-mock';
import { createBot, type Bot } from '../../app/create-bot.ts';
import { createWeChat } from '../../app/create-wechat.ts';
import type { WeChatChannel } from '../../bot/wechat/wechat-channel.ts';
import type { Role } from '../../core/case/case-types.ts';
import { createDeliveryWorker, type DeliveryWorker } from '../../core/messaging/delivery-worker.ts';
import type { RetryPolicy } from '../../core/messaging/delivery-fns.ts';
import type { RateLimits } from '../../core/messaging/rate-limiter.ts';
import { issueBindCode } from '../../db/identity-store.ts';
import { createTestApp, type TestApp } from './test-app.ts';
import { silentLogger, testConfig } from './test-config.ts';

/** The mock answers every location with one fixed point in Beijing; this one carries ours. */
export class LocatingPuppetMock extends PuppetMock {
  readonly locations = new Map<string, payloads.Location>();
  override async messageLocation(messageId: string): Promise<payloads.Location> {
    return this.locations.get(messageId) ?? super.messageLocation(messageId);
  }
}

type ContactMock = ReturnType<mock.Mocker['createContact']>;
type RoomMock = ReturnType<mock.Mocker['createRoom']>;
/** What a mock contact's 'message' event carries (its typed-emitter types do not resolve under NodeNext). */
interface MockMessage {
  talker(): { id: string };
  type(): types.Message;
  text(): string | undefined;
  toFileBox(): Promise<FileBox>;
}
type MessageListener = { on(event: 'message', listener: (m: MockMessage) => void): unknown };

export interface Received {
  type: types.Message;
  text: string;
  at: number;
  box?: () => Promise<FileBox>;
}

export interface WeChatPerson {
  id: string;
  contact: ContactMock;
  /** Everything the bot sent this person, in order. */
  inbox: Received[];
  say(text: string, to?: RoomMock): void;
  sendPhoto(bytes: Buffer, name?: string): void;
  /** A location message as WeChat sends it: GCJ-02 coordinates, address label, place name. */
  sendLocation(p: { latitude: number; longitude: number; address: string; name: string }): void;
  /** A message of another kind (a link card, a mini-program, a voice message…). */
  sendOther(type: types.Message, text?: string): void;
  /** Waits for the next text from the bot containing `pattern`; earlier ones are skipped. */
  expect(pattern: string | RegExp, timeoutMs?: number): Promise<string>;
  /** Waits for a text containing `pattern` anywhere in the inbox (a push may overtake a reply). */
  received(pattern: string, timeoutMs?: number): Promise<string>;
  /** Sends a text and waits for the reply containing `pattern`. */
  ask(text: string, pattern: string | RegExp): Promise<string>;
}

export interface WeChatWorld extends TestApp {
  bot: Bot;
  channel: WeChatChannel;
  worker: DeliveryWorker;
  mocker: mock.Mocker;
  puppet: LocatingPuppetMock;
  botUser: ContactMock;
  qrPrinted: string[];
  person(name: string): WeChatPerson;
  /** A group chat with these members and the bot; `said` collects what the bot says in it. */
  room(
    topic: string,
    members: WeChatPerson[],
  ): { room: RoomMock; said: string[]; say(from: WeChatPerson, text: string, mentionBot?: boolean): void };
  /** A person bound to a staff role with `/bind CODE` in WeChat, as an administrator would issue it. */
  bindStaff(name: string, role: Role, street?: string): Promise<WeChatPerson>;
  stop(): Promise<void>;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export interface WeChatWorldOptions {
  /** 'default': the channel's real limits (DEFAULT_RATE_LIMITS); otherwise fast ones for tests. */
  limits?: RateLimits | 'default';
  retryPolicy?: RetryPolicy;
  /** The delivery worker's clock (the domain keeps the wall clock): lets a test skip a wait. */
  workerClock?: () => Date;
}

export async function createWeChatWorld(opts: WeChatWorldOptions = {}): Promise<WeChatWorld> {
  const t = await createTestApp();
  const config = testConfig(t.dir);
  const logger = silentLogger();
  let kick = () => {};
  const bot = createBot({ db: t.db, domain: t.domain, config, logger, kick: () => kick() });
  const mocker = new mock.Mocker();
  const puppet = new LocatingPuppetMock({ mocker });
  const qrPrinted: string[] = [];
  const channel = (await createWeChat({
    db: t.db,
    domain: t.domain,
    config,
    logger,
    runtime: bot.runtime,
    identify: bot.identify,
    kick: () => kick(),
    puppet,
    printQr: (s) => qrPrinted.push(s),
  }))!;
  // Tests talk fast; the default WeChat limits (1 s per chat) are checked in their own test.
  const limits =
    opts.limits === 'default'
      ? undefined
      : (opts.limits ?? { wechat: { perChatIntervalMs: 10, globalPerSecond: 200 } });
  const worker = createDeliveryWorker({
    store: t.domain.outbox,
    senders: [channel.sender],
    clock: opts.workerClock ?? t.domain.clock,
    logger,
    pollIntervalMs: 20,
    ...(limits ? { limits } : {}),
    ...(opts.retryPolicy ? { retryPolicy: opts.retryPolicy } : {}),
  });
  kick = () => worker.kick();

  await channel.start();
  mocker.scan('https://login.weixin.qq.com/l/gridline-test', ScanStatus.Waiting);
  const botUser = mocker.createContact({ name: '网格通' });
  mocker.login(botUser);
  await worker.start();

  const people: WeChatPerson[] = [];
  const world: WeChatWorld = {
    ...t,
    bot,
    channel,
    worker,
    mocker,
    puppet,
    botUser,
    qrPrinted,
    person(name) {
      const contact = mocker.createContact({ name });
      const inbox: Received[] = [];
      let cursor = 0;
      (contact as unknown as MessageListener).on('message', (m) => {
        if (m.talker().id !== botUser.id) return;
        const type = m.type();
        inbox.push({
          type,
          text: m.text() ?? '',
          at: Date.now(),
          ...(type !== types.Message.Text ? { box: () => m.toFileBox() } : {}),
        });
      });
      const emit = (type: types.Message, text?: string): string => {
        const id = randomUUID();
        mocker.MessageMock.create({
          id,
          talkerId: contact.id,
          listenerId: botUser.id,
          timestamp: Date.now(),
          type,
          ...(text !== undefined ? { text } : {}),
        });
        return id;
      };
      const p: WeChatPerson = {
        id: contact.id,
        contact,
        inbox,
        say: (text, to) => contact.say(text).to(to ?? botUser),
        sendPhoto: (bytes, fileName = 'IMG_0001.jpg') =>
          contact.say(FileBox.fromBase64(bytes.toString('base64'), fileName)).to(botUser),
        sendLocation(loc) {
          const id = randomUUID();
          puppet.locations.set(id, { ...loc, accuracy: 15 });
          mocker.MessageMock.create({
            id,
            talkerId: contact.id,
            listenerId: botUser.id,
            timestamp: Date.now(),
            type: types.Message.Location,
            text: `${loc.address}:\n/cgi-bin/mmwebwx-bin/webwxgetpubliclinkimg?pictype=location`,
          });
          puppet.emit('message', { messageId: id });
        },
        sendOther(type, text) {
          puppet.emit('message', { messageId: emit(type, text) });
        },
        async expect(pattern, timeoutMs = 10_000) {
          const deadline = Date.now() + timeoutMs;
          for (;;) {
            for (; cursor < inbox.length; cursor++) {
              const text = inbox[cursor]!.text;
              if (typeof pattern === 'string' ? text.includes(pattern) : pattern.test(text)) {
                cursor += 1;
                return text;
              }
            }
            if (Date.now() > deadline)
              throw new Error(
                `${name} got no message matching ${String(pattern)}; inbox:\n${inbox.map((r) => `· ${r.text}`).join('\n')}`,
              );
            await sleep(15);
          }
        },
        async received(pattern, timeoutMs = 10_000) {
          const deadline = Date.now() + timeoutMs;
          for (;;) {
            const hit = inbox.find((r) => r.text.includes(pattern));
            if (hit) return hit.text;
            if (Date.now() > deadline) throw new Error(`${name} never got a message containing ${pattern}`);
            await sleep(15);
          }
        },
        async ask(text, pattern) {
          p.say(text);
          return p.expect(pattern);
        },
      };
      people.push(p);
      return p;
    },
    room(topic, members) {
      const room = mocker.createRoom({ topic, memberIdList: [botUser.id, ...members.map((m) => m.id)] });
      const said: string[] = [];
      (room as unknown as MessageListener).on('message', (m) => {
        if (m.talker().id === botUser.id) said.push(m.text() ?? '');
      });
      return {
        room,
        said,
        say(from, text, mentionBot = false) {
          from.contact.say(mentionBot ? `@网格通\u2005${text}` : text, mentionBot ? [botUser] : []).to(room);
        },
      };
    },
    async bindStaff(name, role, street) {
      const code = await issueBindCode(t.db, { role, displayName: name, ...(street ? { streetName: street } : {}) });
      const p = world.person(name);
      await p.ask(`/bind ${code}`, '绑定成功');
      return p;
    },
    async stop() {
      await worker.stop();
      await channel.stop();
      await t.close();
    },
  };
  return world;
}
