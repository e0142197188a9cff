import { ValidationError } from '../errors.ts';

/** POST requests, read and checked: what the specification's arguments mean to Gridline. */
export interface Open311Submission {
  serviceCode: string;
  lat: number | null;
  lng: number | null;
  addressString: string | null;
  description: string | null;
  mediaUrl: string | null;
  /** The reporter's contact as the other system sent it: personal data, stored, never returned. */
  contact: { email: string | null; firstName: string | null; lastName: string | null; phone: string | null };
  deviceId: string | null;
  accountId: string | null;
  /** attribute[CODE]=value; a multivaluelist sends the same key several times. */
  attributes: Record<string, string | string[]>;
}

/** The specification limits description to 4,000 characters. */
export const MAX_DESCRIPTION = 4000;
const MAX_FIELD = 200;
const MAX_ATTRIBUTES = 50;

function text(body: Record<string, unknown>, name: string, max = MAX_FIELD): string | null {
  const raw = body[name];
  const first = Array.isArray(raw) ? raw[0] : raw;
  if (first === undefined || first === null) return null;
  if (typeof first !== 'string' && typeof first !== 'number') throw new ValidationError(`${name} 格式不正确`);
  const value = String(first).trim();
  if (value.length > max) throw new ValidationError(`${name} 不能超过 ${max} 个字符`);
  return value || null;
}

function coordinate(body: Record<string, unknown>, name: string, limit: number): number | null {
  const raw = text(body, name, 40);
  if (raw === null) return null;
  const n = Number(raw);
  if (!Number.isFinite(n) || Math.abs(n) > limit) throw new ValidationError(`${name} 不是有效的 WGS-84 坐标：${raw}`);
  return n;
}

function attributesOf(body: Record<string, unknown>): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [key, raw] of Object.entries(body)) {
    // Form bodies keep "attribute[CODE]" as the key; a JSON body may send an object instead.
    const m = /^attribute\[([^\]]{1,64})\]$/.exec(key);
    if (!m) continue;
    const values = (Array.isArray(raw) ? raw : [raw]).map((v) => String(v).slice(0, MAX_FIELD));
    out[m[1]!] = values.length === 1 ? values[0]! : values;
  }
  const nested = body.attribute;
  if (nested && typeof nested === 'object' && !Array.isArray(nested)) {
    for (const [code, raw] of Object.entries(nested as Record<string, unknown>).slice(0, MAX_ATTRIBUTES)) {
      const values = (Array.isArray(raw) ? raw : [raw]).map((v) => String(v).slice(0, MAX_FIELD));
      out[code.slice(0, 64)] = values.length === 1 ? values[0]! : values;
    }
  }
  if (Object.keys(out).length > MAX_ATTRIBUTES) throw new ValidationError(`attribute 最多 ${MAX_ATTRIBUTES} 项`);
  return out;
}

export function parseSubmission(body: unknown): Open311Submission {
  if (!body || typeof body !== 'object') throw new ValidationError('请求内容为空：请以表单提交 service_code 等参数');
  const b = body as Record<string, unknown>;
  const serviceCode = text(b, 'service_code', 32);
  if (!serviceCode) throw new ValidationError('缺少 service_code');
  const lat = coordinate(b, 'lat', 90);
  const lng = coordinate(b, 'long', 180);
  if ((lat === null) !== (lng === null)) throw new ValidationError('lat 与 long 须同时提供');
  const addressString = text(b, 'address_string');
  // address_id would need the city's address register, which Gridline does not hold.
  if (lat === null && !addressString) throw new ValidationError('须提供位置：lat 和 long，或 address_string');
  const email = text(b, 'email');
  if (email && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email)) throw new ValidationError(`email 格式不正确：${email}`);
  const mediaUrl = text(b, 'media_url', 2000);
  if (mediaUrl && !/^https?:\/\/\S+$/i.test(mediaUrl)) throw new ValidationError('media_url 须为 http(s) 地址');
  return {
    serviceCode,
    lat,
    lng,
    addressString,
    description: text(b, 'description', MAX_DESCRIPTION),
    mediaUrl,
    contact: {
      email,
      firstName: text(b, 'first_name'),
      lastName: text(b, 'last_name'),
      phone: text(b, 'phone', 40),
    },
    deviceId: text(b, 'device_id'),
    accountId: text(b, 'account_id'),
    attributes: attributesOf(b),
  };
}

/**
 * The text the router reads: the chosen service's name first, so the other system's category
 * weighs in the routing (the router matches the power list's own words), then what was
 * described. Without a description the service name alone is the report.
 */
export function reportText(serviceName: string, description: string | null): string {
  return description ? `【${serviceName}】${description}` : `【${serviceName}】`;
}
