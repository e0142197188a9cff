import type { FastifyInstance } from 'fastify';
import { ValidationError } from '../../core/errors.ts';

/**
 * The validator coerces types (coerceTypes: 'array'), which querystrings need ("5" → 5) but a
 * JSON body must not get: there it turns null into 0 ({"lat":null} became latitude 0), true
 * into 1 and a scalar into an array. Before validation, a JSON body is checked against its
 * route's schema with JSON's own types; a mismatch is a 400 naming the field.
 */
type Schema = {
  type?: string | readonly string[];
  properties?: Record<string, Schema>;
  items?: Schema | readonly Schema[];
};

const TYPE_NAMES: Record<string, string> = {
  null: 'null',
  boolean: '布尔值',
  number: '数字',
  integer: '整数',
  string: '字符串',
  array: '数组',
  object: '对象',
};

function fits(value: unknown, type: string): boolean {
  switch (type) {
    case 'null':
      return value === null;
    case 'boolean':
      return typeof value === 'boolean';
    case 'number':
      return typeof value === 'number';
    case 'integer':
      return typeof value === 'number' && Number.isInteger(value);
    case 'string':
      return typeof value === 'string';
    case 'array':
      return Array.isArray(value);
    case 'object':
      return typeof value === 'object' && value !== null && !Array.isArray(value);
    default:
      return true;
  }
}

/** The first place where `value` has another JSON type than `schema` declares, or null. */
export function jsonTypeMismatch(value: unknown, schema: Schema | undefined, at = ''): string | null {
  if (!schema || typeof schema !== 'object') return null;
  if (schema.type !== undefined) {
    const types = typeof schema.type === 'string' ? [schema.type] : schema.type;
    if (!types.some((t) => fits(value, t))) {
      const expected = types.map((t) => TYPE_NAMES[t] ?? t).join('或');
      return `${at || '请求体'} 应为${expected}`;
    }
  }
  if (Array.isArray(value) && schema.items && !Array.isArray(schema.items)) {
    for (let i = 0; i < value.length; i++) {
      const found = jsonTypeMismatch(value[i], schema.items as Schema, `${at}[${i}]`);
      if (found) return found;
    }
  } else if (value && typeof value === 'object' && !Array.isArray(value) && schema.properties) {
    for (const [key, sub] of Object.entries(schema.properties)) {
      if (!(key in value)) continue;
      const found = jsonTypeMismatch((value as Record<string, unknown>)[key], sub, at ? `${at}.${key}` : key);
      if (found) return found;
    }
  }
  return null;
}

export function registerJsonBodyTypes(app: FastifyInstance): void {
  app.addHook('preValidation', async (req) => {
    const schema = req.routeOptions.schema?.body as Schema | undefined;
    if (
      !schema ||
      req.body === undefined ||
      !/^application\/(?:[\w.+-]*\+)?json\b/i.test(req.headers['content-type'] ?? '')
    )
      return;
    const mismatch = jsonTypeMismatch(req.body, schema);
    if (mismatch) throw new ValidationError(`请求参数不正确：${mismatch}`);
  });
}
