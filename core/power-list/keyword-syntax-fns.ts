/** Syntax of the power list's vocabulary fields, shared by the schema and the classifier. */

export interface ParsedTerm {
  text: string;
  /** Explicit weight from a trailing '^n', else null. */
  weight: number | null;
}

const WEIGHT_SUFFIX = /\^(\d+(?:\.\d+)?)$/;

export function parseTerm(raw: string): ParsedTerm {
  const m = WEIGHT_SUFFIX.exec(raw);
  if (!m || m[1] === undefined) return { text: raw.trim(), weight: null };
  return { text: raw.slice(0, m.index).trim(), weight: Number(m[1]) };
}

/** 'A|B+C' → [['A','B'],['C']]: every part must occur, any alternative of a part will do. */
export function parsePattern(raw: string): string[][] {
  return raw.split('+').map((part) => part.split('|').map((alt) => alt.trim()));
}

/** Returns a message when a term is unusable, else null. */
export function termProblem(raw: string): string | null {
  const { text, weight } = parseTerm(raw);
  if (text.length === 0) return `空词条 "${raw}"`;
  if (/[\s+|^]/.test(text)) return `词条 "${raw}" 含空白或保留字符 (+ | ^)`;
  if (weight !== null && (weight <= 0 || weight > 10)) return `词条 "${raw}" 的权重须在 (0, 10] 内`;
  return null;
}

export function patternProblem(raw: string): string | null {
  const parts = parsePattern(raw);
  if (parts.length < 2) return `组合 "${raw}" 至少需要两部分 (用 + 连接)`;
  for (const alts of parts) {
    for (const alt of alts) {
      if (alt.length === 0) return `组合 "${raw}" 含空的部分`;
      if (/[\s^]/.test(alt)) return `组合 "${raw}" 含空白或 ^`;
    }
  }
  return null;
}
