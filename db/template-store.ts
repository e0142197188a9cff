import { NotFoundError, ValidationError } from '../core/errors.ts';
import {
  createTemplateCatalogue,
  overrideProblems,
  placeholdersOf,
  type TemplateCatalogue,
  type TemplateProblem,
} from '../core/messaging/template-fns.ts';
import type { Db } from './prisma-client.ts';

export interface TemplateEntry {
  key: string;
  defaultText: string;
  /** What is in use: the override, or the default. */
  text: string;
  overridden: boolean;
  placeholders: string[];
  updatedAt: Date | null;
}

export interface TemplateStore {
  /** The live overrides; the catalogue reads this Map, so edits apply at once. */
  readonly overrides: Map<string, string>;
  /** Reads the overrides. Rows for unknown keys, or no longer fitting their default (after an upgrade), are ignored and named. */
  load(): Promise<{ loaded: number; ignored: string[] }>;
  catalogue(onProblem?: (p: TemplateProblem) => void): TemplateCatalogue;
  /** For administrators: replaces a default text, keeping its placeholders. */
  setTemplate(key: string, text: string): Promise<void>;
  /** Back to the default text. */
  resetTemplate(key: string): Promise<void>;
  list(): Promise<TemplateEntry[]>;
}

/** `defaults` is every message the application knows (case, schedule, bot texts merged by the caller). */
export function createTemplateStore(db: Db, defaults: Readonly<Record<string, string>>): TemplateStore {
  const overrides = new Map<string, string>();
  const defaultOf = (key: string): string => {
    if (!Object.hasOwn(defaults, key)) throw new NotFoundError(`没有名为 ${key} 的消息模板`);
    return defaults[key]!;
  };

  return {
    overrides,

    async load() {
      const rows = await db.responseTemplate.findMany({ orderBy: { key: 'asc' } });
      const ignored: string[] = [];
      overrides.clear();
      for (const row of rows) {
        const def = Object.hasOwn(defaults, row.key) ? defaults[row.key] : undefined;
        if (def === undefined || overrideProblems(def, row.text).length > 0) ignored.push(row.key);
        else overrides.set(row.key, row.text);
      }
      return { loaded: overrides.size, ignored };
    },

    catalogue: (onProblem) => createTemplateCatalogue(defaults, overrides, onProblem),

    async setTemplate(key, text) {
      const problems = overrideProblems(defaultOf(key), text);
      if (problems.length) throw new ValidationError(`模板 ${key} 无法保存：${problems.join('；')}`);
      await db.responseTemplate.upsert({ where: { key }, create: { key, text }, update: { text } });
      overrides.set(key, text);
    },

    async resetTemplate(key) {
      defaultOf(key);
      await db.responseTemplate.deleteMany({ where: { key } });
      overrides.delete(key);
    },

    async list() {
      const rows = new Map((await db.responseTemplate.findMany()).map((r) => [r.key, r]));
      return Object.entries(defaults).map(([key, defaultText]) => {
        const text = overrides.get(key);
        return {
          key,
          defaultText,
          text: text ?? defaultText,
          overridden: text !== undefined,
          placeholders: placeholdersOf(defaultText),
          updatedAt: text !== undefined ? (rows.get(key)?.updatedAt ?? null) : null,
        };
      });
    },
  };
}
