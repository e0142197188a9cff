// The WeCom server API calls Gridline makes (企业微信 服务端API), over fetch, with one cached
// access_token per process: fetched once, refreshed a few minutes before it expires and again when
// WeCom says it is invalid or expired, and never fetched twice at the same time.
import type { Logger } from '../../config/logger.ts';

/** An answer with a non-zero errcode (every WeCom answer carries errcode/errmsg). */
export class WecomApiError extends Error {
  constructor(
    readonly errcode: number,
    readonly errmsg: string,
    readonly path: string,
  ) {
    super(`WeCom ${path}: ${errcode} ${errmsg}`);
    this.name = 'WecomApiError';
  }
}

/** 40014 invalid access_token, 42001 access_token expired, 41001 access_token missing. */
export const TOKEN_ERRORS = new Set([40014, 42001, 41001]);

/** Refresh this long before the announced expiry: a request signed just before it must still pass. */
const EXPIRY_MARGIN_MS = 5 * 60_000;
const TIMEOUT_MS = 15_000;

export interface WecomApiOptions {
  apiRoot: string;
  corpId: string;
  secret: string;
  agentId: number;
  clock: () => Date;
  logger: Logger;
}

export interface SendResult {
  msgid?: string;
  /** Present for template cards with buttons: what update_template_card needs. */
  response_code?: string;
  invaliduser?: string;
}

export interface WecomMember {
  userid: string;
  name: string;
  department: number[];
  /** 1 active, 2 disabled, 4 not yet activated, 5 quit. */
  status: number;
}

export interface WecomApi {
  readonly agentId: number;
  /** POST message/send with `agentid` filled in. */
  sendMessage(body: Record<string, unknown>): Promise<SendResult>;
  /** media/upload (type image or voice): a media_id valid for three days. */
  uploadMedia(type: 'image' | 'voice' | 'file', bytes: Buffer, fileName: string, mime: string): Promise<string>;
  /** media/get: the file's bytes, refused once the body grows past `maxBytes`. */
  downloadMedia(mediaId: string, maxBytes: number): Promise<{ bytes: Buffer; mime: string | null }>;
  updateTemplateCard(body: Record<string, unknown>): Promise<void>;
  createMenu(menu: { button: unknown[] }): Promise<void>;
  listDepartments(): Promise<Array<{ id: number; name: string; parentid: number }>>;
  listMembers(departmentId: number): Promise<WecomMember[]>;
  tagMembers(tagId: number): Promise<{ userids: string[]; departmentIds: number[] }>;
  /** The token currently used (tests and the start-up check). */
  accessToken(): Promise<string>;
}

interface Envelope {
  errcode?: number;
  errmsg?: string;
}

export class MediaTooLargeError extends Error {
  constructor(readonly limit: number) {
    super(`media larger than ${limit} bytes`);
    this.name = 'MediaTooLargeError';
  }
}

export function createWecomApi(opts: WecomApiOptions): WecomApi {
  const root = opts.apiRoot.replace(/\/$/, '');
  const logger = opts.logger.child({ component: 'wecom-api' });
  let token: { value: string; refreshAt: number } | null = null;
  let inFlight: Promise<string> | null = null;

  async function fetchToken(): Promise<string> {
    const url = `${root}/cgi-bin/gettoken?corpid=${encodeURIComponent(opts.corpId)}&corpsecret=${encodeURIComponent(opts.secret)}`;
    const res = await fetch(url, { signal: AbortSignal.timeout(TIMEOUT_MS) });
    const body = (await res.json()) as Envelope & { access_token?: string; expires_in?: number };
    if (body.errcode || !body.access_token) throw new WecomApiError(body.errcode ?? -1, body.errmsg ?? '', 'gettoken');
    const lifetimeMs = (body.expires_in ?? 7200) * 1000;
    token = {
      value: body.access_token,
      refreshAt: opts.clock().getTime() + Math.max(lifetimeMs - EXPIRY_MARGIN_MS, lifetimeMs / 2),
    };
    logger.debug({ expiresIn: body.expires_in }, 'wecom access_token fetched');
    return token.value;
  }

  /** The cached token, or a fresh one; concurrent callers share one gettoken. */
  function accessToken(stale?: string): Promise<string> {
    if (token && token.value !== stale && opts.clock().getTime() < token.refreshAt) return Promise.resolve(token.value);
    if (!inFlight)
      inFlight = fetchToken().finally(() => {
        inFlight = null;
      });
    return inFlight;
  }

  /** One call with the token; an invalid or expired token is refreshed once and the call repeated. */
  async function call<T extends Envelope>(
    path: string,
    init: (t: string) => { url: string; init?: RequestInit },
  ): Promise<T> {
    let used = await accessToken();
    for (let attempt = 0; ; attempt++) {
      const req = init(used);
      const res = await fetch(req.url, { ...req.init, signal: AbortSignal.timeout(TIMEOUT_MS) });
      const body = (await res.json()) as T;
      if (!body.errcode) return body;
      if (TOKEN_ERRORS.has(body.errcode) && attempt === 0) {
        logger.info({ errcode: body.errcode, path }, 'wecom access_token refused; fetching a new one');
        used = await accessToken(used);
        continue;
      }
      throw new WecomApiError(body.errcode, body.errmsg ?? '', path);
    }
  }

  const q = (t: string, extra = '') => `access_token=${encodeURIComponent(t)}${extra}`;
  const postJson = (path: string, body: unknown) =>
    call<Envelope & Record<string, unknown>>(path, (t) => ({
      url: `${root}/cgi-bin/${path}?${q(t)}`,
      init: { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) },
    }));

  return {
    agentId: opts.agentId,
    accessToken: () => accessToken(),

    async sendMessage(body) {
      return (await postJson('message/send', { ...body, agentid: opts.agentId })) as SendResult;
    },

    async uploadMedia(type, bytes, fileName, mime) {
      const res = await call<Envelope & { media_id?: string }>('media/upload', (t) => {
        const form = new FormData();
        form.append('media', new Blob([new Uint8Array(bytes)], { type: mime }), fileName);
        return { url: `${root}/cgi-bin/media/upload?${q(t, `&type=${type}`)}`, init: { method: 'POST', body: form } };
      });
      if (!res.media_id) throw new WecomApiError(-1, 'no media_id', 'media/upload');
      return res.media_id;
    },

    async downloadMedia(mediaId, maxBytes) {
      let used = await accessToken();
      for (let attempt = 0; ; attempt++) {
        const res = await fetch(`${root}/cgi-bin/media/get?${q(used, `&media_id=${encodeURIComponent(mediaId)}`)}`, {
          signal: AbortSignal.timeout(60_000),
        });
        const type = res.headers.get('content-type');
        // Errors come back as JSON; the file itself with its own type.
        if (type?.includes('application/json') || type?.includes('text/plain')) {
          const body = (await res.json()) as Envelope;
          if (body.errcode && TOKEN_ERRORS.has(body.errcode) && attempt === 0) {
            used = await accessToken(used);
            continue;
          }
          throw new WecomApiError(body.errcode ?? -1, body.errmsg ?? 'not a file', 'media/get');
        }
        if (!res.ok || !res.body) throw new WecomApiError(-1, `HTTP ${res.status}`, 'media/get');
        const declared = Number(res.headers.get('content-length') ?? '0');
        if (declared > maxBytes) throw new MediaTooLargeError(maxBytes);
        const chunks: Buffer[] = [];
        let size = 0;
        for await (const chunk of res.body) {
          size += (chunk as Uint8Array).length;
          if (size > maxBytes) throw new MediaTooLargeError(maxBytes);
          chunks.push(Buffer.from(chunk as Uint8Array));
        }
        return { bytes: Buffer.concat(chunks), mime: type };
      }
    },

    async updateTemplateCard(body) {
      await postJson('message/update_template_card', { ...body, agentid: opts.agentId });
    },

    async createMenu(menu) {
      await call('menu/create', (t) => ({
        url: `${root}/cgi-bin/menu/create?${q(t, `&agentid=${opts.agentId}`)}`,
        init: { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(menu) },
      }));
    },

    async listDepartments() {
      const res = await call<Envelope & { department?: Array<{ id: number; name: string; parentid: number }> }>(
        'department/list',
        (t) => ({ url: `${root}/cgi-bin/department/list?${q(t)}` }),
      );
      return res.department ?? [];
    },

    async listMembers(departmentId) {
      const res = await call<Envelope & { userlist?: WecomMember[] }>('user/list', (t) => ({
        url: `${root}/cgi-bin/user/list?${q(t, `&department_id=${departmentId}`)}`,
      }));
      return res.userlist ?? [];
    },

    async tagMembers(tagId) {
      const res = await call<Envelope & { userlist?: Array<{ userid: string }>; partylist?: number[] }>(
        'tag/get',
        (t) => ({ url: `${root}/cgi-bin/tag/get?${q(t, `&tagid=${tagId}`)}` }),
      );
      return { userids: (res.userlist ?? []).map((u) => u.userid), departmentIds: res.partylist ?? [] };
    },
  };
}
