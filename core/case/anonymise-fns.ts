/**
 * Keeping personal data out of everything public (执法信息网上公示). FixMyStreet's most damaging
 * complaint is personal data published by accident, so public output goes through these
 * functions and nothing else: redact free text, coarsen coordinates, mask phone numbers.
 */
import { NAME_PLACEHOLDER, redactNames } from './name-redaction-fns.ts';

/**
 * One pass, leftmost match wins, so a case number or an e-mail is consumed whole before its
 * digits or its '@' could be read as something else. Order matters inside the alternation
 * only for matches starting at the same position (longer, more specific forms first).
 */
const RULES: Array<{ re: string; replace: (m: string) => string }> = [
  // Case numbers (JH-20261129-0001) are public identifiers: kept, not redacted as digit runs.
  { re: String.raw`[A-Z]{1,6}-\d{8}-\d{4,6}(?!\d)`, replace: (m) => m },
  { re: String.raw`[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}`, replace: () => '[邮箱已隐去]' },
  // 18-digit resident ID numbers (the last character may be X), also written in groups.
  { re: String.raw`(?<!\d)\d{6}[-\s]?\d{8}[-\s]?\d{3}[\dXx](?![\dA-Za-z])`, replace: () => '[证件号已隐去]' },
  // Mobile numbers, with an optional +86 and a space or dash anywhere between the digits
  // (139 1234 5678, 1-3-9…, and dictated 一三九一二三四五六七八 once read as digits).
  { re: String.raw`(?<!\d)(?:\+?86[-\s]?)?1[3-9](?:[-\s]?\d){9}(?!\d)`, replace: () => '[电话已隐去]' },
  // Landlines with an area code: 027-85551234, (027)8555 1234, 02785551234, optional extension.
  {
    re: String.raw`(?<!\d)(?:[(（]0\d{2,3}[)）]|0\d{2,3})[-\s]?\d{3,4}[-\s]?\d{4}(?:[-转]\d{1,5})?(?!\d)`,
    replace: () => '[电话已隐去]',
  },
  // Chat identities: WeChat ids, QQ numbers, @handles (Telegram usernames and the like).
  { re: String.raw`wxid_[A-Za-z0-9_-]+`, replace: () => '[账号已隐去]' },
  {
    re: String.raw`(?:QQ|qq|微信号?|wechat)[:：\s]*[A-Za-z0-9_-]{5,}`,
    replace: (m) => m.replace(/[A-Za-z0-9_-]{5,}$/, '[账号已隐去]'),
  },
  { re: String.raw`@[A-Za-z0-9_][A-Za-z0-9_.-]+`, replace: () => '[账号已隐去]' },
  // Vehicle plates identify a person as surely as a name: keep the province and city letter.
  {
    // 鄂A12345, 鄂A·D12345 and 鄂AD12345 (new energy), 鄂A 12345, 鄂A1234学 (driving school).
    re: String.raw`[京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼][A-HJ-NP-Za-hj-np-z][\s·•.-]?(?:[A-HJ-NP-Za-hj-np-z0-9]{5,6}|[A-HJ-NP-Za-hj-np-z0-9]{4}[学警挂港澳领使])(?![A-Za-z0-9])`,
    replace: (m) => `${m.slice(0, 2)}*****`,
  },
  // Labelled names: 联系人：张三 → 联系人：***
  {
    re: String.raw`(?:联系人|姓名|当事人|户主|业主|报告人|举报人|负责人)[:：]\s*(?:[\u4e00-\u9fa5·]{1,4}|[A-Za-z][A-Za-z ]{0,30})`,
    replace: (m) => m.replace(/([:：]\s*).*$/, `$1${NAME_PLACEHOLDER}`),
  },
  // Whatever long number is left (bank cards, local numbers without area code, chat ids).
  { re: String.raw`(?<!\d)\d{7,}(?!\d)`, replace: () => '[号码已隐去]' },
];

const PATTERN = new RegExp(RULES.map((r) => `(${r.re})`).join('|'), 'g');

/** Full-width digits and letters (１３８…) are read as ASCII so they cannot slip through. */
function halfWidth(text: string): string {
  return text.replace(/[０-９Ａ-Ｚａ-ｚ＠]/g, (ch) => String.fromCharCode(ch.charCodeAt(0) - 0xfee0));
}

const CHINESE_DIGITS: Record<string, string> = {
  〇: '0',
  零: '0',
  幺: '1',
  一: '1',
  二: '2',
  两: '2',
  三: '3',
  四: '4',
  五: '5',
  六: '6',
  七: '7',
  八: '8',
  九: '9',
};
// Three or more in a row (spaces and dashes between them allowed): a dictated number, not 张三 or 三车.
const CHINESE_DIGIT_RUN = /[〇零幺一二两三四五六七八九](?:[-\s]?[〇零幺一二两三四五六七八九]){2,}/g;

/**
 * The text as the patterns read it: full-width forms and runs of Chinese numerals as ASCII
 * digits. Every replacement is one UTF-16 unit for one, so positions in it are positions in
 * the original, and what is not redacted is returned exactly as written.
 */
function patternView(text: string): string {
  return halfWidth(text).replace(CHINESE_DIGIT_RUN, (run) => run.replace(/[^-\s]/g, (ch) => CHINESE_DIGITS[ch] ?? ch));
}

export interface RedactOptions {
  /** Names the record knows (the reporter's display name): redacted wherever they appear. */
  names?: readonly string[];
}

/**
 * Names, phone numbers (any digits), ID numbers, plates, accounts and long numbers out of a
 * free text; case numbers, dates, times, amounts and places stay as written.
 */
export function redactPersonalData(text: string, options: RedactOptions = {}): string {
  const named = redactNames(text, options.names);
  const view = patternView(named);
  let out = '';
  let pos = 0;
  for (const m of view.matchAll(PATTERN)) {
    const index = m.slice(1, RULES.length + 1).findIndex((g) => g !== undefined);
    const original = named.slice(m.index, m.index + m[0].length);
    out += named.slice(pos, m.index) + (RULES[index]?.replace(original) ?? original);
    pos = m.index + m[0].length;
  }
  return out + named.slice(pos);
}

/** 13812345678 → 138****5678; other numbers keep only their first 3 and last 4 digits. */
export function maskPhone(phone: string): string {
  const digits = phone.replace(/\D/g, '');
  if (digits.length >= 8) return `${digits.slice(0, 3)}****${digits.slice(-4)}`;
  return digits.length > 2 ? `****${digits.slice(-2)}` : '****';
}

/** 3 decimals ≈ 110 m north–south and ≈ 96 m east–west at Wuhan's latitude (30.6°N). */
export function coarsenCoordinate(value: number, decimals = 3): number {
  const f = 10 ** decimals;
  return Math.round(value * f) / f;
}

export function coarseLocation(lat: number | null, lng: number | null): { lat: number; lng: number } | null {
  if (lat === null || lng === null) return null;
  return { lat: coarsenCoordinate(lat), lng: coarsenCoordinate(lng) };
}
