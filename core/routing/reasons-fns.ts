import type { ItemScore } from '../classify/item-scoring-fns.ts';
import type { PowerItem, ReferralBody } from '../power-list/power-list-types.ts';
import { REFERRAL_BODIES } from '../power-list/power-list-types.ts';

/** Where a resident turns for matters of bodies outside urban management (no hotline numbers but 12345). */
const REFERRAL_GUIDE: Record<ReferralBody, string> = {
  卫健: '区卫生健康局（医院、诊所的医疗服务和医疗机构设置）',
  医保: '区医疗保障局或医保经办窗口',
  教育: '区教育局',
  文旅: '区文化和旅游局',
  供电: '供电企业（供电所、电力公司）',
  铁路: '铁路部门（车站、铁路局）',
  通信: '通信运营商或通信管理部门',
  自然资源: '区自然资源和规划部门',
  征收: '区房屋征收与补偿部门（征收办）',
  农业农村: '所在乡镇（街道）和区农业农村部门',
  公积金: '住房公积金管理中心',
  交通运输: '区交通运输部门（公交线路、站点、道路建设）',
};

export function isReferralBody(department: string | null): department is ReferralBody {
  return department !== null && (REFERRAL_BODIES as readonly string[]).includes(department);
}

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

/**
 * What a resident is told to do about a matter of a body outside urban management (issue 18):
 * where to turn, one clause without its full stop; null for the ten departments the street
 * centre refers to.
 */
export function referralGuidance(department: string | null): string | null {
  return isReferralBody(department) ? `请向${REFERRAL_GUIDE[department]}反映，或拨打12345政务服务便民热线` : null;
}

export function departmentReason(item: PowerItem): string {
  const guidance = referralGuidance(item.department);
  if (guidance)
    return `该事项不属于城市管理执法范围，也不由街道执法队办理：${guidance}；街道综合执法中心会将来件转交该部门`;
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

/** A letter that suggests or asks: answered as such, with the list item it touches where there is one. */
export function adviceReason(intent: 'suggestion' | 'question', related: PowerItem | null): string {
  const kind = intent === 'suggestion' ? '意见建议' : '政策或办事咨询';
  const about = related ? `；相关清单事项：${related.code}「${related.name}」（${owner(related)}），可据此答复` : '';
  const where =
    related && isReferralBody(related.department)
      ? `；也可向${REFERRAL_GUIDE[related.department]}咨询，或拨打12345政务服务便民热线`
      : '';
  return `来信属于${kind}，没有需要现场处置的具体问题，按建议咨询件答复${about}${where}`;
}

/** Further matters of a letter that the chosen route does not cover, for the handler to pass on. */
export function otherMattersReason(items: readonly PowerItem[]): string {
  const list = items.map((i) => `${i.name}（${owner(i)}）`).join('；');
  return `来信还反映了其他事项：${list}，请承办单位一并核实或转交`;
}
