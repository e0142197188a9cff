// The 公众号 server API as Gridline calls it: a cached stable access_token (refreshed five minutes
// before it expires and after an invalid-token answer, one refresh at a time), customer-service and
// subscription sends, temporary media, the menu, and 网页授权's code exchange.
import type { Logger } from '../../config/logger.ts';
import { checkSize } from '../../core/evidence/photo-fns.ts';
import { MP_ERR, MpApiError } from './mp-errors.ts';

export interface MpApiOptions {
  /** WECHAT_MP_API_ROOT, e.g. https://api.weixin.qq.com (no trailing slash needed). */
  root: string;
  appId: string;
  secret: string;
  clock: () => Date;
  logger: Logger;
  timeoutMs?: number;
}

/** A customer-service message body (message/custom/send) without `touser`. */
export type CustomMessage =
  { msgtype: 'text'; text: { content: string } } | { msgtype: 'image'; image: { media_id: string } };

export interface BizsendInput {
  touser: string;
  template_id: string;
  page?: string;
  data: Record<string, { value: string }>;
}

export interface MpApi {
  customSend(openid: string, message: CustomMessage): Promise<void>;
  bizsend(input: BizsendInput): Promise<void>;
  mediaGet(mediaId: string, maxBytes: number): Promise<Buffer>;
  uploadImage(bytes: Buffer, fileName: string): Promise<string>;
  menuCreate(menu: unknown): Promise<void>;
  /** 网页授权: the code from the redirect → the follower's openid. */
  oauthOpenid(code: string): Promise<string>;
}

/** Refresh this long before the token's stated expiry. */
const REFRESH_MARGIN_MS = 5 * 60_000;

type Json = Record<string, unknown>;

export function createMpApi(opts: MpApiOptions): MpApi {
  const root = opts.root.replace(/\/$/, '');
  const timeoutMs = opts.timeoutMs ?? 15_000;
  let cached: { token: string; refreshAt: number } | null = null;
  let refreshing: Promise<string> | null = null;

  async function fetchToken(): Promise<string> {
    // The stable token (getStableAccessToken, normal mode): every process asking gets the same token
    // while it is valid, where cgi-bin/token would issue a new one that ends the others' five minutes
    // later. Never force_refresh: that ends the token for every process (and is allowed 20 times a day).
    const body = await readJson(
      await fetch(`${root}/cgi-bin/stable_token`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ grant_type: 'client_credential', appid: opts.appId, secret: opts.secret }),
        signal: AbortSignal.timeout(timeoutMs),
      }),
    );
    const token = body.access_token;
    if (typeof token !== 'string')
      throw new MpApiError(Number(body.errcode ?? -1), String(body.errmsg ?? 'no access_token'));
    const expiresIn = Number(body.expires_in ?? 7200) * 1000;
    cached = { token, refreshAt: opts.clock().getTime() + Math.max(0, expiresIn - REFRESH_MARGIN_MS) };
    return token;
  }

  function token(): Promise<string> {
    if (cached && opts.clock().getTime() < cached.refreshAt) return Promise.resolve(cached.token);
    // One refresh at a time: every waiting call uses the same new token.
    refreshing ??= fetchToken().finally(() => {
      refreshing = null;
    });
    return refreshing;
  }

  async function call(
    path: string,
    init: { json?: unknown; form?: FormData } = {},
    raw = false,
  ): Promise<Response | Json> {
    for (let attempt = 0; ; attempt++) {
      const t = await token();
      const sep = path.includes('?') ? '&' : '?';
      const res = await fetch(`${root}${path}${sep}access_token=${encodeURIComponent(t)}`, {
        method: init.json !== undefined || init.form ? 'POST' : 'GET',
        signal: AbortSignal.timeout(timeoutMs),
        ...(init.json !== undefined
          ? { headers: { 'content-type': 'application/json' }, body: JSON.stringify(init.json) }
          : init.form
            ? { body: init.form }
            : {}),
      });
      const type = res.headers.get('content-type') ?? '';
      if (raw && !type.includes('json') && !type.startsWith('text/plain')) return res;
      const body = await readJson(res);
      const code = Number(body.errcode ?? 0);
      if (code === 0) return body;
      if ((MP_ERR.tokenInvalid as readonly number[]).includes(code) && attempt === 0) {
        opts.logger.warn({ errcode: code }, 'wechat mp access_token refused; fetching a new one');
        if (cached?.token === t) cached = null;
        continue;
      }
      throw new MpApiError(code, String(body.errmsg ?? ''));
    }
  }

  return {
    async customSend(openid, message) {
      await call('/cgi-bin/message/custom/send', { json: { touser: openid, ...message } });
    },
    async bizsend(input) {
      await call('/cgi-bin/message/subscribe/bizsend', { json: input });
    },
    async mediaGet(mediaId, maxBytes) {
      const res = await call(`/cgi-bin/media/get?media_id=${encodeURIComponent(mediaId)}`, {}, true);
      if (!(res instanceof Response)) throw new MpApiError(-1, 'media/get answered JSON without an error');
      return readLimited(res, maxBytes);
    },
    async uploadImage(bytes, fileName) {
      const form = new FormData();
      form.append('media', new Blob([new Uint8Array(bytes)], { type: 'image/jpeg' }), fileName);
      const body = (await call('/cgi-bin/media/upload?type=image', { form })) as Json;
      if (typeof body.media_id !== 'string') throw new MpApiError(-1, 'media/upload without media_id');
      return body.media_id;
    },
    async menuCreate(menu) {
      await call('/cgi-bin/menu/create', { json: menu });
    },
    async oauthOpenid(code) {
      const url = `${root}/sns/oauth2/access_token?appid=${encodeURIComponent(opts.appId)}&secret=${encodeURIComponent(opts.secret)}&code=${encodeURIComponent(code)}&grant_type=authorization_code`;
      const body = await readJson(await fetch(url, { signal: AbortSignal.timeout(timeoutMs) }));
      if (typeof body.openid !== 'string')
        throw new MpApiError(Number(body.errcode ?? -1), String(body.errmsg ?? 'no openid'));
      return body.openid;
    },
  };
}

async function readJson(res: Response): Promise<Json> {
  const text = await res.text();
  if (!res.ok) throw new Error(`WeChat MP API HTTP ${res.status}`);
  try {
    return JSON.parse(text) as Json;
  } catch {
    throw new Error(`WeChat MP API answered non-JSON (HTTP ${res.status})`);
  }
}

/** Stops reading as soon as the body passes the limit (a photo bigger than PHOTO_MAX_BYTES). */
async function readLimited(res: Response, maxBytes: number): Promise<Buffer> {
  if (!res.body) throw new Error('media download without a body');
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of res.body) {
    size += (chunk as Uint8Array).length;
    checkSize(size, maxBytes); // the evidence store's own refusal, worded as on every channel
    chunks.push(Buffer.from(chunk as Uint8Array));
  }
  return Buffer.concat(chunks);
}
