import type { PowerItem } from '../power-list/power-list-types.ts';
import type { ModelAnswer } from './llm-answer-fns.ts';
import type { Merge } from './llm-assist-fns.ts';

// The router's triage sentences end this way (reasons-fns.ts); they are dropped once no person is needed.
const TRIAGE_MARK = '转人工分拣';

function label(code: string | null, byCode: ReadonlyMap<string, PowerItem>): string {
  if (code === null) return '未匹配到清单事项';
  const item = byCode.get(code);
  return item ? `${code}「${item.name}」` : code;
}

function handlerSentence(item: PowerItem): string {
  if (item.level === 'department')
    return `该事项不属于城市管理执法范围，由街道综合执法中心移送${item.department}部门处理并跟踪`;
  if (item.level === 'district') return '该事项由区城市管理执法局组织查处';
  return `属地管辖：该事项由所在街道城市管理执法队伍${item.post}岗办理`;
}

/** One Chinese sentence on what the model thought and what followed from it. */
export function assistSentence(
  rulesCode: string | null,
  answer: ModelAnswer,
  merge: Merge,
  byCode: ReadonlyMap<string, PowerItem>,
  minModelConfidence: number,
): string {
  const conf = answer.confidence.toFixed(2);
  const view =
    answer.code === null
      ? `辅助模型认为候选事项均不合适（置信度 ${conf}）`
      : `辅助模型判断为 ${label(answer.code, byCode)}（置信度 ${conf}）`;
  const why = answer.reason ? `，理由：${answer.reason.replace(/[。.]$/, '')}` : '';
  if (merge.agreed) return `${view}，与规则判断一致${merge.needsTriage ? '' : '，无需人工分拣'}${why}`;
  if (merge.final === 'model')
    return `${view}，与规则判断 ${label(rulesCode, byCode)} 不同；模型置信度达到 ${minModelConfidence.toFixed(2)}，按模型判断分派${why}`;
  return `${view}，与规则判断 ${label(rulesCode, byCode)} 不同，转人工分拣确认${why}`;
}

/**
 * The decision's reasons after the merge. When the model's item is taken, its sentence leads
 * (the reporter is told the first reason) with the new handler and legal basis, and the rules'
 * match follows as the record of what they thought.
 */
export function mergedReasons(
  rulesReasons: readonly string[],
  sentence: string,
  merge: Merge,
  modelItem: PowerItem | null,
  streetReason: string | null,
): string[] {
  const kept = merge.needsTriage ? [...rulesReasons] : rulesReasons.filter((r) => !r.includes(TRIAGE_MARK));
  if (merge.final === 'rules' || modelItem === null) return [...kept, sentence];
  const rulesMatch = kept[0] && kept[0] !== streetReason ? [`规则原判断：${kept[0]}`] : [];
  return [
    sentence,
    handlerSentence(modelItem),
    `依据：${modelItem.legalBasis}`,
    ...rulesMatch,
    ...(streetReason ? [streetReason] : []),
  ];
}
