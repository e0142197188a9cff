import type { ChatAssessment } from '../classify/non-actionable-fns.ts';
import type { NonActionableKind } from '../classify/signal-lexicon.ts';

const KIND_TEXT: Record<NonActionableKind, string> = {
  greeting: '问候',
  thanks: '致谢',
  resolved: '告知问题已解决',
  bot: '咨询平台或热线的使用',
  status: '查询已反映问题的进度',
  patrol: '巡查无异常的报告',
  advert: '广告信息',
};

export interface ChatVerdict {
  kind: NonActionableKind;
  reason: string;
}

export interface MatterEvidence {
  score: number;
  strong: boolean;
}

/**
 * Whether a message has nothing to dispatch. A clear matter outweighs chat words ("你好，楼下又在
 * 摆摊"), except that news of a solved problem, a progress query or an advert wins over the
 * matter words they repeat.
 */
export function chatVerdict(chat: ChatAssessment, matter: MatterEvidence, inspector: boolean): ChatVerdict | null {
  const k = chat.perKind;
  if (chat.advert >= 2.5 && chat.complaint < 1.5) return verdict('advert');
  // News that a problem is solved names the problem and thanks for it: neither is a new report.
  const resolved = k.resolved ? k.resolved + (k.thanks ?? 0) : 0;
  if (resolved >= 2 && matter.score < resolved + 0.5) return verdict('resolved');
  const effective = matter.score + 0.5 * chat.complaint;
  for (const kind of ['patrol', 'status', 'bot'] as const) {
    const s = k[kind] ?? 0;
    if (s >= 2 && effective < s + 0.5) return verdict(kind);
  }
  if (inspector) return null;
  for (const kind of ['thanks', 'greeting'] as const) {
    const s = k[kind] ?? 0;
    if (s > 0 && (!matter.strong || matter.score < 1.2) && chat.complaint < 1) return verdict(kind);
  }
  return null;
}

function verdict(kind: NonActionableKind): ChatVerdict {
  return { kind, reason: `消息属于${KIND_TEXT[kind]}，没有需要派遣处置的问题` };
}
