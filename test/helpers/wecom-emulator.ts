// WeCom's server side on loopback, written from the public documentation (企业微信开发者中心:
// 获取access_token, 发送应用消息, 模板卡片消息, 更新模版卡片消息, 上传/获取临时素材, 自定义菜单,
// 通讯录 读取成员/部门/标签, 接收消息与事件, 加解密方案). It implements only the calls Gridline
// makes, checks their tokens and shapes, records what was sent, and delivers callbacks signed and
// encrypted the way WeCom does (and retries them, as WeCom does when no answer comes in 5 s).
import { randomBytes } from 'node:crypto';
import multipart from '@fastify/multipart';
import { encrypt, getSignature } from '@wecom/crypto';
import Fastify, { type FastifyInstance, type FastifyReply } from 'fastify';
import { buildCallbackXml } from '../../bot/tencent/callback-xml.ts';

export interface WecomSent {
  touser: string;
  msgtype: string;
  body: Record<string, unknown>;
  /** For template cards: the code update_template_card needs. */
  responseCode?: string;
  at: number;
}

export interface WecomCard {
  taskId: string;
  touser: string;
  card: {
    main_title?: { title?: string; desc?: string };
    horizontal_content_list?: Array<{ keyname: string; value?: string; type?: number; url?: string }>;
    button_list?: Array<{ text: string; key: string; style?: number }>;
    jump_list?: Array<{ type?: number; title: string; url?: string }>;
    card_action?: { type: number; url?: string };
  };
  responseCode: string;
  /** What update_template_card put in place of the buttons. */
  replacedBy?: string;
  updates: number;
}

export interface WecomMemberRecord {
  userid: string;
  name: string;
  department: number[];
  status: number;
}

export interface DeliverResult {
  status: number;
  body: string;
}

export interface WecomEmulator {
  apiRoot: string;
  corpId: string;
  secret: string;
  agentId: number;
  token: string;
  aesKey: string;
  /** Messages accepted by message/send, in order. */
  sent: WecomSent[];
  cards: Map<string, WecomCard>;
  /** Every API call: path, the errcode answered, the token used. */
  calls: Array<{ path: string; errcode: number; token?: string }>;
  /** How many tokens gettoken issued. */
  tokensIssued: number;
  menus: Map<number, unknown>;
  media: Map<string, { bytes: Buffer; mime: string; name: string }>;
  departments: Array<{ id: number; name: string; parentid: number }>;
  members: WecomMemberRecord[];
  tags: Map<number, { tagname: string; userids: string[]; partylist: number[] }>;
  /** Every issued token expires now: the next call with one answers 42001. */
  expireTokens(): void;
  /** A file a member sends (image, voice): its MediaId for a callback. */
  addMedia(bytes: Buffer, mime: string, name?: string): string;
  /** media/get answers only after the returned function is called (a slow download). */
  holdMedia(): () => void;
  /** Where callbacks go (Gridline's /wecom/callback). */
  setCallbackUrl(url: string): void;
  /**
   * Signs and encrypts a message as WeCom does and posts it; `retries` more deliveries of the same
   * ciphertext follow (WeCom retries three times when it gets no answer in time).
   */
  deliver(
    fields: Record<string, string | number>,
    opts?: { retries?: number; forge?: boolean },
  ): Promise<DeliverResult[]>;
  /** The URL check WeCom makes when the callback URL is saved. */
  verifyUrl(): Promise<DeliverResult>;
  /** What one member received, in order. */
  inbox(userid: string): WecomSent[];
  /** Waits until `userid` has received a message matching `pred`, and returns it. */
  waitFor(userid: string, pred: (m: WecomSent) => boolean, timeoutMs?: number): Promise<WecomSent>;
  close(): Promise<void>;
}

const TOKEN_LIFETIME_S = 7200;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Every text a message shows, for tests that look for words. */
export function textOf(m: WecomSent): string {
  const b = m.body as Record<string, Record<string, unknown> | undefined>;
  if (m.msgtype === 'text') return String(b.text?.content ?? '');
  if (m.msgtype === 'template_card') return JSON.stringify(b.template_card);
  return '';
}

export async function startWecomEmulator(opts: { corpId?: string; agentId?: number } = {}): Promise<WecomEmulator> {
  const corpId = opts.corpId ?? 'ww-emulated-corp';
  const agentId = opts.agentId ?? 1000002;
  const secret = randomBytes(16).toString('hex');
  const token = 'gridlineToken';
  // 43 characters of [A-Za-z0-9], as the admin console generates them.
  const aesKey = randomBytes(32)
    .toString('base64')
    .replace(/[^A-Za-z0-9]/g, 'x')
    .slice(0, 43);
  const tokens = new Map<string, { expired: boolean; expiresAt: number }>();
  const state = {
    sent: [] as WecomSent[],
    cards: new Map<string, WecomCard>(),
    calls: [] as WecomEmulator['calls'],
    tokensIssued: 0,
    menus: new Map<number, unknown>(),
    media: new Map<string, { bytes: Buffer; mime: string; name: string }>(),
    departments: [] as WecomEmulator['departments'],
    members: [] as WecomMemberRecord[],
    tags: new Map<number, { tagname: string; userids: string[]; partylist: number[] }>(),
  };
  const codes = new Map<string, { taskId: string; used: boolean }>();
  let callbackUrl = '';
  let mediaGate: Promise<void> = Promise.resolve();
  let seq = 0;

  const app: FastifyInstance = Fastify({ logger: false });
  await app.register(multipart, { limits: { fileSize: 20 * 1024 * 1024 } });

  const answer = (reply: FastifyReply, path: string, errcode: number, errmsg: string, extra = {}, t?: string) => {
    state.calls.push({ path, errcode, ...(t ? { token: t } : {}) });
    return reply.send({ errcode, errmsg, ...extra });
  };
  /** 41001 missing, 40014 unknown, 42001 expired; null when the token is good. */
  const tokenError = (t: string | undefined): [number, string] | null => {
    if (!t) return [41001, 'access_token missing'];
    const known = tokens.get(t);
    if (!known) return [40014, 'invalid access_token'];
    if (known.expired || Date.now() >= known.expiresAt) return [42001, 'access_token expired'];
    return null;
  };
  const checked =
    (path: string, handler: (req: { query: Record<string, string>; body: unknown }, reply: FastifyReply) => unknown) =>
    async (req: { query: unknown; body: unknown }, reply: FastifyReply) => {
      const query = req.query as Record<string, string>;
      const bad = tokenError(query.access_token);
      if (bad) return answer(reply, path, bad[0], bad[1], {}, query.access_token);
      state.calls.push({ path, errcode: 0, token: query.access_token });
      return handler({ query, body: req.body }, reply);
    };
  const fail = (reply: FastifyReply, errcode: number, errmsg: string) => {
    // The call was counted as successful by `checked`; correct its record.
    const last = state.calls[state.calls.length - 1];
    if (last) last.errcode = errcode;
    return reply.send({ errcode, errmsg });
  };

  app.get('/cgi-bin/gettoken', async (req, reply) => {
    const q = req.query as Record<string, string>;
    if (q.corpid !== corpId) return answer(reply, 'gettoken', 40013, 'invalid corpid');
    if (q.corpsecret !== secret) return answer(reply, 'gettoken', 40001, 'invalid credential');
    const t = randomBytes(24).toString('hex');
    tokens.set(t, { expired: false, expiresAt: Date.now() + TOKEN_LIFETIME_S * 1000 });
    state.tokensIssued += 1;
    return answer(reply, 'gettoken', 0, 'ok', { access_token: t, expires_in: TOKEN_LIFETIME_S });
  });

  const members = () => new Set(state.members.filter((m) => m.status === 1).map((m) => m.userid));

  app.post(
    '/cgi-bin/message/send',
    checked('message/send', ({ body }, reply) => {
      const b = body as Record<string, unknown>;
      if (b.agentid !== agentId) return fail(reply, 40056, 'invalid agentid');
      const touser = String(b.touser ?? '');
      const msgtype = String(b.msgtype ?? '');
      if (!['text', 'image', 'template_card', 'markdown', 'news'].includes(msgtype))
        return fail(reply, 40008, 'invalid message type');
      const known = members();
      const targets = touser.split('|').filter(Boolean);
      const invalid = targets.filter((u) => !known.has(u));
      if (targets.length === 0 || invalid.length === targets.length)
        return fail(reply, 81013, 'user & party & tag all invalid');
      if (msgtype === 'text' && !String((b.text as { content?: string } | undefined)?.content ?? '').trim())
        return fail(reply, 44004, 'empty content');
      if (msgtype === 'text' && Buffer.byteLength(String((b.text as { content: string }).content)) > 2048)
        return fail(reply, 45002, 'content size out of limit');
      if (msgtype === 'image' && !state.media.has(String((b.image as { media_id?: string } | undefined)?.media_id)))
        return fail(reply, 40007, 'invalid media_id');
      let responseCode: string | undefined;
      if (msgtype === 'template_card') {
        const card = b.template_card as WecomCard['card'] & { card_type?: string; task_id?: string };
        if (card?.card_type !== 'button_interaction') return fail(reply, 40058, 'card_type not supported here');
        const taskId = String(card.task_id ?? '');
        if (!/^[A-Za-z0-9_\-@]{1,128}$/.test(taskId)) return fail(reply, 40058, 'invalid task_id');
        if (state.cards.has(taskId)) return fail(reply, 40058, 'task_id already used');
        const buttons = card.button_list ?? [];
        if (buttons.length < 1 || buttons.length > 6) return fail(reply, 40058, 'button_list must have 1 to 6 buttons');
        if (buttons.some((x) => !x.key || Buffer.byteLength(x.key) > 1024 || !x.text))
          return fail(reply, 40058, 'button key and text are required');
        if (!card.main_title?.title) return fail(reply, 40058, 'main_title.title is required');
        if ((card.horizontal_content_list ?? []).length > 6) return fail(reply, 40058, 'too many horizontal contents');
        responseCode = randomBytes(12).toString('hex');
        codes.set(responseCode, { taskId, used: false });
        state.cards.set(taskId, { taskId, touser, card, responseCode, updates: 0 });
      }
      for (const u of targets.filter((x) => known.has(x)))
        state.sent.push({ touser: u, msgtype, body: b, ...(responseCode ? { responseCode } : {}), at: Date.now() });
      return reply.send({
        errcode: 0,
        errmsg: 'ok',
        invaliduser: invalid.join('|'),
        msgid: `msg${++seq}`,
        ...(responseCode ? { response_code: responseCode } : {}),
      });
    }),
  );

  app.post(
    '/cgi-bin/message/update_template_card',
    checked('message/update_template_card', ({ body }, reply) => {
      const b = body as {
        agentid?: number;
        response_code?: string;
        userids?: string[];
        button?: { replace_name?: string };
      };
      if (b.agentid !== agentId) return fail(reply, 40056, 'invalid agentid');
      const code = codes.get(String(b.response_code ?? ''));
      // A response_code works once (and for 72 hours).
      if (!code || code.used) return fail(reply, 40058, 'invalid response_code');
      if (!b.button?.replace_name) return fail(reply, 40058, 'button.replace_name is required');
      code.used = true;
      const card = state.cards.get(code.taskId)!;
      card.replacedBy = b.button.replace_name;
      card.updates += 1;
      return reply.send({ errcode: 0, errmsg: 'ok', invaliduser: [] });
    }),
  );

  app.post(
    '/cgi-bin/media/upload',
    checked('media/upload', async ({ query }, reply) => {
      const req = (
        reply as unknown as {
          request: { file(): Promise<{ filename: string; mimetype: string; toBuffer(): Promise<Buffer> } | undefined> };
        }
      ).request;
      if (!['image', 'voice', 'video', 'file'].includes(query.type ?? ''))
        return fail(reply, 40004, 'invalid media type');
      const file = await req.file();
      if (!file) return fail(reply, 41005, 'media data missing');
      const bytes = await file.toBuffer();
      if (query.type === 'image' && bytes.length > 10 * 1024 * 1024) return fail(reply, 40009, 'invalid image size');
      const id = `media-${++seq}-${randomBytes(6).toString('hex')}`;
      state.media.set(id, { bytes, mime: file.mimetype, name: file.filename });
      return reply.send({
        errcode: 0,
        errmsg: '',
        type: query.type,
        media_id: id,
        created_at: String(Math.floor(Date.now() / 1000)),
      });
    }),
  );

  app.get(
    '/cgi-bin/media/get',
    checked('media/get', async ({ query }, reply) => {
      await mediaGate;
      const m = state.media.get(query.media_id ?? '');
      if (!m) return fail(reply, 40007, 'invalid media_id');
      return reply
        .header('content-type', m.mime)
        .header('content-disposition', `attachment; filename="${m.name}"`)
        .send(m.bytes);
    }),
  );

  app.post(
    '/cgi-bin/menu/create',
    checked('menu/create', ({ query, body }, reply) => {
      const agent = Number(query.agentid);
      if (agent !== agentId) return fail(reply, 40056, 'invalid agentid');
      const buttons = (body as { button?: Array<{ name?: string; sub_button?: unknown[] }> }).button ?? [];
      if (buttons.length < 1 || buttons.length > 3) return fail(reply, 40016, 'invalid button size');
      if (buttons.some((x) => (x.sub_button?.length ?? 0) > 5)) return fail(reply, 40023, 'invalid sub button size');
      state.menus.set(agent, body);
      return reply.send({ errcode: 0, errmsg: 'ok' });
    }),
  );

  app.get(
    '/cgi-bin/department/list',
    checked('department/list', (_req, reply) =>
      reply.send({ errcode: 0, errmsg: 'ok', department: state.departments }),
    ),
  );

  app.get(
    '/cgi-bin/user/list',
    checked('user/list', ({ query }, reply) => {
      const dept = Number(query.department_id);
      if (!state.departments.some((d) => d.id === dept)) return fail(reply, 60123, 'invalid party id');
      return reply.send({
        errcode: 0,
        errmsg: 'ok',
        userlist: state.members.filter((m) => m.department.includes(dept)),
      });
    }),
  );

  app.get(
    '/cgi-bin/tag/get',
    checked('tag/get', ({ query }, reply) => {
      const tag = state.tags.get(Number(query.tagid));
      if (!tag) return fail(reply, 40068, 'invalid tagid');
      const byId = new Map(state.members.map((m) => [m.userid, m]));
      return reply.send({
        errcode: 0,
        errmsg: 'ok',
        tagname: tag.tagname,
        userlist: tag.userids.map((u) => ({ userid: u, name: byId.get(u)?.name ?? u })),
        partylist: tag.partylist,
      });
    }),
  );

  await app.listen({ port: 0, host: '127.0.0.1' });
  const apiRoot = `http://127.0.0.1:${(app.server.address() as { port: number }).port}`;

  function stamp() {
    return { timestamp: String(Math.floor(Date.now() / 1000)), nonce: randomBytes(5).toString('hex') };
  }

  async function post(url: string): Promise<DeliverResult>;
  async function post(url: string, body: string): Promise<DeliverResult>;
  async function post(url: string, body?: string): Promise<DeliverResult> {
    const res = await fetch(
      url,
      body === undefined ? {} : { method: 'POST', headers: { 'content-type': 'text/xml' }, body },
    );
    return { status: res.status, body: await res.text() };
  }

  const emu: WecomEmulator = {
    apiRoot,
    corpId,
    secret,
    agentId,
    token,
    aesKey,
    ...state,
    get tokensIssued() {
      return state.tokensIssued;
    },
    expireTokens() {
      for (const t of tokens.values()) t.expired = true;
    },
    addMedia(bytes, mime, name = 'file') {
      const id = `media-${++seq}-${randomBytes(6).toString('hex')}`;
      state.media.set(id, { bytes, mime, name });
      return id;
    },
    holdMedia() {
      let release = () => {};
      mediaGate = new Promise<void>((r) => (release = r));
      return () => release();
    },
    setCallbackUrl(url) {
      callbackUrl = url;
    },
    async deliver(fields, o = {}) {
      if (!callbackUrl) throw new Error('setCallbackUrl first');
      const inner = buildCallbackXml({ ToUserName: corpId, AgentID: agentId, ...fields });
      const ciphertext = encrypt(aesKey, inner, corpId);
      const { timestamp, nonce } = stamp();
      const signature = o.forge ? randomBytes(20).toString('hex') : getSignature(token, timestamp, nonce, ciphertext);
      const body = buildCallbackXml({ ToUserName: corpId, AgentID: String(agentId), Encrypt: ciphertext });
      const url = `${callbackUrl}?msg_signature=${signature}&timestamp=${timestamp}&nonce=${nonce}`;
      const results: DeliverResult[] = [];
      for (let i = 0; i <= (o.retries ?? 0); i++) results.push(await post(url, body));
      return results;
    },
    async verifyUrl() {
      const { timestamp, nonce } = stamp();
      const echo = randomBytes(8).readBigUInt64BE().toString();
      const echostr = encrypt(aesKey, echo, corpId);
      const signature = getSignature(token, timestamp, nonce, echostr);
      const qs = new URLSearchParams({ msg_signature: signature, timestamp, nonce, echostr });
      return post(`${callbackUrl}?${qs.toString()}`);
    },
    inbox: (userid) => state.sent.filter((m) => m.touser === userid),
    async waitFor(userid, pred, timeoutMs = 20_000) {
      const until = Date.now() + timeoutMs;
      for (;;) {
        const found = state.sent.find((m) => m.touser === userid && pred(m));
        if (found) return found;
        if (Date.now() > until) {
          const seen = state.sent.filter((m) => m.touser === userid).map(textOf);
          throw new Error(`no matching message for ${userid}; received:\n${seen.join('\n---\n')}`);
        }
        await sleep(20);
      }
    },
    close: () => app.close(),
  };
  return emu;
}
