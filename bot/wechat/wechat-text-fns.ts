// Pure reading of what WeChat users type: slash commands, the Chinese words people use instead,
// and numbered replies to a menu. Unit-tested in wechat-text-fns.test.ts.

export interface ParsedCommand {
  name: string;
  args: string;
}

/** Full-width digits, letters and the full-width slash come from Chinese keyboards. */
export function normaliseWidth(text: string): string {
  return text.replace(/[\uFF01-\uFF5E]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0)).replace(/\u3000/g, ' ');
}

/** A case number as the district prints it (prefix from CASE_NUMBER_PREFIX): JH-20261201-0001. */
const CASE_NUMBER = /^[A-Za-z]{1,6}-\d{8}-\d{4}$/;

/**
 * Chinese words that mean a command. Only whole messages count, so "帮助" is a command but
 * "请帮助我" is a report; 取消/确认 are left to the conversation core, which reads them in context.
 */
const WORD_COMMANDS: Array<[RegExp, string]> = [
  [/^(?:帮助|菜单|使用说明)$/, 'help'],
  [/^(?:我的报告|我的案件|我的)$/, 'my'],
  [/^(?:查询|查询进度|进度|查)\s*([A-Za-z]{1,6}-\d{8}-\d{4})?$/, 'status'],
  [/^(?:待办|待办案件|我的待办)$/, 'queue'],
  [/^(?:绑定|绑定身份)\s*([A-Za-z0-9]{4,16})?$/, 'bind'],
  [/^(?:巡查|开始巡查|结束巡查)$/, 'patrol'],
  [/^(?:登录|工作台|网页工作台)$/, 'login'],
];

/** `/status JH-…`, `／status JH-…`, `查询 JH-…`, or a bare case number → a command; else null. */
export function parseWeChatCommand(raw: string): ParsedCommand | null {
  const text = normaliseWidth(raw).trim();
  const slash = /^\/([a-z_]{1,32})(?:\s+([\s\S]*))?$/i.exec(text);
  if (slash) return { name: slash[1]!.toLowerCase(), args: (slash[2] ?? '').trim() };
  if (CASE_NUMBER.test(text)) return { name: 'status', args: text.toUpperCase() };
  for (const [pattern, name] of WORD_COMMANDS) {
    const m = pattern.exec(text);
    if (m) return { name, args: (m[1] ?? '').trim() };
  }
  return null;
}

/** "1", " 2 ", "３", "4." → the number picked (1–99); anything else → null. */
export function pickedNumber(raw: string): number | null {
  const m = /^\s*(\d{1,2})\s*[.。、)）]?\s*$/.exec(normaliseWidth(raw));
  const n = m ? Number(m[1]) : 0;
  return n >= 1 ? n : null;
}

/** Room messages arrive with the bot's @-mention in the text; the flows should not see it. */
export function stripMention(text: string, selfName: string): string {
  if (!selfName) return text.trim();
  const escaped = selfName.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  // WeChat puts a four-per-em space (U+2005) after a mention; some clients a normal space.
  return text.replace(new RegExp(`@${escaped}[\\u2005\\s]?`, 'g'), '').trim();
}

/**
 * WeChat sends a quoted reply as one text: 「name：quoted」, a dashed line, then the reply. The
 * quoted part (a case card, say) tells the flows which case the reply is about.
 */
export function splitQuote(text: string): { text: string; quoted?: string } {
  const m = /^「([\s\S]*?)」\s*\n\s*(?:-\s*){6,}\n([\s\S]*)$/.exec(text);
  if (!m) return { text };
  return { text: m[2]!.trim(), quoted: m[1]!.replace(/^[^：:\n]{1,40}[：:]/, '').trim() };
}
