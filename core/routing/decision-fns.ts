import type { Classification } from '../classify/classifier.ts';
import type { ItemScore } from '../classify/item-scoring-fns.ts';
import type { Lexicon } from '../classify/lexicon-types.ts';
import type { UrgencyKind } from '../classify/signal-lexicon.ts';
import { hasReadableContent } from '../classify/text-normalize-fns.ts';
import type { Department, PowerItem, Post } from '../power-list/power-list-types.ts';
import { chatVerdict } from './chat-verdict-fns.ts';
import { confidenceOf, round2, TRIAGE_BELOW } from './confidence-fns.ts';
import { assessDistrict } from './district-fns.ts';
import * as why from './reasons-fns.ts';
import type { Handling } from './routing-types.ts';
import { rerankForUrgency } from './urgency-rerank-fns.ts';

/** A matter needs at least this much evidence to be dispatched without a person looking first. */
const MIN_MATTER = 1;

interface Route {
  handling: Handling;
  /** The item the case is filed under: the matter, or the district item that explains escalation. */
  item: PowerItem | null;
  post: Post | null;
  department: Department | null;
  confidence: number;
  needsTriage: boolean;
}

export interface Decision extends Route {
  urgent: boolean;
  urgencyKind: UrgencyKind | null;
  ranked: ItemScore[];
  reasons: string[];
}

// Built field by field: object spread here cost more than the whole classification.
function made(c: Classification, ranked: ItemScore[], r: Route, reasons: string[]): Decision {
  return {
    handling: r.handling,
    item: r.item,
    post: r.post,
    department: r.department,
    confidence: r.confidence,
    needsTriage: r.needsTriage,
    urgent: c.urgency.urgent,
    urgencyKind: c.urgency.kind,
    ranked,
    reasons,
  };
}

function none(
  c: Classification,
  ranked: ItemScore[],
  reasons: string[],
  reason: string,
  confidence: number,
  needsTriage: boolean,
): Decision {
  reasons.push(reason);
  return made(
    c,
    ranked,
    { handling: 'none', item: null, post: null, department: null, confidence, needsTriage },
    reasons,
  );
}

export function decide(lexicon: Lexicon, c: Classification, reporter?: 'resident' | 'inspector'): Decision {
  const ranked = rerankForUrgency(lexicon, c.items, c.urgency);
  const urgent = c.urgency.urgent;
  const reasons: string[] = urgent ? [why.urgentReason(c.urgency.cues)] : [];
  const matter = ranked.find((s) => lexicon.items[s.index]!.item.level !== 'district') ?? null;
  const inspector = reporter === 'inspector';

  if (!hasReadableContent(c.text)) return none(c, ranked, reasons, '消息没有可识别的文字内容', 0.9, false);
  if (!urgent) {
    const verdict = chatVerdict(c.chat, { score: matter?.score ?? 0, strong: matter?.strong ?? false }, inspector);
    if (verdict)
      return none(
        c,
        ranked,
        reasons,
        verdict.reason,
        round2(0.6 + 0.08 * Math.max(c.chat.score, c.chat.advert)),
        false,
      );
  }

  const matterItem = matter && matter.score >= MIN_MATTER ? lexicon.items[matter.index]!.item : null;
  const district =
    matterItem === null || matterItem.level === 'street' ? assessDistrict(lexicon, ranked, matterItem) : null;
  if (matter === null || matterItem === null) {
    const d = district?.best ? lexicon.items[district.best.index]!.item : null;
    if (district?.escalate && d && district.strength >= 2.5 && !urgent) {
      reasons.push(why.districtReason(d, district.evidence));
      return made(
        c,
        ranked,
        { handling: 'district', item: d, post: d.post, department: null, confidence: 0.4, needsTriage: true },
        reasons,
      );
    }
    if (urgent || inspector || c.chat.complaint >= 1) {
      reasons.push('未能匹配到清单事项，由属地街道综合执法中心人工分拣');
      return made(
        c,
        ranked,
        { handling: 'street', item: null, post: null, department: null, confidence: 0.2, needsTriage: true },
        reasons,
      );
    }
    return none(c, ranked, reasons, '未识别到需要处置的具体问题，请补充说明问题和地点', 0.3, true);
  }

  reasons.push(why.matchReason(matterItem, matter));
  const conf = confidenceOf(lexicon, ranked, matter);
  let handling: Handling = matterItem.level === 'department' ? 'department' : 'street';
  let item = matterItem;
  let post = matterItem.post;
  let confidence = conf.confidence;
  const d = district?.best ? lexicon.items[district.best.index]!.item : null;
  if (district?.escalate && d && !urgent) {
    handling = 'district';
    item = d;
    post = matterItem.post ?? d.post;
    reasons.push(why.districtReason(d, district.evidence));
    confidence = round2(confidence * Math.min(1, 0.6 + district.strength / 8));
  } else if (handling === 'department') {
    // Another body's matter: where to turn is what the resident reads first (the chat shows one reason).
    if (why.isReferralBody(matterItem.department) && !urgent) reasons.unshift(why.departmentReason(matterItem));
    else reasons.push(why.departmentReason(matterItem));
  } else {
    reasons.push(why.streetReason(matterItem));
  }
  reasons.push(why.legalReason(item));
  const needsTriage = confidence < TRIAGE_BELOW || conf.close;
  if (needsTriage) {
    const rival = conf.rival ? { item: lexicon.items[conf.rival.index]!.item, close: conf.close } : null;
    reasons.push(why.triageReason(confidence, rival));
  }
  const routed: Route = {
    handling,
    item,
    post: handling === 'department' ? null : post,
    department: item.department,
    confidence,
    needsTriage,
  };
  return made(c, ranked, routed, reasons);
}
