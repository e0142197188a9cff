// One 公众号 callback end to end: check and open it, process each message once (WeChat retries a
// message three times when no answer came within 5 s; a retry joins the first delivery's handling
// or gets its answer again), store photos, open the follower's customer-service budget, run the
// conversation, and answer passively when the reply is ready in time, "success" otherwise.
import type { Logger } from '../../config/logger.ts';
import type { PhotoEvidence } from '../../core/evidence/photo-evidence.ts';
import type { Button, OutboundMessage } from '../../core/messaging/outbound-types.ts';
import { MENU_TTL_MS, pickFromMenu } from '../wechat/wechat-menus.ts';
import { pickedNumber } from '../wechat/wechat-text-fns.ts';
import type { BotRuntime } from '../bot-runtime.ts';
import type { IdentifySender, InboundMessage } from '../inbound-types.ts';
import {
  callbackMessageKey,
  openCallback,
  sealCallbackReply,
  verifyCallbackUrl,
  type CallbackQuery,
  type CallbackSecrets,
} from '../tencent/callback-envelope.ts';
import { buildCallbackXml, fieldText, type CallbackFields } from '../tencent/callback-xml.ts';
import type { MpApi } from './mp-api.ts';
import type { BudgetKind } from './mp-budget-fns.ts';
import { readMpCallback } from './mp-inbound.ts';
import type { PassiveSlots } from './mp-passive.ts';

export interface MpChannelDeps {
  secrets: CallbackSecrets;
  api: Pick<MpApi, 'mediaGet'>;
  runtime: BotRuntime;
  identify: IdentifySender;
  evidence: Pick<PhotoEvidence, 'ingest' | 'ingestVoice'>;
  store: {
    interacted(openid: string, kind: BudgetKind, now: Date): Promise<void>;
    seen(key: string): Promise<boolean>;
    claim(key: string, now: Date): Promise<boolean>;
    lastMenu(openid: string, since: Date): Promise<Button[] | null>;
  };
  /** Queues a message outside the conversation (a refused photo) and marks an unfollowed chat. */
  outbox: {
    enqueue(openid: string, message: OutboundMessage, key: string): Promise<void>;
    markChatBlocked(channel: string, chatId: string): Promise<void>;
  };
  passive: PassiveSlots;
  clock: () => Date;
  logger: Logger;
  maxPhotoBytes: number;
  /** How long the callback waits for a passive reply; WeChat gives up after 5 s. */
  passiveWaitMs?: number;
}

export interface MpChannel {
  /** GET /mp/callback: what to echo. Throws CallbackRefusedError. */
  verify(query: CallbackQuery): string;
  /** POST /mp/callback: the response body. Throws CallbackRefusedError / CallbackXmlError before processing anything. */
  receive(query: CallbackQuery, body: string): Promise<string>;
}

const SUCCESS = 'success';
/** Answers kept for WeChat's retries (three, about 5 s apart). */
const ANSWER_TTL_MS = 60_000;
const ANSWERS_MAX = 2_000;

export function createMpChannel(deps: MpChannelDeps): MpChannel {
  const logger = deps.logger.child({ component: 'mp' });
  const waitMs = deps.passiveWaitMs ?? 4_000;
  const inflight = new Map<string, Promise<string | null>>();
  const answers = new Map<string, { text: string | null; until: number }>();

  function remember(key: string, text: string | null): void {
    if (answers.size >= ANSWERS_MAX) answers.delete(answers.keys().next().value!);
    answers.set(key, { text, until: Date.now() + ANSWER_TTL_MS });
  }

  /**
   * A typed number picks from the choices the follower last saw, a pushed notice's included (the
   * conversation core knows only the buttons of its own replies), as on the Wechaty channel.
   */
  async function withPick(msg: InboundMessage, now: Date): Promise<InboundMessage> {
    const n = msg.text !== undefined ? pickedNumber(msg.text) : null;
    if (n === null) return msg;
    const picked = pickFromMenu(await deps.store.lastMenu(msg.chatId, new Date(now.getTime() - MENU_TTL_MS)), n);
    if (!picked) return msg;
    const { text: _typed, ...rest } = msg;
    return { ...rest, button: picked.id };
  }

  /** The passive reply's text, or null for "success". */
  async function process(fields: CallbackFields, key: string): Promise<string | null> {
    if (await deps.store.seen(key)) return null;
    const result = await readMpCallback(fields, {
      evidence: deps.evidence,
      identify: deps.identify,
      download: (mediaId) => deps.api.mediaGet(mediaId, deps.maxPhotoBytes),
    });
    const now = deps.clock();
    if (result.kind === 'ignore') {
      logger.debug({ key, reason: result.reason }, 'mp callback ignored');
      return null;
    }
    if (result.kind === 'unsubscribe') {
      if (await deps.store.claim(key, now)) await deps.outbox.markChatBlocked('mp', result.openid);
      logger.info('mp follower unsubscribed; pushes to them stop');
      return null;
    }
    const openid = result.kind === 'message' ? result.message.chatId : result.openid;
    // The follower wrote: a new budget, and whatever waited for it is due now.
    await deps.store.interacted(openid, result.budget, now);
    const passive = deps.passive.open(openid, waitMs);
    try {
      if (result.kind === 'notice') {
        if (await deps.store.claim(key, now))
          await deps.outbox.enqueue(openid, { text: result.text }, `mp:notice:${key}`);
        else passive.cancel();
        return await passive.reply;
      }
      const replies = await deps.runtime.receive(await withPick(result.message, now));
      if (!replies.length) passive.cancel();
      return await passive.reply;
    } catch (err) {
      passive.cancel();
      throw err;
    }
  }

  return {
    verify: (query) => verifyCallbackUrl(deps.secrets, query),
    async receive(query, body) {
      const fields = openCallback(deps.secrets, query, body);
      const key = callbackMessageKey(fields);
      let text: string | null;
      const cached = answers.get(key);
      if (cached && cached.until > Date.now()) text = cached.text;
      else {
        let running = inflight.get(key);
        if (!running) {
          running = process(fields, key).finally(() => inflight.delete(key));
          inflight.set(key, running);
        }
        text = await running;
        remember(key, text);
      }
      if (text === null) return SUCCESS;
      const reply = buildCallbackXml({
        ToUserName: fieldText(fields, 'FromUserName'),
        FromUserName: fieldText(fields, 'ToUserName'),
        CreateTime: Math.floor(deps.clock().getTime() / 1000),
        MsgType: 'text',
        Content: text,
      });
      return sealCallbackReply(deps.secrets, reply, query.timestamp ?? '', query.nonce ?? '');
    },
  };
}
