/** Values a template may receive; null and undefined count as missing. */
export type TemplateVars = Readonly<Record<string, string | number | null | undefined>>;

export interface RenderResult {
  text: string;
  /** Placeholders with no value: left visible in `text` so a gap is noticed, not silently blank. */
  missing: string[];
}

const PLACEHOLDER = /\{([A-Za-z_][A-Za-z0-9_]*)\}/g;

/** Fills `{name}` placeholders. Braces around anything else (Chinese text, JSON) are left alone. */
export function renderTemplate(text: string, vars: TemplateVars): RenderResult {
  const missing: string[] = [];
  const out = text.replace(PLACEHOLDER, (whole, name: string) => {
    const v = Object.hasOwn(vars, name) ? vars[name] : undefined;
    if (v === null || v === undefined) {
      if (!missing.includes(name)) missing.push(name);
      return whole;
    }
    return String(v);
  });
  return { text: out, missing };
}

/** The distinct placeholder names a template uses, in order of first use. */
export function placeholdersOf(text: string): string[] {
  return [...new Set(Array.from(text.matchAll(PLACEHOLDER), (m) => m[1]!))];
}

/**
 * Why an administrator's text cannot replace a default: every placeholder of the default must
 * stay (dropping {number} would leave a notice nobody can act on) and no unknown one may appear
 * (nothing would fill it). Returns Chinese sentences for the dashboard; empty means acceptable.
 */
export function overrideProblems(defaultText: string, text: string): string[] {
  const problems: string[] = [];
  if (text.trim() === '') problems.push('模板内容不能为空');
  const expected = placeholdersOf(defaultText);
  const used = placeholdersOf(text);
  const dropped = expected.filter((p) => !used.includes(p));
  const unknown = used.filter((p) => !expected.includes(p));
  if (dropped.length) problems.push(`缺少占位符：${dropped.map((p) => `{${p}}`).join('、')}`);
  if (unknown.length)
    problems.push(
      `不支持的占位符：${unknown.map((p) => `{${p}}`).join('、')}（可用：${expected.map((p) => `{${p}}`).join('、') || '无'}）`,
    );
  return problems;
}

export interface TemplateProblem {
  key: string;
  /** The key has no default text: a programming error, shown as the key itself. */
  unknownKey: boolean;
  missing: string[];
}

export interface TemplateCatalogue {
  t(key: string, vars?: TemplateVars): string;
  has(key: string): boolean;
  keys(): string[];
}

/**
 * Defaults from code, overrides from the ResponseTemplate table. `overrides` is read at each
 * call, so the template store can update the same Map and edits apply without a restart.
 */
export function createTemplateCatalogue(
  defaults: Readonly<Record<string, string>>,
  overrides: ReadonlyMap<string, string> = new Map(),
  onProblem: (p: TemplateProblem) => void = () => {},
): TemplateCatalogue {
  return {
    t(key, vars = {}) {
      const template = overrides.get(key) ?? (Object.hasOwn(defaults, key) ? defaults[key] : undefined);
      if (template === undefined) {
        onProblem({ key, unknownKey: true, missing: [] });
        return key;
      }
      const { text, missing } = renderTemplate(template, vars);
      if (missing.length) onProblem({ key, unknownKey: false, missing });
      return text;
    },
    has: (key) => Object.hasOwn(defaults, key),
    keys: () => Object.keys(defaults),
  };
}
