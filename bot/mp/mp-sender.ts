// The 公众号 ChannelSender. A message goes, in this order of preference: as the passive reply to
// the follower's message being answered (free), through the customer-service API within the
// budget (mp-budget-fns.ts), as a 订阅通知 when it is a case notice and the district configured a
// template for it, or it waits in the outbox for the follower's next message (which opens a new
// budget and releases it, see mp-channel.ts). Nothing is dropped silently.
import { createHash } from 'node:crypto';
import type { Logger } from '../../config/logger.ts';
import type { PhotoEvidence } from '../../core/evidence/photo-evidence.ts';
import {
  ChatUnreachableError,
  RetryAfterError,
  type Button,
  type ChannelSender,
  type OutboundMessage,
  type SendMeta,
} from '../../core/messaging/outbound-types.ts';
import { menuOf, type WeChatPart } from '../wechat/wechat-outbound.ts';
import { planMpSend } from './mp-outbound.ts';
import type { MpApi } from './mp-api.ts';
import { MP_ERR, MpApiError } from './mp-errors.ts';
import type { PassiveSlots } from './mp-passive.ts';
import { renderTemplate, templateFor, type CaseFacts, type MpTemplates } from './mp-templates.ts';

/** The budget per follower, kept in the database (db/mp-store.ts). */
export interface MpBudgetPort {
  /** Uses one send of the follower's open window; false when none is left. */
  take(openid: string, now: Date): Promise<boolean>;
  /** Gives back a send that did not happen (a network failure). */
  refund(openid: string): Promise<void>;
  /** WeChat said the window is closed or used up (45015 / 45047): believe it. */
  exhaust(openid: string): Promise<void>;
}

export interface MpSenderDeps {
  api: Pick<MpApi, 'customSend' | 'bizsend' | 'uploadImage'>;
  budget: MpBudgetPort;
  passive: PassiveSlots;
  templates: MpTemplates;
  /** A case's facts for a template, null when the case is gone. */
  caseFacts(caseId: number, message: OutboundMessage): Promise<CaseFacts | null>;
  evidence: Pick<PhotoEvidence, 'readPublic'>;
  /** Remembers the numbered choices the follower saw, so a typed number picks from them. */
  menus: { menuShown(openid: string, buttons: Button[], now: Date): Promise<void> };
  clock: () => Date;
  logger: Logger;
}

/**
 * How long a message without budget waits before it is looked at again. The follower's next
 * message releases it at once; until then trying more often cannot help.
 */
export const HOLD_SECONDS = 6 * 3600;
const QUOTA_WAIT_SECONDS = 600;
const PROGRESS_MAX = 1000;

export class OutOfBudgetError extends RetryAfterError {
  constructor() {
    super(HOLD_SECONDS, 'WeChat MP customer-service budget used up: waiting for the follower to write');
    this.name = 'OutOfBudgetError';
  }
}

export function createMpSender(deps: MpSenderDeps): ChannelSender {
  const logger = deps.logger.child({ component: 'mp-sender' });
  const progress = new Map<string, number>();

  /** False when there was nothing to send (a photo without its public copy): the unit is given back. */
  async function sendPart(openid: string, part: WeChatPart): Promise<boolean> {
    if (part.kind === 'text') {
      await deps.api.customSend(openid, { msgtype: 'text', text: { content: part.text } });
      return true;
    }
    // Only the EXIF-free copy leaves the case.
    const file = await deps.evidence.readPublic(part.attachmentId);
    if (!file) {
      logger.warn({ attachmentId: part.attachmentId }, 'no public copy of this photo; sent without it');
      return false;
    }
    const mediaId = await deps.api.uploadImage(file.bytes, 'photo.jpg');
    await deps.api.customSend(openid, { msgtype: 'image', image: { media_id: mediaId } });
    return true;
  }

  /** Outside the budget: a 订阅通知 for a case notice with a template, or wait. */
  async function withoutBudget(openid: string, message: OutboundMessage, meta: SendMeta | undefined): Promise<void> {
    const template = meta?.caseId ? templateFor(deps.templates, meta.dedupeKey) : null;
    if (!template || !meta?.caseId) throw new OutOfBudgetError();
    const facts = await deps.caseFacts(meta.caseId, message);
    if (!facts) throw new OutOfBudgetError();
    const rendered = renderTemplate(template, facts);
    try {
      await deps.api.bizsend({
        touser: openid,
        template_id: template.templateId,
        page: rendered.page,
        data: rendered.data,
      });
    } catch (err) {
      // The follower has not accepted this template (or it was removed): keep the notice for later.
      if (err instanceof MpApiError && (MP_ERR.templateRefused as readonly number[]).includes(err.errcode)) {
        logger.warn({ errcode: err.errcode, caseId: meta.caseId }, 'subscription notice refused; the notice waits');
        throw new OutOfBudgetError();
      }
      throw mapError(err);
    }
    logger.info({ caseId: meta.caseId, template: template.templateId }, 'case notice sent as a subscription notice');
  }

  return {
    channel: 'mp',
    async send(openid, message, meta) {
      const parts = planMpSend(message);
      const key = createHash('sha256').update(openid).update('\0').update(JSON.stringify(message)).digest('hex');
      const from = progress.get(key) ?? 0;
      if (from === 0) {
        const only = parts.length === 1 ? parts[0] : undefined;
        if (only?.kind === 'text' && deps.passive.offer(openid, only.text))
          return deps.menus.menuShown(openid, menuOf(message.buttons), deps.clock());
        deps.passive.decline(openid);
      }
      for (let i = from; i < parts.length; i++) {
        const remember = () => {
          if (i === 0) return;
          if (progress.size >= PROGRESS_MAX) progress.delete(progress.keys().next().value!);
          progress.set(key, i);
        };
        if (!(await deps.budget.take(openid, deps.clock()))) {
          remember();
          if (i > 0) throw new OutOfBudgetError(); // the rest waits: half a notice as a template would repeat it
          return withoutBudget(openid, message, meta);
        }
        try {
          if (!(await sendPart(openid, parts[i]!))) await deps.budget.refund(openid);
        } catch (err) {
          remember();
          if (err instanceof MpApiError && (err.errcode === MP_ERR.outOfWindow || err.errcode === MP_ERR.tooMany)) {
            await deps.budget.exhaust(openid);
            if (i > 0) throw new OutOfBudgetError();
            return withoutBudget(openid, message, meta);
          }
          if (!(err instanceof MpApiError)) await deps.budget.refund(openid);
          throw mapError(err);
        }
      }
      progress.delete(key);
      await deps.menus.menuShown(openid, menuOf(message.buttons), deps.clock());
    },
  };
}

function mapError(err: unknown): unknown {
  if (!(err instanceof MpApiError)) return err;
  if ((MP_ERR.unreachable as readonly number[]).includes(err.errcode)) return new ChatUnreachableError(err.message);
  if (err.errcode === MP_ERR.apiQuota) return new RetryAfterError(QUOTA_WAIT_SECONDS, err.message);
  return err;
}
