import { ValidationError } from '../../core/errors.ts';
import { parseW3cDate } from '../../core/open311/open311-date-fns.ts';
import { parseStatusFilter } from '../../core/open311/open311-status-fns.ts';
import type { Open311Filter } from '../../db/open311-store.ts';

/** GET requests' arguments, as the specification names them (lists are comma-delimited). */
export interface RequestsQuery {
  jurisdiction_id?: string;
  service_request_id?: string;
  service_code?: string;
  start_date?: string;
  end_date?: string;
  status?: string;
}

export const requestsQuerySchema = {
  type: 'object',
  properties: {
    jurisdiction_id: { type: 'string', maxLength: 100 },
    service_request_id: { type: 'string', maxLength: 8000, description: '逗号分隔的案件编号；给出时忽略其他条件' },
    service_code: { type: 'string', maxLength: 2000, description: '逗号分隔的权力清单事项编码' },
    start_date: { type: 'string', maxLength: 40, description: '提交时间起（W3C 格式）' },
    end_date: { type: 'string', maxLength: 40, description: '提交时间止（W3C 格式）' },
    status: { type: 'string', maxLength: 40, description: 'open、closed 或 open,closed' },
  },
} as const;

/** "Default query limit is a span of 90 days or first 1000 requests returned, whichever is smallest." */
export const MAX_REQUESTS = 1000;
export const DEFAULT_SPAN_MS = 90 * 86_400_000;

/** Ids or codes one query may name: each is a query parameter, and SQLite limits their number. */
export const MAX_LISTED = 200;

function list(raw: string | undefined, field: string): string[] | undefined {
  const values = raw
    ?.split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  if (values && values.length > MAX_LISTED) throw new ValidationError(`${field} 一次最多 ${MAX_LISTED} 个`);
  return values;
}

export function requestsFilter(q: RequestsQuery, now: Date): Open311Filter {
  const numbers = list(q.service_request_id, 'service_request_id');
  // The specification: with service_request_id given, the other arguments are ignored.
  if (numbers?.length) return { numbers, limit: MAX_REQUESTS };
  const start = q.start_date ? parseW3cDate(q.start_date, 'start_date') : undefined;
  const end = q.end_date ? parseW3cDate(q.end_date, 'end_date') : undefined;
  if (start && end && start.getTime() > end.getTime()) throw new ValidationError('start_date 不能晚于 end_date');
  // Without both bounds the span is the default 90 days, next to the bound that was given.
  const from = start ?? new Date((end ?? now).getTime() - DEFAULT_SPAN_MS);
  const to = end ?? (start ? new Date(start.getTime() + DEFAULT_SPAN_MS) : undefined);
  const codes = list(q.service_code, 'service_code');
  return {
    ...(codes?.length ? { serviceCodes: codes } : {}),
    ...(q.status ? { statuses: parseStatusFilter(q.status) } : {}),
    from,
    to,
    limit: MAX_REQUESTS,
  };
}

/** servicerequestupdates (mySociety's extension): a window of update times, 90 days by default. */
export interface UpdatesQuery {
  jurisdiction_id?: string;
  start_date?: string;
  end_date?: string;
}

export const updatesQuerySchema = {
  type: 'object',
  properties: {
    jurisdiction_id: { type: 'string', maxLength: 100 },
    start_date: { type: 'string', maxLength: 40, description: '更新时间起（W3C 格式）' },
    end_date: { type: 'string', maxLength: 40, description: '更新时间止（W3C 格式）' },
  },
} as const;

export function updatesFilter(q: UpdatesQuery, now: Date): { from: Date; to?: Date | undefined; limit: number } {
  const start = q.start_date ? parseW3cDate(q.start_date, 'start_date') : undefined;
  const end = q.end_date ? parseW3cDate(q.end_date, 'end_date') : undefined;
  if (start && end && start.getTime() > end.getTime()) throw new ValidationError('start_date 不能晚于 end_date');
  return { from: start ?? new Date((end ?? now).getTime() - DEFAULT_SPAN_MS), to: end, limit: MAX_REQUESTS };
}

/**
 * POST requests' arguments, for the documentation and a first type check; the rules (location,
 * lengths, e-mail) are core/open311/open311-submit-fns.ts's, so the messages are all Chinese.
 * Open: attribute[CODE] fields have names of the service's choosing.
 */
const text = { type: 'string' } as const;
// Forms send coordinates as text and JSON bodies as numbers; both are read by the core's rules
// (a JSON body is type-checked before coercion: server/plugins/json-body-types.ts).
const coordinate = { type: ['string', 'number'] } as const;
export const postBodySchema = {
  type: 'object',
  properties: {
    api_key: text,
    jurisdiction_id: text,
    service_code: text,
    lat: coordinate,
    long: coordinate,
    address_string: text,
    address_id: text,
    email: text,
    device_id: text,
    account_id: text,
    first_name: text,
    last_name: text,
    phone: text,
    description: text,
    media_url: text,
  },
} as const;

/** Path parameters `{name}.{format}`: a case number, service code or token and the format. */
export const fileParamsSchema = {
  type: 'object',
  properties: { file: { type: 'string', maxLength: 200 } },
  required: ['file'],
} as const;
