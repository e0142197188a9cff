import type { ItemScore } from '../classify/item-scoring-fns.ts';
import type { PowerItem } from '../power-list/power-list-types.ts';

function owner(item: PowerItem): string {
  if (item.level === 'department') return `${item.department}部门`;
  if (item.level === 'district') return item.post ? `区城市管理执法局（${item.post}）` : '区城市管理执法局';
  return `${item.post}岗`;
}

export function matchReason(item: PowerItem, score: ItemScore): string {
  const words = score.evidence
    .slice(0, 5)
    .map((w) => `“${w}”`)
    .join('、');
  return `匹配清单事项 ${item.code}「${item.name}」（${owner(item)}），命中：${words}`;
}

export function legalReason(item: PowerItem): string {
  return `依据：${item.legalBasis}`;
}

export function streetReason(item: PowerItem): string {
  return `属地管辖：该事项由所在街道城市管理执法队伍${item.post}岗办理`;
}

export function departmentReason(item: PowerItem): string {
  return `该事项不属于城市管理执法范围，由街道综合执法中心移送${item.department}部门处理并跟踪`;
}

export function districtReason(district: PowerItem, evidence: readonly string[]): string {
  const words = evidence
    .slice(0, 4)
    .map((w) => `“${w}”`)
    .join('、');
  return `${district.name}（命中：${words}），按江政〔2021〕8号由区城市管理执法局组织查处`;
}

export function urgentReason(cues: readonly string[]): string {
  const words = cues
    .slice(0, 4)
    .map((w) => `“${w}”`)
    .join('、');
  return `描述了正在发生的危险（${words}），标记为紧急并提示报警、避险`;
}

export function triageReason(confidence: number, rival: { item: PowerItem; close: boolean } | null): string {
  if (rival?.close) return `与事项 ${rival.item.code}「${rival.item.name}」难以区分，转人工分拣确认`;
  return `匹配把握不足（置信度 ${confidence.toFixed(2)}），转人工分拣确认`;
}
