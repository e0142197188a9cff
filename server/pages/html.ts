/**
 * A tiny HTML template helper that escapes by default. Every interpolated value is escaped
 * unless it is itself the result of `html` (already safe) or an array of such results, so
 * a report text, a name or an outcome can never inject markup (see the XSS test).
 */
export class SafeHtml {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
  '`': '&#96;',
};

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"'`]/g, (ch) => ESCAPES[ch]!);
}

export type HtmlValue = SafeHtml | string | number | boolean | null | undefined | readonly HtmlValue[];

function render(value: HtmlValue): string {
  if (value === null || value === undefined || value === false) return '';
  if (value instanceof SafeHtml) return value.value;
  if (Array.isArray(value)) return value.map(render).join('');
  return escapeHtml(String(value));
}

export function html(strings: TemplateStringsArray, ...values: HtmlValue[]): SafeHtml {
  let out = strings[0] ?? '';
  values.forEach((v, i) => {
    out += render(v) + (strings[i + 1] ?? '');
  });
  return new SafeHtml(out);
}

/** Markup produced by code, never by users (SVG paths built from numbers, fixed snippets). */
export function trusted(markup: string): SafeHtml {
  return new SafeHtml(markup);
}

/** `selected`/`checked` attributes from a condition. */
export const attrIf = (cond: boolean, name: string): SafeHtml => new SafeHtml(cond ? ` ${name}` : '');
