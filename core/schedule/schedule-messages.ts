/**
 * Default texts of the scheduler's notices. Administrators can override them like the case
 * messages (ResponseTemplate); an override must keep every {placeholder} of its default.
 */
export const SCHEDULE_MESSAGES = {
  /** To the team lead (liaison, bureau) of a unit that has not accepted a dispatched case in time. */
  'schedule.response_overdue':
    '【受理超时】案件{number}（{matter}）应于{due}前接单，{unit}尚未接单，请尽快安排人员接单处置。',
  /** To whoever handles the case, REMINDER_BEFORE_HOURS before the deadline. */
  'schedule.reminder': '【即将到期】案件{number}（{matter}）将于{due}到期，请及时处置。',
  /** 督办: to the team lead (liaison, bureau) of the handling unit, once the deadline has passed. */
  'schedule.overdue': '【督办】案件{number}（{matter}）已于{due}到期，{unit}尚未办结，请督促尽快处置并反馈结果。',
  /** To the district bureau, OVERDUE_ESCALATE_HOURS after the deadline. */
  'schedule.escalated':
    '【超期上报】{unit}承办的案件{number}（{matter}）已超期{hours}小时仍未办结，已上报区城市管理执法局督办。',
  /** Every morning to each team lead, liaison and district administrator, about their own unit. */
  'schedule.digest':
    '【每日汇总】{date} {unit}\n在办案件 {open} 件，今日到期 {dueToday} 件，已超期 {overdue} 件，待核查 {awaitingVerification} 件。\n发送 /queue 查看待办。',
  /** Every evening to inspectors whose patrol of today is still open, so no daily report (巡查日报) went out. */
  'schedule.patrol_reminder':
    '【巡查日报】您今天（{date}）的巡查还未结束，日报尚未提交。请发送 /patrol 结束巡查，日报会自动发送给队长。',
} as const;

export type ScheduleMessageKey = keyof typeof SCHEDULE_MESSAGES;
