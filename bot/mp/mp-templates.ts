// 订阅通知 templates the district configured (config/mp-templates.json): which template carries
// which kind of case notice, and which of the case's facts go in which template field.
import { existsSync, readFileSync } from 'node:fs';
import { z } from 'zod';

/** The facts a template field may name as `{number}`, `{status}` … (see caseFacts in db/mp-store.ts). */
export interface CaseFacts {
  number: string;
  matter: string;
  status: string;
  place: string;
  time: string;
  /** The start of the notice's own text. */
  summary: string;
  /** Where the notice opens: the H5 sign-in, which lands in the web chat with every update. */
  link: string;
}

const templateSchema = z.object({
  templateId: z.string().min(1),
  /** Opened from the notice: a URL, `{link}` by default. */
  page: z.string().optional(),
  /** Template field name (e.g. `thing2`) → text with `{fact}` placeholders. */
  data: z.record(z.string(), z.string()),
});
const fileSchema = z.object({
  /** Notice kind (`followers`, `thanks`, `created`, …, or `default` for every case notice) → template. */
  notices: z.record(z.string(), templateSchema),
});

export type MpTemplate = z.infer<typeof templateSchema>;
export type MpTemplates = z.infer<typeof fileSchema>;

export const NO_TEMPLATES: MpTemplates = { notices: {} };

/** The file, or no templates when it does not exist. A file that is there but wrong is an error at start-up. */
export function loadMpTemplates(file: string): MpTemplates {
  if (!existsSync(file)) return NO_TEMPLATES;
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new Error(`${file}: not valid JSON (${err instanceof Error ? err.message : String(err)})`, { cause: err });
  }
  const parsed = fileSchema.safeParse(json);
  if (!parsed.success)
    throw new Error(`${file}: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  return parsed.data;
}

/**
 * The kind of a case notice from its outbox key: `case:12:e5:followers:mp:<openid>` → `followers`,
 * `case:12:reporter:created:mp:<openid>` → `created`.
 */
export function noticeKind(dedupeKey: string): string {
  const own = dedupeKey.replace(/:mp:[^:]*$/, '');
  return own.split(':').pop() ?? '';
}

export function templateFor(templates: MpTemplates, dedupeKey: string): MpTemplate | null {
  return templates.notices[noticeKind(dedupeKey)] ?? templates.notices.default ?? null;
}

/** 订阅通知 fields hold at most 20 characters (thing.DATA); longer values are refused by WeChat. */
const FIELD_MAX = 20;

export function renderTemplate(
  t: MpTemplate,
  facts: CaseFacts,
): { page: string; data: Record<string, { value: string }> } {
  const fill = (s: string) => s.replace(/\{(\w+)\}/g, (m, k: string) => (k in facts ? facts[k as keyof CaseFacts] : m));
  const data = Object.fromEntries(
    Object.entries(t.data).map(([field, text]) => {
      const v = fill(text);
      return [field, { value: v.length > FIELD_MAX ? `${v.slice(0, FIELD_MAX - 1)}…` : v }];
    }),
  );
  return { page: fill(t.page ?? '{link}'), data };
}
