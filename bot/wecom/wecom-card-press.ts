// After a button on a WeCom card is pressed, the card is updated (更新模版卡片消息) so it shows what
// was done and by whom: its buttons give way to one line, "已接单 · 张三 · 12-06 09:30". A press
// that starts a step needing more input (办结 asks for the outcome, 退回 for the reason) updates
// the card once that step is done; a press the core refused leaves the card as it was. The
// ResponseCode from the press event works once, for 72 hours.
import type { Logger } from '../../config/logger.ts';
import type { WecomApi } from './wecom-api.ts';
import type { WecomCaseFacts } from './wecom-ports.ts';

const RESPONSE_CODE_TTL_MS = 72 * 3_600_000;
const SHANGHAI_OFFSET_MS = 8 * 3_600_000;

/** What a case event looks like on the card it was done from. */
export const DONE_LABELS: Record<string, string> = {
  registered: '已立案派遣',
  accepted: '已接单',
  assigned: '已转派',
  returned: '已退回',
  escalated: '已上报区局',
  referred: '已移送部门',
  rejected: '不予受理',
  resolved: '已办结',
  verified: '核查通过',
  closed: '核查通过',
  rework: '核查不通过（返工）',
  reopened: '已重新办理',
  merged: '已合并',
  postponement_requested: '已申请缓办',
  postponement_approved: '已同意缓办',
  postponement_refused: '已驳回缓办',
};

/** "12-06 09:30" in Wuhan time. */
export function shortShanghai(at: Date): string {
  const d = new Date(at.getTime() + SHANGHAI_OFFSET_MS);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}`;
}

export function doneLine(type: string, actorName: string, at: Date): string {
  return [DONE_LABELS[type] ?? '已处理', actorName, shortShanghai(at)].filter(Boolean).join(' · ');
}

/** The case a button acts on (`c:accept:123`, `p:approve:123`), or null. */
export function caseOfButton(id: string): number | null {
  const m = /^(?:c|p):[a-z_]+:(\d+)$/.exec(id);
  return m ? Number(m[1]) : null;
}

interface Pending {
  caseId: number;
  personId: number;
  responseCode: string;
  /** When it was pressed: a ResponseCode works for 72 hours. */
  since: Date;
  /** The case's newest event when it was pressed: what the press led to comes after it. */
  afterEventId: number;
  /** The buttons the pressed card offered (button ids). */
  offered: string[];
}

/** The step is done; these are the ids of the card's buttons the member may still press. */
export type NextActions = (userId: string, caseId: number, offered: string[]) => Promise<string[]>;

export interface CardPresses {
  /** A press on a card about a case; settle() after the core handled it. */
  pressed(userId: string, p: Pending): void;
  /**
   * Updates the cards whose step this member has now completed. When the case still offers this
   * member actions from that card and the conversation's replies carried none, a new card with
   * them follows (`followUp`), so the next step is one press away again.
   */
  settle(userId: string, replies: Array<{ buttons?: Array<Array<{ id: string }>> }>): Promise<void>;
  /** A press on a card about no case (a draft's 确认提交): its buttons give way to the choice. */
  choiceMade(userId: string, responseCode: string, label: string): Promise<void>;
}

export function createCardPresses(deps: {
  api: Pick<WecomApi, 'updateTemplateCard'>;
  facts: Pick<WecomCaseFacts, 'lastActionBy'>;
  clock: () => Date;
  logger: Logger;
  nextActions?: NextActions;
  followUp?(userId: string, line: string, buttonIds: string[], key: string): Promise<void>;
}): CardPresses {
  const pending = new Map<string, Pending[]>();
  const logger = deps.logger.child({ component: 'wecom-card-press' });

  async function update(userId: string, responseCode: string, line: string): Promise<void> {
    try {
      await deps.api.updateTemplateCard({
        userids: [userId],
        response_code: responseCode,
        button: { replace_name: line },
      });
    } catch (err) {
      // The step itself is done and recorded; only the card's look is stale.
      logger.warn({ err: String(err), userId }, 'wecom card could not be updated');
    }
  }

  return {
    pressed(userId, p) {
      const list = (pending.get(userId) ?? []).filter((x) => x.caseId !== p.caseId);
      list.push(p);
      pending.set(userId, list);
    },

    async settle(userId, replies) {
      const list = pending.get(userId);
      if (!list?.length) return;
      const now = deps.clock().getTime();
      const keep: Pending[] = [];
      for (const p of list) {
        if (now - p.since.getTime() > RESPONSE_CODE_TTL_MS) continue;
        const done = await deps.facts.lastActionBy(p.caseId, p.personId, p.afterEventId);
        if (!done) {
          keep.push(p);
          continue;
        }
        const line = doneLine(done.type, done.actorName, done.at);
        await update(userId, p.responseCode, line);
        const answered = replies.some((r) => (r.buttons ?? []).flat().some((b) => caseOfButton(b.id) === p.caseId));
        if (answered || !deps.nextActions || !deps.followUp) continue;
        const next = await deps.nextActions(userId, p.caseId, p.offered);
        if (next.length) await deps.followUp(userId, line, next, `wecom:next:${p.responseCode}`);
      }
      if (keep.length) pending.set(userId, keep);
      else pending.delete(userId);
    },

    async choiceMade(userId, responseCode, label) {
      await update(userId, responseCode, `已选择：${label} · ${shortShanghai(deps.clock())}`);
    },
  };
}
