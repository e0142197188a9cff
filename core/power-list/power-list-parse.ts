import { powerListSchema } from './power-list-schema.ts';
import { errorMessage } from '../errors.ts';
import type { PowerList } from './power-list-types.ts';

/** Thrown when a power list does not validate; `issues` carries one line per problem. */
export class PowerListError extends Error {
  readonly issues: string[];
  constructor(message: string, issues: string[]) {
    super(issues.length > 0 ? `${message}:\n  ${issues.join('\n  ')}` : message);
    this.name = 'PowerListError';
    this.issues = issues;
  }
}

function describePath(path: readonly PropertyKey[], json: unknown): string {
  // Name items by code where possible: "items[12] (SR-013).keywords[3]" beats "items.12.keywords.3".
  let out = '';
  let node: unknown = json;
  for (const key of path) {
    node = node !== null && typeof node === 'object' ? (node as Record<PropertyKey, unknown>)[key] : undefined;
    if (typeof key === 'number') {
      const code = node !== null && typeof node === 'object' ? (node as { code?: unknown }).code : undefined;
      out += `[${key}]${typeof code === 'string' ? ` (${code})` : ''}`;
    } else {
      out += out.length > 0 ? `.${String(key)}` : String(key);
    }
  }
  return out.length > 0 ? out : '(根)';
}

/** Validates parsed JSON as a power list. Pure: no I/O. */
export function parsePowerList(json: unknown): PowerList {
  const result = powerListSchema.safeParse(json);
  if (result.success) return result.data as PowerList;
  const issues = result.error.issues.map((issue) => `${describePath(issue.path, json)}: ${issue.message}`);
  throw new PowerListError('权力清单格式不正确', issues);
}

/** Parses a power list file's text; `path` names the file in the error. Pure: the caller read it. */
export function parsePowerListText(text: string, path: string): PowerList {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new PowerListError(`权力清单文件 ${path} 不是合法 JSON`, [errorMessage(err)]);
  }
  return parsePowerList(json);
}
