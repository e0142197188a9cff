// The WeCom channel: the API client, the ChannelSender, and the handling of decrypted callbacks.
// The callback route answers WeCom at once and hands each message here; it is processed in the
// background, one member's messages in arrival order, each delivery once (a retry of a message
// already handled or in hand is dropped before its media are fetched again).
import type { Logger } from '../../config/logger.ts';
import type { PhotoEvidence } from '../../core/evidence/photo-evidence.ts';
import type { ChannelSender, OutboundMessage } from '../../core/messaging/outbound-types.ts';
import type { BotRuntime } from '../bot-runtime.ts';
import type { IdentifySender } from '../inbound-types.ts';
import { callbackMessageKey } from '../tencent/callback-envelope.ts';
import type { CallbackFields } from '../tencent/callback-xml.ts';
import { createWecomApi, type WecomApi } from './wecom-api.ts';
import { caseOfButton, createCardPresses, type NextActions } from './wecom-card-press.ts';
import { readWecomCallback } from './wecom-inbound.ts';
import { menuBody, menuCommand, readMenuConfig, type MenuConfig } from './wecom-menu.ts';
import type { WecomCaseFacts } from './wecom-ports.ts';
import { createWecomSender } from './wecom-sender.ts';

export interface WecomChannelConfig {
  corpId: string;
  secret: string;
  agentId: number;
  apiRoot: string;
  publicUrl: string;
  photoMaxBytes: number;
}

export interface WecomChannelDeps {
  config: WecomChannelConfig;
  logger: Logger;
  runtime: BotRuntime;
  identify: IdentifySender;
  evidence: Pick<PhotoEvidence, 'ingest' | 'ingestVoice' | 'readPublic'>;
  facts: WecomCaseFacts;
  /** True when this delivery was committed before (the runtime's processed-update claim). */
  seen(updateId: string): Promise<boolean>;
  /** Queues a notice to a member outside the conversation (a photo that could not be received). */
  notify(chatId: string, message: OutboundMessage, key: string): Promise<void>;
  clock: () => Date;
  menu?: MenuConfig;
  /** Which of a pressed card's buttons the member may still press once its step is done. */
  nextActions?: NextActions;
}

export interface WecomChannel {
  api: WecomApi;
  sender: ChannelSender;
  /** A checked, decrypted callback: processed in the background. */
  accept(fields: CallbackFields): void;
  /** Creates the app's menu from configuration (menu/create). */
  createMenu(): Promise<void>;
  /** Resolves when every accepted callback has been processed (shutdown, tests). */
  idle(): Promise<void>;
}

/** Cards remembered for presses on choice cards (their label); older ones show a plain 已选择. */
const CARD_MEMORY = 2000;
/** Waits before the later tries of a callback that failed. */
const RETRY_DELAYS_MS = [2_000, 15_000];

export function createWecomChannel(deps: WecomChannelDeps): WecomChannel {
  const { config, clock } = deps;
  const logger = deps.logger.child({ channel: 'wecom' });
  const api = createWecomApi({
    apiRoot: config.apiRoot,
    corpId: config.corpId,
    secret: config.secret,
    agentId: config.agentId,
    clock,
    logger,
  });
  const cards = new Map<string, Array<{ key: string; text: string }>>();
  const labels = new Map<string, string>();
  const sender = createWecomSender({
    api,
    evidence: deps.evidence,
    facts: deps.facts,
    publicUrl: config.publicUrl,
    clock,
    logger,
    onCard(taskId, buttons) {
      if (cards.size >= CARD_MEMORY) cards.delete(cards.keys().next().value!);
      cards.set(taskId, buttons);
      for (const b of buttons) {
        if (labels.size >= CARD_MEMORY) labels.delete(labels.keys().next().value!);
        labels.set(b.key, b.text);
      }
    },
  });
  const presses = createCardPresses({
    api,
    facts: deps.facts,
    clock,
    logger,
    ...(deps.nextActions ? { nextActions: deps.nextActions } : {}),
    async followUp(userId, line, ids, key) {
      const buttons = ids.map((id) => ({ id, label: labels.get(id) ?? id }));
      await deps.notify(userId, { text: `${line}\n可继续办理：`, buttons: [buttons] }, key);
    },
  });
  const menu = deps.menu ?? readMenuConfig();

  const chains = new Map<string, Promise<void>>();
  const inHand = new Set<string>();

  async function process(fields: CallbackFields): Promise<void> {
    const read = await readWecomCallback(fields, {
      api,
      evidence: deps.evidence,
      identify: deps.identify,
      maxBytes: config.photoMaxBytes,
      menuCommand,
    });
    if (read.kind === 'ignore') {
      logger.debug({ reason: read.reason }, 'wecom callback ignored');
      return;
    }
    if (read.kind === 'notice') {
      await deps.notify(read.chatId, { text: read.text }, `wecom:${read.key}`);
      return;
    }
    if (read.kind === 'enter') {
      // Opening the app is no message: only someone Gridline has never seen is greeted.
      const who = await deps.identify(read.base);
      if (who.isNew) await deps.runtime.receive({ ...read.base, command: { name: 'start', args: '' } });
      return;
    }
    const userId = read.message.userId;
    let replies: OutboundMessage[];
    if (read.kind === 'press') {
      const caseId = caseOfButton(read.message.button ?? '');
      if (caseId !== null && read.responseCode) {
        const who = await deps.identify(read.message);
        presses.pressed(userId, {
          caseId,
          personId: who.personId,
          responseCode: read.responseCode,
          since: clock(),
          afterEventId: await deps.facts.lastEventId(caseId),
          offered: (cards.get(read.taskId) ?? []).map((b) => b.key),
        });
      }
      replies = await deps.runtime.receive(read.message);
      if (caseId === null && read.responseCode) {
        const label = cards.get(read.taskId)?.find((b) => b.key === read.message.button)?.text ?? '';
        await presses.choiceMade(userId, read.responseCode, label || '已处理');
      }
    } else {
      replies = await deps.runtime.receive(read.message);
    }
    // Whatever this member just did may complete a step begun by pressing a card.
    await presses.settle(userId, replies);
  }

  /**
   * WeCom got its answer already and will not deliver again, so a message that failed (a busy
   * database, a fault) is tried again here; nothing is claimed until it succeeds.
   */
  async function handle(fields: CallbackFields, key: string): Promise<void> {
    try {
      for (let attempt = 0; ; attempt++) {
        try {
          if (await deps.seen(key)) {
            logger.debug({ key }, 'repeated wecom callback ignored');
            return;
          }
          await process(fields);
          return;
        } catch (err) {
          const wait = RETRY_DELAYS_MS[attempt];
          logger.error({ err, key, attempt, retryInMs: wait ?? null }, 'wecom callback failed');
          if (wait === undefined) return;
          await new Promise((r) => setTimeout(r, wait));
        }
      }
    } finally {
      inHand.delete(key);
    }
  }

  return {
    api,
    sender,
    accept(fields) {
      const read = fields as Record<string, unknown>;
      const userId = typeof read.FromUserName === 'string' ? read.FromUserName : '';
      const key = callbackMessageKey(fields);
      // WeCom retries after 5 s while the first delivery may still be in hand (a slow download).
      if (inHand.has(key)) return;
      inHand.add(key);
      const previous = chains.get(userId) ?? Promise.resolve();
      const next = previous.then(() => handle(fields, key));
      chains.set(userId, next);
      void next.finally(() => {
        if (chains.get(userId) === next) chains.delete(userId);
      });
    },
    async createMenu() {
      await api.createMenu(menuBody(menu));
      logger.info('wecom app menu created');
    },
    async idle() {
      while (chains.size) await Promise.all([...chains.values()]);
    },
  };
}
