// The WeChat channel: one Wechaty bot on the configured puppet, its login state for the admin
// page, inbound messages to the conversation core, and the sender the delivery worker uses.
import path from 'node:path';
import {
  log as wechatyLog,
  ScanStatus,
  WechatyBuilder,
  type Message,
  type Wechaty,
  type WechatyOptions,
} from 'wechaty';
import type { Config } from '../../config/config-schema.ts';
import type { Logger } from '../../config/logger.ts';
import type { PhotoEvidence } from '../../core/evidence/photo-evidence.ts';
import type { ChannelSender, OutboundMessage } from '../../core/messaging/outbound-types.ts';
import type { BotRuntime } from '../bot-runtime.ts';
import type { IdentifySender } from '../inbound-types.ts';
import { readWeChatMessage } from './wechat-inbound.ts';
import { createMemoryMenus, MENU_TTL_MS, pickFromMenu, type MenuSource } from './wechat-menus.ts';
import { qrTerminal } from './wechat-qrcode.ts';
import { createWeChatSender } from './wechat-sender.ts';
import { pickedNumber } from './wechat-text-fns.ts';
import type { WeChatStatus } from './wechat-status.ts';

export type { WeChatStatus };

/** A puppet instance (tests pass wechaty-puppet-mock's); otherwise WECHATY_PUPPET names one. */
export type WeChatPuppet = Exclude<NonNullable<WechatyOptions['puppet']>, string>;

export interface WeChatChannelDeps {
  config: Pick<Config, 'WECHATY_PUPPET' | 'WECHATY_PUPPET_SERVICE_TOKEN' | 'dataDir' | 'LOG_LEVEL'>;
  logger: Logger;
  runtime: BotRuntime;
  evidence: Pick<PhotoEvidence, 'ingest' | 'ingestVoice' | 'readPublic'>;
  /** Who sent a photo: recorded as its uploader. */
  identify: IdentifySender;
  /** Queues a message to a chat through the outbox (a refused photo's explanation). */
  notices: { enqueue(chatId: string, message: OutboundMessage, key: string): Promise<void> };
  /** Numbered menus delivered to each chat; kept in memory when omitted. */
  menus?: MenuSource;
  puppet?: WeChatPuppet;
  clock?: () => Date;
  /** Where the login QR code is drawn; the terminal by default. */
  printQr?: (text: string) => void;
}

export interface WeChatChannel {
  sender: ChannelSender;
  /** Starts the bot; resolves once started or failed (a failure is logged and shown in status()). */
  start(): Promise<void>;
  stop(): Promise<void>;
  status(): WeChatStatus;
}

/**
 * Wechaty and its puppets print through their own logger (brolog) to stderr. It follows LOG_LEVEL,
 * one step quieter (their "info" is start-up chatter), unless WECHATY_LOG sets it explicitly.
 */
const WECHATY_LOG_LEVEL: Record<Config['LOG_LEVEL'], 'silent' | 'error' | 'warn' | 'info' | 'verbose' | 'silly'> = {
  fatal: 'error',
  error: 'error',
  warn: 'warn',
  info: 'warn',
  debug: 'info',
  trace: 'verbose',
  silent: 'silent',
};

/** In a group, a member who just spoke to the bot may go on without @-mentioning it. */
const ROOM_FOLLOW_UP_MS = 10 * 60_000;

export function createWeChatChannel(deps: WeChatChannelDeps): WeChatChannel {
  const logger = deps.logger.child({ component: 'wechat' });
  if (!process.env.WECHATY_LOG) wechatyLog.level(WECHATY_LOG_LEVEL[deps.config.LOG_LEVEL]);
  const clock = deps.clock ?? (() => new Date());
  const printQr = deps.printQr ?? ((text: string) => void process.stdout.write(text));
  const memory = createMemoryMenus(clock);
  const menus = deps.menus ?? memory;
  const puppetName = deps.puppet ? 'instance' : (deps.config.WECHATY_PUPPET ?? 'none');
  let state: WeChatStatus = { state: 'logged_out', puppet: puppetName };
  let started: Promise<void> | null = null;
  const chains = new Map<string, Promise<unknown>>();
  const followUps = new Map<string, number>();

  const options: WechatyOptions = deps.puppet
    ? { puppet: deps.puppet }
    : {
        // The memory card keeps the login session, so a restart does not always need a new scan.
        name: path.join(deps.config.dataDir, 'wechaty'),
        puppet: deps.config.WECHATY_PUPPET as NonNullable<
          Extract<WechatyOptions, { puppetOptions?: unknown }>['puppet']
        >,
        ...(deps.config.WECHATY_PUPPET_SERVICE_TOKEN
          ? { puppetOptions: { token: deps.config.WECHATY_PUPPET_SERVICE_TOKEN } }
          : {}),
      };
  const bot: Wechaty = WechatyBuilder.build(options);

  const selfName = (): string => {
    try {
      return bot.isLoggedIn ? bot.currentUser.name() : '';
    } catch {
      return '';
    }
  };

  async function handle(m: Message): Promise<void> {
    const result = await readWeChatMessage(m, {
      evidence: deps.evidence,
      identify: deps.identify,
      selfName,
      locationOf: (id) => bot.puppet.messageLocation(id),
    });
    if (result.kind === 'ignore')
      return logger.debug({ messageId: m.id, reason: result.reason }, 'wechat message ignored');
    if (result.kind === 'notice')
      return deps.notices.enqueue(result.chatId, { text: result.text }, `wechat:${result.key}`);
    let msg = result.message;
    const n = msg.text !== undefined ? pickedNumber(msg.text) : null;
    const picked =
      n !== null ? pickFromMenu(await menus.lastMenu(msg.chatId, new Date(clock().getTime() - MENU_TTL_MS)), n) : null;
    if (picked) {
      const { text: _typed, ...rest } = msg;
      msg = { ...rest, button: picked.id };
    }
    if (msg.isGroup) {
      // A group is people talking to each other: answer what is meant for the bot, not every line.
      const key = `${msg.chatId}\0${msg.userId}`;
      const followUp = (followUps.get(key) ?? 0) > clock().getTime();
      if (!(msg.command || picked || result.mentioned || followUp)) return;
      followUps.set(key, clock().getTime() + ROOM_FOLLOW_UP_MS);
      if (followUps.size > 5_000) followUps.delete(followUps.keys().next().value!);
    }
    await deps.runtime.receive(msg);
  }

  /** One chat's messages are read in order: a slow photo download must not let a later text overtake it. */
  function enqueue(m: Message): void {
    const key = m.room()?.id ?? m.talker().id;
    const next = (chains.get(key) ?? Promise.resolve())
      .then(() => handle(m))
      .catch((err: unknown) => logger.error({ err, messageId: m.id }, 'wechat message could not be handled'));
    chains.set(key, next);
    void next.finally(() => {
      if (chains.get(key) === next) chains.delete(key);
    });
  }

  bot.on('scan', (qrcode: string, status: ScanStatus) => {
    const waiting = status === ScanStatus.Waiting || status === ScanStatus.Timeout;
    const fresh = waiting && qrcode && qrcode !== state.qrcode;
    state = {
      state: 'scan',
      puppet: puppetName,
      scanStatus: ScanStatus[status] ?? String(status),
      ...(qrcode ? { qrcode } : state.qrcode ? { qrcode: state.qrcode } : {}),
    };
    logger.info({ scanStatus: state.scanStatus }, 'wechat login: scan the QR code (terminal or /admin/wechat)');
    if (fresh) {
      void qrTerminal(qrcode)
        .then((art) =>
          printQr(
            `\n微信登录：请用要作为“网格通”的微信账号扫描下方二维码（也可在 /admin/wechat 页面扫描）\n${art}\n${qrcode}\n\n`,
          ),
        )
        .catch((err: unknown) => logger.warn({ err }, 'could not draw the QR code in the terminal'));
    }
  });
  bot.on('login', (user: { id: string; name(): string }) => {
    state = { state: 'logged_in', puppet: puppetName, user: { id: user.id, name: user.name() } };
    logger.info({ user: state.user }, 'wechat logged in');
  });
  bot.on('logout', (user: { id: string }, reason?: string) => {
    state = { state: 'logged_out', puppet: puppetName };
    logger.warn({ userId: user.id, reason }, 'wechat logged out; messages wait in the outbox until the next login');
  });
  // Without a listener an 'error' event would end the process; puppets report many transient ones.
  bot.on('error', (err: Error) => logger.warn({ err: { message: err.message } }, 'wechaty reported an error'));
  bot.on('message', (m: Message) => enqueue(m));

  const sender = createWeChatSender({
    bot: () => (started ? bot : null),
    evidence: deps.evidence,
    logger: deps.logger,
    onDelivered: (chatId, message) => memory.delivered(chatId, message),
  });

  return {
    sender,
    start() {
      started ??= bot.start().then(
        () => logger.info({ puppet: puppetName }, 'wechat channel started'),
        (err: unknown) => {
          state = { state: 'logged_out', puppet: puppetName, error: err instanceof Error ? err.message : String(err) };
          logger.error(
            { err, puppet: puppetName },
            'wechat channel could not start (is the puppet package installed and its token valid?)',
          );
        },
      );
      return started;
    },
    async stop() {
      if (!started) return;
      await started;
      await Promise.allSettled([...chains.values()]);
      await bot.stop().catch((err: unknown) => logger.warn({ err }, 'wechat channel did not stop cleanly'));
      started = null;
    },
    status: () => ({ ...state, ...(state.user ? { user: { ...state.user } } : {}) }),
  };
}
