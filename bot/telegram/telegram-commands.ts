// The command menu Telegram shows beside the input field (setMyCommands). The names must match
// bot/flows/command-flow.ts; the descriptions are what people read, so they are in Chinese.
export const TELEGRAM_COMMANDS: ReadonlyArray<{ command: string; description: string }> = [
  { command: 'start', description: '开始使用：如何报告城市管理问题' },
  { command: 'my', description: '我的报告及处理进度' },
  { command: 'status', description: '查询案件进度（/status 案件编号）' },
  { command: 'cancel', description: '取消正在填写的报告' },
  { command: 'help', description: '帮助' },
  { command: 'bind', description: '工作人员绑定身份（/bind 绑定码）' },
  { command: 'queue', description: '待办案件（执法队长、队员）' },
  { command: 'patrol', description: '开始/结束巡查（巡查员）' },
  { command: 'login', description: '网页工作台登录链接（工作人员）' },
];
