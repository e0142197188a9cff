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
  'reporter.redirected': '案件 {number} 已转交{handler}办理，时限：{due}。',
  'reporter.escalated': '案件 {number} 已上报区城市管理执法局办理。',
  'reporter.referred': '案件 {number} 已移送{handler}办理。',
  'reporter.rejected': '案件 {number} 不予受理。理由：{note}',
  'reporter.resolved': '案件 {number} 已办结。\n处理结果：{outcome}\n问题是否已经解决？',
  'reporter.resolved_follower': '案件 {number} 已办结。\n处理结果：{outcome}\n结案后您可以对本次处理进行评价。',
  'reporter.rework': '案件 {number} 的问题还没有解决好，已要求{handler}重新处理，新的办理时限：{due}。',
  'reporter.closed': '案件 {number} 已结案。\n处理结果：{outcome}\n请对本次处理进行评价：',
  'reporter.reopened': '案件 {number} 已重新办理，承办单位会再次处置。',
  'reporter.rated': '感谢您的评价！',
  'handler.dispatched':
    '【新案件】{number}{urgentMark}\n事项：{matter}\n地点：{place}\n内容：{text}\n依据：{legalBasis}\n时限：{due}',
  'handler.triage': '【待分拣】{number}{urgentMark}\n地点：{place}\n内容：{text}\n系统未能确定承办事项，请人工分拣。',
  /** To the street, department or bureau a case was returned to: where it came from and why. */
  'handler.returned':
    '【退回改派】{number}{urgentMark}\n{from}退回至{handler}\n退回理由：{note}\n事项：{matter}\n地点：{place}\n内容：{text}\n时限：{due}',
  'handler.returned_triage':
    '【退回待分拣】{number}{urgentMark}\n{from}退回\n退回理由：{note}\n地点：{place}\n内容：{text}\n请选择承办街道或部门重新派遣。',
  /** To the bureau on 上报区局 by a street: the reason and the steps so far. */
  'handler.escalated':
    '【上报区局】{number}{urgentMark}\n上报：{from}\n理由：{note}\n事项：{matter}\n地点：{place}\n内容：{text}\n时限：{due}\n办理经过：\n{history}',
  /** To the bureau when the scheduler escalates an overdue case. */
  'handler.overdue_escalated':
    '【超期上报】{number}{urgentMark}\n{from}承办，时限{due}已过仍未办结，自动上报区城市管理执法局督办。\n事项：{matter}\n地点：{place}\n内容：{text}\n办理经过：\n{history}',
  /** To the unit that held the case (and its assignee) when it went up to the bureau. */
  'handler.escalated_notice':
    '案件 {number}（{matter}）已{how}区城市管理执法局：{note}\n后续由区局办理，请配合提供情况。',
  /** To the bureau: the department a case belongs to has nobody bound, so the bureau acts for it. */
  'handler.unbound':
    '【待区局处置】{number}{urgentMark}\n{department}尚无人员在网格通接收案件，由区城市管理执法局处置。\n事项：{matter}\n地点：{place}\n内容：{text}\n依据：{legalBasis}\n时限：{due}\n可派遣街道、移送其他部门或由区局直接办理。',
  /** To a street the bureau sent a case it held. */
  'handler.bureau_dispatched':
    '【区局派遣】{number}{urgentMark}\n区城市管理执法局派遣至{handler}{note}\n事项：{matter}\n地点：{place}\n内容：{text}\n时限：{due}',
  'handler.assigned': '【转派给您】{number}\n事项：{matter}\n地点：{place}\n内容：{text}\n时限：{due}',
  'handler.reopened': '【重新办理】{number}\n事项：{matter}\n原因：{note}\n时限：{due}',
  'handler.rework': '【返工】{number} 核查未通过：{note}',
  'handler.supplemented': '【报告人补充】{number}\n事项：{matter}\n补充内容：{note}{photos}',
  'handler.postponement': '【缓办申请】{number}\n理由：{note}\n申请延期至：{due}',
  'handler.postponement_decided': '案件 {number} 的缓办申请{decision}。时限：{due}',
  'inspector.verify_task':
    '【核查任务】{number}\n事项：{matter}\n地点：{place}\n内容：{text}\n处理结果：{outcome}\n照片：报告照片 {before} 张，办结照片 {after} 张（依次附后）\n位置：{distance}{warning}\n请于{verifyDue}前到现场核查，逾期系统将自动核查通过。',
} as const;

export type CaseMessageKey = keyof typeof CASE_MESSAGES;

/** Renders a message by key; the composition root supplies one that applies overrides. */
export interface MessageRenderer {
  t(key: string, vars: Record<string, string | number>): string;
  /** The case's page with its map (PUBLIC_URL/cases/:number), linked from staff cards; none when absent. */
  caseUrl?(number: string): string;
}
