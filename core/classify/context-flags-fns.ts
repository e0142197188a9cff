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

export interface ContextScanner {
  flags(start: number, end: number): ContextFlags;
}

const NEGATORS = '没不未无冇别非';
// 不停/不断 intensify instead of negating; 不少/不久 are quantities.
const NOT_NEGATING_NEXT = '停断少久止';
const DENIALS = /不是|并非|并没有|没有发现|未发现|没发现|没看到|没有看到|不存在|无新增|没有新增/g;
const QUESTION = /是不是/g;
const HYPOTHETICALS = /万一|怕|如果|要是|假如|担心|以防|防止|会不会|可能会|容易|生怕|小心|一旦|预防|避免|有没有/g;
// Letters tell history: dates and times (2月19日, 凌晨2时许), counted occurrences (数次, 两次) and
// references back to a told event (这场大火) are past, not danger now.
const PAST =
  /上个月|上次|上周|去年|前年|以前|之前|曾经|几年前|那次|前些年|\d{1,2}月\d{1,2}[日号]|\d{1,2}[时点]许|当时|事发|那天|这场|那场|数次|多次|屡次|几次|两次|三次/g;
/** 火灾隐患, 火灾高发期: a risk word right after the danger word (的 allowed between). */
const RISK_AFTER = /隐患|风险|苗头|高发/g;
/** 起火事件, 起火原因, 打架斗殴时常发生: the danger named as a past event, its cause or a habit. */
const EVENT_AFTER = /事件|原因|事故|事情|时常|经常|常有/g;
/** 着火了怎么办 asks what if: the danger is imagined. */
const WHAT_IF = /怎么办|咋办|么样搞|怎么搞|怎么得了/g;
const WHAT_IF_REACH = 6;

// Every combination of the four flags, built once: flags() allocates nothing.
const FLAG_TABLE: readonly ContextFlags[] = Array.from({ length: 16 }, (_, bits) =>
  Object.freeze({
    negated: (bits & 1) !== 0,
    denied: (bits & 2) !== 0,
    hypothetical: (bits & 4) !== 0,
    past: (bits & 8) !== 0,
  }),
);
/** How far back in a clause a word's context is read. */
const CLAUSE_REACH = 12;
const DENIAL_REACH = 6;
const NEGATION_REACH = 3;

type Span = readonly [number, number];

function spans(text: string, re: RegExp): Span[] {
  const out: Span[] = [];
  re.lastIndex = 0;
  for (let m = re.exec(text); m !== null; m = re.exec(text)) out.push([m.index, m.index + m[0].length]);
  return out;
}

function within(list: readonly Span[], from: number, to: number): boolean {
  for (const [s, e] of list) if (s >= from && e <= to) return true;
  return false;
}

function startsAt(list: readonly Span[], at: number): boolean {
  for (const [s] of list) if (s === at) return true;
  return false;
}

/** 这不是乱涨价吗 asks for agreement: a rhetorical question affirms what it seems to deny. */
function rhetorical(text: string, end: number): boolean {
  for (let i = end; i < Math.min(text.length, end + 8); i++) {
    const ch = text[i]!;
    if (ch === '吗' || ch === '嘛' || ch === '么') return true;
    if (ch !== ' ' && isClauseBreak(text.charCodeAt(i))) return false;
  }
  return false;
}

/**
 * Reads the context of words in one text. Markers are found once per text, so each word's
 * flags cost a few comparisons: classification stays fast on long letters.
 */
export function createContextScanner(text: string): ContextScanner {
  const clauseStartAt = new Int32Array(text.length + 1);
  let clause = 0;
  for (let i = 0; i <= text.length; i++) {
    clauseStartAt[i] = clause;
    if (i < text.length && isClauseBreak(text.charCodeAt(i))) clause = i + 1;
  }
  const denials = spans(text, DENIALS);
  const questions = spans(text, QUESTION);
  const hypotheticals = spans(text, HYPOTHETICALS);
  const past = spans(text, PAST);
  const risks = spans(text, RISK_AFTER);
  const events = spans(text, EVENT_AFTER);
  const whatIfs = spans(text, WHAT_IF);
  return {
    flags(start, end) {
      const from = Math.max(clauseStartAt[start]!, start - CLAUSE_REACH);
      let negated = false;
      for (let p = Math.max(from, start - NEGATION_REACH); p < start; p++) {
        const ch = text[p]!;
        // 是不是 / 有没有 / 会不会 ask; they do not negate.
        if (NEGATORS.includes(ch) && !NOT_NEGATING_NEXT.includes(text[p + 1] ?? '') && text[p - 1] !== text[p + 1])
          negated = true;
      }
      const near = Math.max(from, start - DENIAL_REACH);
      const denied = within(denials, near, start) && !within(questions, near, start) && !rhetorical(text, end);
      const hypothetical =
        within(hypotheticals, from, start) ||
        startsAt(risks, end) ||
        (text[end] === '的' && startsAt(risks, end + 1)) ||
        (whatIfs.length > 0 && within(whatIfs, end, end + WHAT_IF_REACH));
      const isPast = within(past, from, start) || startsAt(events, end);
      return FLAG_TABLE[(negated ? 1 : 0) | (denied ? 2 : 0) | (hypothetical ? 4 : 0) | (isPast ? 8 : 0)]!;
    },
  };
}

/** Flags of one word; builds a scanner, so use createContextScanner for many words of one text. */
export function contextFlags(text: string, start: number, end: number): ContextFlags {
  return createContextScanner(text).flags(start, end);
}
