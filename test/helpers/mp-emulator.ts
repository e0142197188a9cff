// An emulator of the WeChat Official Account (公众号) platform's server side, written from the
// official documentation (接入指南, 消息加解密, 接收普通消息/事件推送, 被动回复用户消息, 客服消息,
// 订阅通知, 自定义菜单, 网页授权, 获取 access_token and its stable version, 临时素材), on loopback with fastify. It signs
// and (in safe mode) encrypts callbacks itself with node:crypto as the documentation describes,
// not with the library Gridline uses, so the two implementations check each other.
//
// Not reproduced: IP whitelists, the daily API call quotas, WeChat's own retry timing (retries are
// sent when asked), voice/video media formats, real template field formats beyond `thing` ≤ 20
// characters, and the client side (the follower's WeChat app).
import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import multipart from '@fastify/multipart';
import Fastify, { type FastifyInstance } from 'fastify';
import { XMLBuilder, XMLParser } from 'fast-xml-parser';

export type Delivered =
  | { via: 'passive'; msgtype: string; content?: string; mediaId?: string; at: number }
  | { via: 'custom'; msgtype: 'text' | 'image'; content?: string; mediaId?: string; at: number }
  | { via: 'subscribe'; templateId: string; page?: string; data: Record<string, { value: string }>; at: number };

export interface Follower {
  openid: string;
  subscribed: boolean;
  /** Everything that reached the follower, in order. */
  inbox: Delivered[];
  /** The customer-service window (客服消息 rules since 2023). */
  window: { kind: 'message' | 'event'; end: number; allowed: number; used: number } | null;
}

export interface CallbackResult {
  status: number;
  /** The raw response body. */
  body: string;
  /** The passive reply's fields, opened and checked; null for "success" or an empty answer. */
  reply: Record<string, string> | null;
}

export interface MpEmulator {
  url: string;
  appId: string;
  secret: string;
  token: string;
  aesKey: string | undefined;
  /** The account's original id (ToUserName of every callback). */
  originalId: string;
  follower(openid: string): Follower;
  /** A template the district chose in 订阅通知 (its field names). */
  addTemplate(templateId: string, fields: string[]): void;
  /** A file the follower sent (image or voice): stored as temporary media, returns the MediaId. */
  addMedia(bytes: Buffer, contentType?: string): string;
  /** Uploaded media (media/upload) by id. */
  media: Map<string, { bytes: Buffer; contentType: string }>;
  menus: unknown[];
  /** Every API call: path and errcode answered. */
  calls: Array<{ path: string; errcode: number }>;
  /** Makes every issued access_token expired (the next call with one answers 42001). */
  expireTokens(): void;
  /**
   * A follower's message or event as the platform posts it to Gridline: CreateTime, MsgId and
   * ToUserName filled in, the budget window opened as the rules say, signed, encrypted in safe
   * mode. `retries` posts the same delivery again that many times (WeChat retries after 5 s
   * without an answer), all answers returned; `forge` signs with a wrong token.
   */
  deliver(
    fields: Record<string, string | number>,
    opts?: { retries?: number; forge?: boolean; concurrent?: boolean },
  ): Promise<CallbackResult[]>;
  /** The URL check WeChat makes when the server address is saved. */
  verifyUrl(): Promise<{ status: number; body: string; echostr: string }>;
  /**
   * The follower opens a page in WeChat's browser: the authorize step (snsapi_base, silent)
   * redirects to redirect_uri with a code bound to this follower. Returns that redirect URL.
   */
  authorize(openid: string, authorizeUrl: string): Promise<string>;
  close(): Promise<void>;
}

const TOKEN_TTL_S = 7200;
const MEDIA_TTL_MS = 3 * 86_400_000;

export async function startMpEmulator(opts: {
  /** Gridline's callback URL (…/mp/callback). */
  callbackUrl: string;
  appId?: string;
  secret?: string;
  token?: string;
  /** Safe mode (安全模式) when set: 43 characters. */
  aesKey?: string;
  /** The platform's clock (share the test's fake clock). */
  clock: () => Date;
}): Promise<MpEmulator> {
  const appId = opts.appId ?? 'wx0123456789abcdef';
  const secret = opts.secret ?? 'emulated-app-secret';
  const token = opts.token ?? 'emulated-callback-token';
  const originalId = 'gh_0123456789ab';
  const now = () => opts.clock().getTime();
  const tokens = new Map<string, number>();
  const followers = new Map<string, Follower>();
  const templates = new Map<string, Set<string>>();
  const media = new Map<string, { bytes: Buffer; contentType: string; until: number }>();
  const uploads = new Map<string, { bytes: Buffer; contentType: string }>();
  const codes = new Map<string, { openid: string; until: number; used: boolean }>();
  const menus: unknown[] = [];
  const calls: MpEmulator['calls'] = [];
  let msgSeq = 7_300_000_000_000_000_000n;

  const follower = (openid: string): Follower => {
    let f = followers.get(openid);
    if (!f) followers.set(openid, (f = { openid, subscribed: true, inbox: [], window: null }));
    return f;
  };

  const app: FastifyInstance = Fastify({ logger: false });
  await app.register(multipart, { limits: { fileSize: 10 * 1024 * 1024 } });

  const err = (path: string, errcode: number, errmsg: string) => {
    calls.push({ path, errcode });
    return { errcode, errmsg };
  };
  const ok = (path: string, extra: Record<string, unknown> = {}) => {
    calls.push({ path, errcode: 0 });
    return { errcode: 0, errmsg: 'ok', ...extra };
  };
  /** access_token checks as the documentation lists them: 41001 missing, 40001 invalid, 42001 expired. */
  const tokenError = (path: string, q: { access_token?: string }) => {
    if (!q.access_token) return err(path, 41001, 'access_token missing');
    const until = tokens.get(q.access_token);
    if (until === undefined) return err(path, 40001, 'invalid credential, access_token is invalid or not latest');
    if (until <= now()) return err(path, 42001, 'access_token expired');
    return null;
  };

  // getAccessToken: every call issues a new token, and the one issued before stays valid for five
  // more minutes only (获取 access_token: during a refresh the platform keeps old and new usable for five minutes).
  let plainLatest: string | null = null;
  app.get<{ Querystring: Record<string, string> }>('/cgi-bin/token', async (req) => {
    const q = req.query;
    if (q.grant_type !== 'client_credential') return err('/cgi-bin/token', 40002, 'invalid grant_type');
    if (q.appid !== appId || q.secret !== secret) return err('/cgi-bin/token', 40125, 'invalid appsecret');
    const t = randomBytes(24).toString('hex');
    if (plainLatest) tokens.set(plainLatest, Math.min(tokens.get(plainLatest) ?? 0, now() + 5 * 60_000));
    plainLatest = t;
    tokens.set(t, now() + TOKEN_TTL_S * 1000);
    calls.push({ path: '/cgi-bin/token', errcode: 0 });
    return { access_token: t, expires_in: TOKEN_TTL_S };
  });

  // getStableAccessToken (POST JSON): the same token while more than five minutes of it remain,
  // a new one in its last five minutes (the old one still runs out on its own), and with
  // force_refresh a new one that ends the old at once. Separate from getAccessToken's tokens.
  let stable: string | null = null;
  app.post<{ Body: Record<string, unknown> }>('/cgi-bin/stable_token', async (req) => {
    const path = '/cgi-bin/stable_token';
    const b = req.body ?? {};
    if (b.grant_type !== 'client_credential') return err(path, 40002, 'invalid grant_type');
    if (b.appid !== appId || b.secret !== secret) return err(path, 40125, 'invalid appsecret');
    const left = stable ? (tokens.get(stable) ?? 0) - now() : 0;
    if (b.force_refresh === true || left <= 5 * 60_000) {
      if (stable && b.force_refresh === true) tokens.set(stable, 0);
      stable = randomBytes(24).toString('hex');
      tokens.set(stable, now() + TOKEN_TTL_S * 1000);
    }
    calls.push({ path, errcode: 0 });
    return { access_token: stable, expires_in: Math.floor(((tokens.get(stable!) ?? 0) - now()) / 1000) };
  });

  app.post<{ Querystring: Record<string, string>; Body: Record<string, unknown> }>(
    '/cgi-bin/message/custom/send',
    async (req) => {
      const path = '/cgi-bin/message/custom/send';
      const bad = tokenError(path, req.query);
      if (bad) return bad;
      const b = req.body;
      const f = followers.get(String(b.touser));
      if (!f) return err(path, 40003, 'invalid openid');
      if (!f.subscribed) return err(path, 43004, 'require subscribe');
      const w = f.window;
      if (!w || w.end <= now()) return err(path, 45015, 'response out of time limit or subscription is canceled');
      if (w.used >= w.allowed) return err(path, 45047, 'out of response count limit');
      if (b.msgtype === 'text') {
        const content = (b.text as { content?: unknown } | undefined)?.content;
        if (typeof content !== 'string' || !content) return err(path, 44003, 'empty content');
        w.used += 1;
        f.inbox.push({ via: 'custom', msgtype: 'text', content, at: now() });
        return ok(path);
      }
      if (b.msgtype === 'image') {
        const mediaId = String((b.image as { media_id?: unknown } | undefined)?.media_id ?? '');
        if (!uploads.has(mediaId)) return err(path, 40007, 'invalid media_id');
        w.used += 1;
        f.inbox.push({ via: 'custom', msgtype: 'image', mediaId, at: now() });
        return ok(path);
      }
      return err(path, 40008, 'invalid message type');
    },
  );

  app.post<{ Querystring: Record<string, string>; Body: Record<string, unknown> }>(
    '/cgi-bin/message/subscribe/bizsend',
    async (req) => {
      const path = '/cgi-bin/message/subscribe/bizsend';
      const bad = tokenError(path, req.query);
      if (bad) return bad;
      const b = req.body;
      const f = followers.get(String(b.touser));
      if (!f) return err(path, 40003, 'invalid openid');
      const fields = templates.get(String(b.template_id));
      if (!fields) return err(path, 40037, 'invalid template_id');
      const data = (b.data ?? {}) as Record<string, { value?: unknown }>;
      for (const [k, v] of Object.entries(data)) {
        if (!fields.has(k)) return err(path, 47003, `argument invalid! data.${k} not in template`);
        const value = v?.value;
        if (typeof value !== 'string') return err(path, 47003, `argument invalid! data.${k}.value`);
        if (k.startsWith('thing') && [...value].length > 20)
          return err(path, 47003, `argument invalid! data.${k}.value too long`);
      }
      f.inbox.push({
        via: 'subscribe',
        templateId: String(b.template_id),
        ...(typeof b.page === 'string' ? { page: b.page } : {}),
        data: data as Record<string, { value: string }>,
        at: now(),
      });
      return ok(path, { msgid: Number(++msgSeq % 1_000_000n) });
    },
  );

  app.get<{ Querystring: Record<string, string> }>('/cgi-bin/media/get', async (req, reply) => {
    const path = '/cgi-bin/media/get';
    const bad = tokenError(path, req.query);
    if (bad) return bad;
    const m = media.get(req.query.media_id ?? '');
    if (!m || m.until <= now()) return err(path, 40007, 'invalid media_id');
    calls.push({ path, errcode: 0 });
    return reply.type(m.contentType).header('content-disposition', 'attachment; filename="media.jpg"').send(m.bytes);
  });

  app.post<{ Querystring: Record<string, string> }>('/cgi-bin/media/upload', async (req) => {
    const path = '/cgi-bin/media/upload';
    const bad = tokenError(path, req.query);
    if (bad) return bad;
    if (req.query.type !== 'image') return err(path, 40004, 'invalid media type');
    const file = await req.file();
    if (!file || file.fieldname !== 'media') return err(path, 41005, 'media data missing');
    const bytes = await file.toBuffer();
    const id = `up_${randomBytes(12).toString('hex')}`;
    uploads.set(id, { bytes, contentType: file.mimetype });
    return ok(path, { type: 'image', media_id: id, created_at: Math.floor(now() / 1000) });
  });

  app.post<{ Querystring: Record<string, string>; Body: { button?: unknown[] } }>(
    '/cgi-bin/menu/create',
    async (req) => {
      const path = '/cgi-bin/menu/create';
      const bad = tokenError(path, req.query);
      if (bad) return bad;
      const buttons = req.body?.button;
      if (!Array.isArray(buttons) || buttons.length === 0 || buttons.length > 3)
        return err(path, 40017, 'invalid button size');
      for (const b of buttons as Array<Record<string, unknown>>) {
        if (typeof b.name !== 'string' || Buffer.byteLength(b.name) > 60)
          return err(path, 40018, 'invalid button name size');
        if (b.type === 'click' && (typeof b.key !== 'string' || !b.key))
          return err(path, 40019, 'invalid button key size');
        if (b.type === 'view' && (typeof b.url !== 'string' || !/^https?:\/\//.test(b.url)))
          return err(path, 40055, 'invalid button url domain');
      }
      menus.push(req.body);
      return ok(path);
    },
  );

  // 网页授权: the authorize page. In the follower's WeChat browser snsapi_base is silent: straight
  // back to redirect_uri with a code. The emulator learns who the follower is from a header the
  // test's "WeChat browser" sets (authorize() below).
  app.get<{ Querystring: Record<string, string> }>('/connect/oauth2/authorize', async (req, reply) => {
    const q = req.query;
    const openid = req.headers['x-emulated-openid'];
    if (q.appid !== appId) return reply.code(400).send('appid 参数错误');
    if (q.response_type !== 'code' || !['snsapi_base', 'snsapi_userinfo'].includes(q.scope ?? ''))
      return reply.code(400).send('scope 参数错误');
    if (typeof openid !== 'string') return reply.code(400).send('请在微信客户端打开链接');
    const code = randomBytes(16).toString('hex');
    codes.set(code, { openid, until: now() + 5 * 60_000, used: false });
    const target = new URL(q.redirect_uri ?? '');
    target.searchParams.set('code', code);
    target.searchParams.set('state', q.state ?? '');
    return reply.redirect(target.toString(), 302);
  });

  app.get<{ Querystring: Record<string, string> }>('/sns/oauth2/access_token', async (req) => {
    const path = '/sns/oauth2/access_token';
    const q = req.query;
    if (q.appid !== appId || q.secret !== secret) return err(path, 40125, 'invalid appsecret');
    if (q.grant_type !== 'authorization_code') return err(path, 40002, 'invalid grant_type');
    const c = codes.get(q.code ?? '');
    if (!c || c.until <= now()) return err(path, 40029, 'invalid code');
    if (c.used) return err(path, 40163, 'code been used');
    c.used = true;
    calls.push({ path, errcode: 0 });
    return {
      access_token: randomBytes(16).toString('hex'),
      expires_in: 7200,
      refresh_token: randomBytes(16).toString('hex'),
      openid: c.openid,
      scope: 'snsapi_base',
    };
  });

  await app.listen({ port: 0, host: '127.0.0.1' });
  const url = `http://127.0.0.1:${(app.server.address() as { port: number }).port}`;

  // --- the callback envelope, from 消息加解密接入指引 -------------------------------------------
  const sha1 = (...parts: string[]) => createHash('sha1').update(parts.sort().join('')).digest('hex');
  const aes = opts.aesKey ? Buffer.from(`${opts.aesKey}=`, 'base64') : null;
  function encrypt(xml: string): string {
    const msg = Buffer.from(xml);
    const len = Buffer.alloc(4);
    len.writeUInt32BE(msg.length);
    const plain = Buffer.concat([randomBytes(16), len, msg, Buffer.from(appId)]);
    const pad = 32 - (plain.length % 32);
    const padded = Buffer.concat([plain, Buffer.alloc(pad, pad)]);
    const cipher = createCipheriv('aes-256-cbc', aes!, aes!.subarray(0, 16));
    cipher.setAutoPadding(false);
    return Buffer.concat([cipher.update(padded), cipher.final()]).toString('base64');
  }
  function decrypt(b64: string): { xml: string; appId: string } {
    const decipher = createDecipheriv('aes-256-cbc', aes!, aes!.subarray(0, 16));
    decipher.setAutoPadding(false);
    const plain = Buffer.concat([decipher.update(Buffer.from(b64, 'base64')), decipher.final()]);
    const unpadded = plain.subarray(0, plain.length - plain[plain.length - 1]!);
    const n = unpadded.readUInt32BE(16);
    return { xml: unpadded.subarray(20, 20 + n).toString(), appId: unpadded.subarray(20 + n).toString() };
  }
  const builder = new XMLBuilder({ cdataPropName: '__cdata', format: false });
  const parser = new XMLParser({ parseTagValue: false, ignoreAttributes: true });
  const toXml = (fields: Record<string, string | number>) =>
    builder.build({
      xml: Object.fromEntries(Object.entries(fields).map(([k, v]) => [k, typeof v === 'number' ? v : { __cdata: v }])),
    }) as string;
  const fromXml = (xml: string) => (parser.parse(xml) as { xml: Record<string, string> }).xml;

  /** The budget rules (客服消息, 2023): a message opens 5 for 48 h, a click or subscription 3 for one minute. */
  function interact(f: Follower, fields: Record<string, string | number>): void {
    const type = String(fields.MsgType);
    const event = String(fields.Event ?? '').toLowerCase();
    if (type === 'event' && event === 'unsubscribe') {
      f.subscribed = false;
      return;
    }
    if (type === 'event' && event === 'subscribe') f.subscribed = true;
    const kind = type !== 'event' ? 'message' : event === 'subscribe' || event === 'click' ? 'event' : null;
    if (!kind) return;
    const fresh: NonNullable<Follower['window']> =
      kind === 'message'
        ? { kind, end: now() + 48 * 3_600_000, allowed: 5, used: 0 }
        : { kind, end: now() + 60_000, allowed: 3, used: 0 };
    const cur = f.window;
    if (kind === 'event' && cur && cur.end >= fresh.end && cur.allowed - cur.used >= fresh.allowed) return;
    f.window = fresh;
  }

  async function post(body: string, query: URLSearchParams): Promise<CallbackResult> {
    const res = await fetch(`${opts.callbackUrl}?${query}`, {
      method: 'POST',
      headers: { 'content-type': 'text/xml' },
      body,
    });
    const text = await res.text();
    let reply: Record<string, string> | null = null;
    if (res.status === 200 && text && text !== 'success') {
      const outer = fromXml(text);
      if (aes) {
        const sig = sha1(token, String(outer.TimeStamp), String(outer.Nonce), String(outer.Encrypt));
        if (sig !== outer.MsgSignature) throw new Error('passive reply signature does not verify');
        const opened = decrypt(String(outer.Encrypt));
        if (opened.appId !== appId) throw new Error('passive reply encrypted for another appid');
        reply = fromXml(opened.xml);
      } else reply = outer;
    }
    return { status: res.status, body: text, reply };
  }

  return {
    url,
    appId,
    secret,
    token,
    aesKey: opts.aesKey,
    originalId,
    follower,
    addTemplate(id, fields) {
      templates.set(id, new Set(fields));
    },
    addMedia(bytes, contentType = 'image/jpeg') {
      const id = `m_${randomBytes(12).toString('hex')}`;
      media.set(id, { bytes, contentType, until: now() + MEDIA_TTL_MS });
      return id;
    },
    media: uploads,
    menus,
    calls,
    expireTokens() {
      for (const k of tokens.keys()) tokens.set(k, 0);
    },
    async deliver(given, o = {}) {
      const openid = String(given.FromUserName);
      const f = follower(openid);
      const fields: Record<string, string | number> = {
        ToUserName: originalId,
        CreateTime: Math.floor(now() / 1000),
        ...given,
      };
      if (fields.MsgType !== 'event' && fields.MsgId === undefined) fields.MsgId = String(++msgSeq);
      interact(f, fields);
      const inner = toXml(fields);
      const timestamp = String(Math.floor(now() / 1000));
      const nonce = randomBytes(6).toString('hex');
      const signToken = o.forge ? `${token}-forged` : token;
      const query = new URLSearchParams({ signature: sha1(signToken, timestamp, nonce), timestamp, nonce, openid });
      let body = inner;
      if (aes) {
        const ciphertext = encrypt(inner);
        body = toXml({ ToUserName: originalId, Encrypt: ciphertext });
        query.set('encrypt_type', 'aes');
        query.set('msg_signature', sha1(signToken, timestamp, nonce, ciphertext));
      }
      const times = 1 + (o.retries ?? 0);
      const results = o.concurrent
        ? await Promise.all(Array.from({ length: times }, () => post(body, query)))
        : await (async () => {
            const out: CallbackResult[] = [];
            for (let i = 0; i < times; i++) out.push(await post(body, query));
            return out;
          })();
      for (const r of results) {
        if (r.reply) {
          f.inbox.push({
            via: 'passive',
            msgtype: r.reply.MsgType ?? '',
            ...(r.reply.Content !== undefined ? { content: r.reply.Content } : {}),
            at: now(),
          });
          break; // WeChat shows the first answer it got; later deliveries' answers are discarded
        }
      }
      return results;
    },
    async verifyUrl() {
      const timestamp = String(Math.floor(now() / 1000));
      const nonce = randomBytes(6).toString('hex');
      const echostr = String(BigInt(`0x${randomBytes(8).toString('hex')}`));
      const q = new URLSearchParams({ signature: sha1(token, timestamp, nonce), timestamp, nonce, echostr });
      const res = await fetch(`${opts.callbackUrl}?${q}`);
      return { status: res.status, body: await res.text(), echostr };
    },
    async authorize(openid, authorizeUrl) {
      const res = await fetch(authorizeUrl.replace(/#wechat_redirect$/, ''), {
        headers: { 'x-emulated-openid': openid },
        redirect: 'manual',
      });
      const location = res.headers.get('location');
      if (res.status !== 302 || !location) throw new Error(`authorize answered ${res.status}: ${await res.text()}`);
      return location;
    },
    async close() {
      await app.close();
    },
  };
}
