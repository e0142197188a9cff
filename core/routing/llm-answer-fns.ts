import { z } from 'zod';

/** What the model must answer: one candidate's code (or null for none of them), how sure, why. */
export const modelAnswerSchema = z.object({
  code: z.string().trim().max(40).nullable(),
  confidence: z.number().min(0).max(1),
  reason: z.string().trim().min(1).max(500),
});

export interface ModelAnswer {
  code: string | null;
  confidence: number;
  reason: string;
}

export type ParsedAnswer = { ok: true; answer: ModelAnswer } | { ok: false; problem: string };

/** Longest reason kept: the reason is shown to staff and stored with the case as one sentence. */
const REASON_MAX = 120;
// Models with visible reasoning (DeepSeek-R1, Qwen3) wrap it in <think>; its braces are not the answer.
const THINKING = /<think>[\s\S]*?<\/think>/gi;
const NULL_WORDS = new Set(['', 'null', 'none', '无', '都不是', '都不合适']);

/** The first balanced {...} in the text, braces inside strings respected; null when there is none. */
export function firstJsonObject(text: string): string | null {
  const start = text.indexOf('{');
  if (start < 0) return null;
  let depth = 0;
  let inString = false;
  for (let i = start; i < text.length; i++) {
    const ch = text[i];
    if (inString) {
      if (ch === '\\') i++;
      else if (ch === '"') inString = false;
    } else if (ch === '"') inString = true;
    else if (ch === '{') depth++;
    else if (ch === '}' && --depth === 0) return text.slice(start, i + 1);
  }
  return null;
}

function oneSentence(reason: string): string {
  const flat = reason.replace(/\s+/g, ' ');
  const end = flat.search(/[。！？!?]/);
  const first = end >= 0 ? flat.slice(0, end + 1) : flat;
  return first.length > REASON_MAX ? `${first.slice(0, REASON_MAX)}…` : first;
}

/**
 * Reads the model's reply. Servers that ignore response_format still get a chance: the first JSON
 * object in the content counts. The code must be one of the candidates offered; anything else is
 * a problem and the answer is ignored.
 */
export function parseModelAnswer(content: string | null | undefined, candidateCodes: readonly string[]): ParsedAnswer {
  if (!content) return { ok: false, problem: 'empty content' };
  const json = firstJsonObject(content.replace(THINKING, ''));
  if (json === null) return { ok: false, problem: 'no JSON object' };
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch {
    return { ok: false, problem: 'malformed JSON' };
  }
  const parsed = modelAnswerSchema.safeParse(raw);
  if (!parsed.success)
    return {
      ok: false,
      problem: `schema: ${parsed.error.issues.map((i) => `${i.path.join('.')} ${i.message}`).join('; ')}`,
    };
  const { confidence, reason } = parsed.data;
  const code = parsed.data.code === null || NULL_WORDS.has(parsed.data.code.toLowerCase()) ? null : parsed.data.code;
  if (code !== null && !candidateCodes.includes(code)) return { ok: false, problem: 'code not among the candidates' };
  return { ok: true, answer: { code, confidence, reason: oneSentence(reason) } };
}
