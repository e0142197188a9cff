/**
 * Default texts of case notifications, keyed by event. An administrator can override any of
 * them (ResponseTemplate table); placeholders in {braces} are filled per case.
 */
export const CASE_MESSAGES = {
  'reporter.created':
    '已受理，案件编号：{number}\n事项：{matter}\n承办：{handler}\n{why}\n办理时限：{due}\n处理进展会及时推送给您。',
  'reporter.triage': '已收到，案件编号：{number}\n街道指挥中心的工作人员会确定由哪个单位处理，确定后会通知您。',
  'reporter.duplicate': '附近已有相同问题的案件 {number}（{status}），您的报告已并入该案件，后续进展会同步推送给您。',
  'reporter.dispatched': '案件 {number} 已派遣至{handler}办理，时限：{due}。',
  'reporter.accepted': '案件 {number} 已由{handler}接单处置。',
  'reporter.returned': '案件 {number} 正在重新分派承办单位。',
  'reporter.escalated': '案件 {number} 已上报区城市管理执法局办理。',
  'reporter.referred': '案件 {number} 已移送{handler}办理。',
  'reporter.rejected': '案件 {number} 不予受理。理由：{note}',
  'reporter.resolved': '案件 {number} 已办结。\n处理结果：{outcome}\n问题是否已经解决？',
  'reporter.rework': '案件 {number} 的问题还没有解决好，已要求{handler}重新处理，新的办理时限：{due}。',
  'reporter.closed': '案件 {number} 已结案。\n处理结果：{outcome}\n请对本次处理进行评价：',
  'reporter.reopened': '案件 {number} 已重新办理，承办单位会再次处置。',
  'reporter.rated': '感谢您的评价！',
  'handler.dispatched':
    '【新案件】{number}{urgentMark}\n事项：{matter}\n地点：{place}\n内容：{text}\n依据：{legalBasis}\n时限：{due}',
  'handler.triage': '【待分拣】{number}{urgentMark}\n地点：{place}\n内容：{text}\n系统未能确定承办事项，请人工分拣。',
  'handler.assigned': '【转派给您】{number}\n事项：{matter}\n地点：{place}\n内容：{text}\n时限：{due}',
  'handler.reopened': '【重新办理】{number}\n事项：{matter}\n原因：{note}\n时限：{due}',
  'handler.rework': '【返工】{number} 核查未通过：{note}',
  'handler.supplemented': '【报告人补充】{number}\n事项：{matter}\n补充内容：{note}{photos}',
  'handler.postponement': '【缓办申请】{number}\n理由：{note}\n申请延期至：{due}',
  'handler.postponement_decided': '案件 {number} 的缓办申请{decision}。时限：{due}',
} as const;

export type CaseMessageKey = keyof typeof CASE_MESSAGES;

/** Renders a message by key; the composition root supplies one that applies overrides. */
export interface MessageRenderer {
  t(key: string, vars: Record<string, string | number>): string;
  /** The case's page with its map (PUBLIC_URL/cases/:number), linked from staff cards; none when absent. */
  caseUrl?(number: string): string;
}
