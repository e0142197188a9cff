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
  /** Every evening to inspectors whose patrol of today is still open. */
  'schedule.patrol_reminder':
    '【巡查提醒】您今天（{date}）的巡查还未结束。请发送 /patrol 结束巡查；今天的巡查日报会在晚间汇总发送给您和队长。',
  /** At PATROL_REPORT_HOUR to each inspector who patrolled or recorded a finding today: the day, finding by finding. */
  'schedule.patrol_report': '【巡查日报】{date} {name}（{street}）\n{summary}\n{lines}',
  /** At PATROL_REPORT_HOUR to each team lead: the team's reports of the day in one message. */
  'schedule.patrol_digest':
    '【巡查日报汇总】{date} {unit}：巡查员 {inspectors} 人，发现问题 {findings} 处，其中现场劝导整改 {settled} 处。\n\n{reports}',
  /** To an inspector whose patrol had no finding for PATROL_IDLE_MINUTES. */
  'schedule.patrol_auto_ended':
    '【巡查】您的巡查已于 {time} 自动结束（{minutes} 分钟没有新的巡查记录，共 {duration}）。继续巡查请再次发送 /patrol。',
} as const;

export type ScheduleMessageKey = keyof typeof SCHEDULE_MESSAGES;
