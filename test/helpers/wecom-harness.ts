// The whole WeCom path for end-to-end tests: the emulator on loopback, a fresh SQLite app that
// listens on a real port (the emulator posts callbacks to it), the bot, the WeCom channel and a
// real delivery worker, assembled by app/create-wecom.ts as main.ts does.
import { createBot, type Bot } from '../../app/create-bot.ts';
import { createMp, type Mp } from '../../app/create-mp.ts';
import { createWecom, type Wecom } from '../../app/create-wecom.ts';
import type { Role } from '../../core/case/case-types.ts';
import { createDeliveryWorker, type DeliveryWorker } from '../../core/messaging/delivery-worker.ts';
import { issueBindCode } from '../../db/identity-store.ts';
import { freePort } from './free-port.ts';
import { startMpEmulator, type MpEmulator } from './mp-emulator.ts';
import { AES_KEY as MP_AES_KEY } from './mp-world.ts';
import { createTestApp, type TestApp } from './test-app.ts';
import { silentLogger, testConfig } from './test-config.ts';
import { startWecomEmulator, textOf, type WecomEmulator, type WecomSent } from './wecom-emulator.ts';

export interface WecomHarness extends TestApp {
  emu: WecomEmulator;
  bot: Bot;
  wecom: Wecom;
  delivery: DeliveryWorker;
  /** With `withMp`: the 公众号 channel and its emulator, on the same Gridline (residents there). */
  mp: Mp | null;
  mpEmu: MpEmulator | null;
  /** A member of the WeCom directory, bound to a staff role with 绑定 CODE typed in the app. */
  staffMember(userid: string, role: Role, o: { street: string; name: string; department?: number }): Promise<void>;
  /** A text message from a member, as WeCom delivers it. */
  say(userid: string, content: string, opts?: { retries?: number }): Promise<number[]>;
  /** Waits for a message to the member whose text contains `pattern`, after `since` messages. */
  expectText(userid: string, pattern: string | RegExp, since?: number): Promise<WecomSent>;
  /** Presses the button labelled `label` on the newest card the member received that has it. */
  press(userid: string, label: string): Promise<WecomSent>;
  /** Waits until every callback is processed and every queued message sent. */
  settle(): Promise<void>;
  close(): Promise<void>;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A Monday morning in Wuhan, moving with real time, so deadlines never depend on today's date. */
function pinnedClock(start = '2026-12-07T01:30:00.000Z'): () => Date {
  const t0 = Date.now();
  const s = new Date(start).getTime();
  return () => new Date(s + (Date.now() - t0));
}

export async function createWecomHarness(opts: { withMp?: boolean } = {}): Promise<WecomHarness> {
  const emu = await startWecomEmulator();
  const clock = pinnedClock();
  // The 公众号 emulator posts to a fixed address, so the port is chosen before the app listens.
  const port = opts.withMp ? await freePort() : 0;
  const mpEmu = opts.withMp
    ? await startMpEmulator({ callbackUrl: `http://127.0.0.1:${port}/mp/callback`, clock, aesKey: MP_AES_KEY })
    : null;
  const mpEnv: Record<string, string> = mpEmu
    ? {
        WECHAT_MP_APP_ID: mpEmu.appId,
        WECHAT_MP_SECRET: mpEmu.secret,
        WECHAT_MP_TOKEN: mpEmu.token,
        WECHAT_MP_AES_KEY: MP_AES_KEY,
        WECHAT_MP_API_ROOT: mpEmu.url,
        WECHAT_MP_OAUTH_ROOT: mpEmu.url,
      }
    : {};
  const env = {
    ...mpEnv,
    WECOM_CORP_ID: emu.corpId,
    WECOM_SECRET: emu.secret,
    WECOM_AGENT_ID: String(emu.agentId),
    WECOM_TOKEN: emu.token,
    WECOM_AES_KEY: emu.aesKey,
    WECOM_API_ROOT: emu.apiRoot,
  };
  const t = await createTestApp({ env, clock });
  const config = testConfig(t.dir, env);
  const logger = silentLogger();
  let kick = () => {};
  const bot = createBot({ db: t.db, domain: t.domain, config, logger, kick: () => kick() });
  const wecom = createWecom({ config, logger, db: t.db, domain: t.domain, bot, kick: () => kick() })!;
  const mp = mpEmu
    ? createMp({ config, logger, db: t.db, domain: t.domain, bot, kick: () => kick(), templates: { notices: {} } })!
    : null;
  const delivery = createDeliveryWorker({
    store: t.domain.outbox,
    senders: mp ? [wecom.channel.sender, mp.sender] : [wecom.channel.sender],
    clock: t.domain.clock,
    logger,
    pollIntervalMs: 50,
    // WeCom's real limit (one message a member every 2 s) would make a conversation take minutes.
    limits: { wecom: { perChatIntervalMs: 10, globalPerSecond: 500 } },
  });
  kick = () => delivery.kick();
  await wecom.routes(t.app);
  if (mp) await t.app.register(mp.routes);
  await t.app.listen({ port, host: '127.0.0.1' });
  emu.setCallbackUrl(`http://127.0.0.1:${(t.app.server.address() as { port: number }).port}/wecom/callback`);
  await delivery.start();
  await wecom.start();
  let msgSeq = 7_300_000_000_000_000_000n;
  let created = 1_796_000_000;

  const h: WecomHarness = {
    ...t,
    emu,
    bot,
    wecom,
    delivery,
    mp,
    mpEmu,
    async staffMember(userid, role, o) {
      emu.members.push({ userid, name: o.name, department: [o.department ?? 2], status: 1 });
      const code = await issueBindCode(t.db, { role, displayName: o.name, streetName: o.street });
      const since = emu.inbox(userid).length;
      await h.say(userid, `绑定 ${code}`);
      await h.expectText(userid, '绑定成功', since);
    },
    async say(userid, content, o = {}) {
      msgSeq += 1n;
      created += 1;
      const res = await emu.deliver(
        { FromUserName: userid, CreateTime: created, MsgType: 'text', Content: content, MsgId: String(msgSeq) },
        o,
      );
      return res.map((r) => r.status);
    },
    async expectText(userid, pattern, since = 0) {
      const match = (s: string) => (typeof pattern === 'string' ? s.includes(pattern) : pattern.test(s));
      return emu.waitFor(userid, (m) => emu.inbox(userid).indexOf(m) >= since && match(textOf(m)));
    },
    async press(userid, label) {
      const card = [...emu.cards.values()]
        .reverse()
        .find((c) => c.touser === userid && !c.replacedBy && c.card.button_list?.some((b) => b.text === label));
      if (!card) throw new Error(`no card with ${label} for ${userid}`);
      const button = card.card.button_list!.find((b) => b.text === label)!;
      created += 1;
      const since = emu.inbox(userid).length;
      await emu.deliver({
        FromUserName: userid,
        CreateTime: created,
        MsgType: 'event',
        Event: 'template_card_event',
        EventKey: button.key,
        TaskId: card.taskId,
        CardType: 'button_interaction',
        ResponseCode: card.responseCode,
      });
      return { touser: userid, msgtype: 'press', body: { since }, at: Date.now() };
    },
    async settle() {
      for (let i = 0; i < 3; i++) {
        await wecom.channel.idle();
        const until = Date.now() + 20_000;
        while ((await t.db.outboxMessage.count({ where: { status: { in: ['pending', 'sending'] } } })) > 0) {
          if (Date.now() > until) throw new Error('outbox did not drain');
          await sleep(20);
        }
      }
    },
    async close() {
      await wecom.stop();
      await delivery.stop();
      await t.close();
      await emu.close();
      await mpEmu?.close();
    },
  };
  return h;
}
