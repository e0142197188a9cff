/**
 * Keeping personal data out of everything public (执法信息网上公示). FixMyStreet's most damaging
 * complaint is personal data published by accident, so public output goes through these
 * functions and nothing else: redact free text, coarsen coordinates, mask phone numbers.
 */

/**
 * One pass, leftmost match wins, so a case number or an e-mail is consumed whole before its
 * digits or its '@' could be read as something else. Order matters inside the alternation
 * only for matches starting at the same position (longer, more specific forms first).
 */
const RULES: Array<{ re: string; replace: (m: string) => string }> = [
  // Case numbers (JH-20261129-0001) are public identifiers: kept, not redacted as digit runs.
  { re: String.raw`[A-Z]{1,6}-\d{8}-\d{4,6}(?!\d)`, replace: (m) => m },
  { re: String.raw`[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}`, replace: () => '[邮箱已隐去]' },
  // 18-digit resident ID numbers (the last character may be X).
  { re: String.raw`(?<!\d)\d{17}[\dXx](?![\dA-Za-z])`, replace: () => '[证件号已隐去]' },
  // Mobile numbers, with an optional +86 and spaces or dashes between the groups.
  { re: String.raw`(?<!\d)(?:\+?86[-\s]?)?1[3-9]\d(?:[-\s]?\d{4}){2}(?!\d)`, replace: () => '[电话已隐去]' },
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
    re: String.raw`[京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼][A-HJ-NP-Z][·•]?[A-HJ-NP-Z0-9]{5,6}(?![A-Za-z0-9])`,
    replace: (m) => `${m.slice(0, 2)}*****`,
  },
  // Labelled names: 联系人：张三 → 联系人：***
  {
    re: String.raw`(?:联系人|姓名|当事人|户主|业主|报告人|举报人|负责人)[:：]\s*(?:[\u4e00-\u9fa5·]{1,4}|[A-Za-z][A-Za-z ]{0,30})`,
    replace: (m) => m.replace(/([:：]\s*).*$/, '$1***'),
  },
  // Whatever long number is left (bank cards, local numbers without area code, chat ids).
  { re: String.raw`(?<!\d)\d{7,}(?!\d)`, replace: () => '[号码已隐去]' },
];

const PATTERN = new RegExp(RULES.map((r) => `(${r.re})`).join('|'), 'g');

/** Full-width digits and letters (１３８…) are normalised first so they cannot slip through. */
function halfWidth(text: string): string {
  return text.replace(/[０-９Ａ-Ｚａ-ｚ＠]/g, (ch) => String.fromCharCode(ch.charCodeAt(0) - 0xfee0));
}

export function redactPersonalData(text: string): string {
  return halfWidth(text).replace(PATTERN, (match, ...groups: unknown[]) => {
    const index = groups.findIndex((g, i) => i < RULES.length && g !== undefined);
    return RULES[index]?.replace(match) ?? match;
  });
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
