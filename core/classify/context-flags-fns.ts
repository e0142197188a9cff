import { isClauseBreak } from './text-normalize-fns.ts';

export interface ContextFlags {
  /** A negator right before the word: 没有着火, 打不着火. */
  negated: boolean;
  /** An explicit denial of the matter itself: 不是占道经营, 未发现违建. */
  denied: boolean;
  /** Talk of a risk, not a present event: 万一着火, 怕掉下来, 火灾隐患. */
  hypothetical: boolean;
  /** Told as past: 上个月电梯掉了一层. */
  past: boolean;
}

const NEGATORS = '没不未无冇别非';
// 不停/不断 intensify instead of negating; 不少/不久 are quantities.
const NOT_NEGATING_NEXT = '停断少久止';
const DENIALS = ['不是', '并非', '并没有', '没有发现', '未发现', '没发现', '没看到', '没有看到', '不存在'];
const HYPOTHETICALS = ['万一', '怕', '如果', '要是', '假如', '担心', '以防', '防止', '会不会', '可能会', '容易', '生怕', '小心', '一旦', '预防', '避免'];
const PAST = ['上个月', '上次', '上周', '去年', '前年', '以前', '之前', '曾经', '几年前', '那次', '前些年'];
const RISK_AFTER = ['隐患', '风险', '的隐患', '的风险', '苗头'];

function rhetorical(text: string, end: number): boolean {
  for (let i = end; i < Math.min(text.length, end + 8); i++) {
    const ch = text[i]!;
    if (ch === '吗' || ch === '嘛' || ch === '么') return true;
    if (isClauseBreak(text.charCodeAt(i)) && ch !== ' ') return false;
  }
  return false;
}

function clauseStart(text: string, start: number, maxBack: number): number {
  const limit = Math.max(0, start - maxBack);
  let i = start;
  while (i > limit && !isClauseBreak(text.charCodeAt(i - 1))) i--;
  return i;
}

function isQuestionForm(text: string, p: number): boolean {
  // 是不是 / 有没有 / 会不会: the negator sits between a repeated character.
  const before = text[p - 1];
  return before !== undefined && before === text[p + 1];
}

export function contextFlags(text: string, start: number, end: number): ContextFlags {
  const from = clauseStart(text, start, 12);
  let negated = false;
  for (let p = Math.max(from, start - 3); p < start; p++) {
    const ch = text[p]!;
    if (NEGATORS.includes(ch) && !NOT_NEGATING_NEXT.includes(text[p + 1] ?? '') && !isQuestionForm(text, p)) {
      negated = true;
    }
  }
  const prefix = text.slice(from, start);
  const near = text.slice(Math.max(from, start - 6), start);
  // 这不是乱涨价吗 asks for agreement: a rhetorical question affirms what it seems to deny.
  const denied = DENIALS.some((d) => near.includes(d)) && !near.includes('是不是') && !rhetorical(text, end);
  let hypothetical = HYPOTHETICALS.some((h) => prefix.includes(h));
  if (!hypothetical) {
    const after = text.slice(end, end + 4);
    hypothetical = RISK_AFTER.some((r) => after.startsWith(r));
  }
  const past = PAST.some((p) => prefix.includes(p));
  return { negated, denied, hypothetical, past };
}
