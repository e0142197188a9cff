// The 公众号 channel end to end against the platform emulator (test/helpers/mp-emulator.ts): signed
// and encrypted callbacks, passive replies, the customer-service API within its budget,
// subscription notices, media, and 网页授权 into the built-in web chat.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../../core/case/case-types.ts';
import { jpeg } from '../helpers/test-images.ts';
import { createMpWorld, type MpWorld } from '../helpers/mp-world.ts';

/** 中山公园 area of 万松街道 as WeChat's map sends it (GCJ-02); WGS-84 (30.5890, 114.2570). */
const WANSONG_GCJ = { x: '30.586537', y: '114.262414' };

const caseNumber = (text: string): string => {
  const n = /JH-\d{8}-\d{4}/.exec(text)?.[0];
  if (!n) throw new Error(`no case number in: ${text}`);
  return n;
};

async function leadOf(w: MpWorld, street: string): Promise<Actor> {
  const s = await w.db.street.findUniqueOrThrow({ where: { name: street } });
  const p = await w.db.person.create({ data: { displayName: '万松王队长', role: 'team_lead', streetId: s.id } });
  return { personId: p.id, role: 'team_lead', streetId: s.id, departmentId: null, displayName: p.displayName };
}

const texts = (w: MpWorld, openid: string) =>
  w.emu
    .follower(openid)
    .inbox.map((d) => ('content' in d ? (d.content ?? '') : d.via === 'subscribe' ? JSON.stringify(d.data) : ''));

describe('公众号 callbacks', () => {
  let w: MpWorld;
  beforeAll(async () => {
    w = await createMpWorld();
  });
  afterAll(async () => w?.stop());

  it('answers the URL check and refuses a forged signature without processing anything', async () => {
    const check = await w.emu.verifyUrl();
    expect(check).toMatchObject({ status: 200, body: check.echostr });

    const [forged] = await w.emu.deliver(
      { FromUserName: 'o-forger', MsgType: 'text', Content: '你好' },
      { forge: true },
    );
    expect(forged!.status).toBe(403);
    expect(forged!.body).toContain('签名校验失败');
    expect(await w.db.chatIdentity.count({ where: { channel: 'mp' } })).toBe(0);
    expect(await w.db.processedUpdate.count({ where: { channel: 'mp' } })).toBe(0);
  });

  it('replies passively when the answer is ready at once, and processes a retried delivery once', async () => {
    const results = await w.emu.deliver(
      { FromUserName: 'o-retry', MsgType: 'text', Content: '人行道上有人摆摊卖烤红薯，把路都占了' },
      { retries: 2 },
    );
    expect(results.map((r) => r.status)).toEqual([200, 200, 200]);
    // The reply came back in the callback's own answer (sealed: the emulator opened and checked it).
    expect(results[0]!.reply?.MsgType).toBe('text');
    expect(results[0]!.reply?.Content).toContain('位置');
    // One person, one handled update, one reply: the retries changed nothing.
    expect(await w.db.chatIdentity.count({ where: { channel: 'mp', externalId: 'o-retry' } })).toBe(1);
    expect(await w.db.processedUpdate.count({ where: { channel: 'mp' } })).toBe(1);
    expect(await w.db.outboxMessage.count({ where: { channel: 'mp', chatId: 'o-retry' } })).toBe(1);
    expect(w.emu.follower('o-retry').inbox).toHaveLength(1);
    expect(w.emu.follower('o-retry').inbox[0]!.via).toBe('passive');
  });

  it('processes retries that arrive while the first delivery is still being handled once (one photo stored)', async () => {
    const mediaId = w.emu.addMedia(await jpeg(320, 240));
    const handled = () => w.db.processedUpdate.count({ where: { channel: 'mp' } });
    const before = await handled();
    const results = await w.emu.deliver(
      { FromUserName: 'o-burst', MsgType: 'image', PicUrl: 'http://mmbiz.qpic.cn/y', MediaId: mediaId },
      { retries: 2, concurrent: true },
    );
    expect(results.map((r) => r.status)).toEqual([200, 200, 200]);
    await w.until(() => w.emu.follower('o-burst').inbox.length > 0, 'the answer');
    expect(await handled()).toBe(before + 1);
    expect(await w.db.outboxMessage.count({ where: { channel: 'mp', chatId: 'o-burst' } })).toBe(1);
    expect(w.emu.follower('o-burst').inbox).toHaveLength(1);
    // The photo was fetched and stored once, not once per delivery.
    expect(w.emu.calls.filter((c) => c.path === '/cgi-bin/media/get')).toHaveLength(1);
    expect(await w.db.attachment.count()).toBe(1);
  });
});

describe('公众号 followers and staff', () => {
  let w: MpWorld;
  beforeAll(async () => {
    w = await createMpWorld();
  });
  afterAll(async () => w?.stop());

  it('welcomes a new follower, stops pushing after unsubscribe and starts again when they follow again', async () => {
    const [welcome] = await w.emu.deliver({
      FromUserName: 'o-fan',
      MsgType: 'event',
      Event: 'subscribe',
      EventKey: '',
    });
    expect(welcome!.status).toBe(200);
    await w.until(() => texts(w, 'o-fan').some((t) => t.includes('网格通')), 'the welcome');
    expect(await w.mp.store.window('o-fan')).toMatchObject({ kind: 'event', allowed: 3 });

    await w.emu.deliver({ FromUserName: 'o-fan', MsgType: 'event', Event: 'unsubscribe', EventKey: '' });
    const identity = await w.db.chatIdentity.findUniqueOrThrow({
      where: { channel_externalId: { channel: 'mp', externalId: 'o-fan' } },
    });
    expect(identity.blockedAt).not.toBeNull();
    // A push to the person now skips the 公众号.
    await w.domain.outbox.enqueueForPeopleNow([identity.personId], { text: '推送' }, 'test:after-unsubscribe');
    expect(await w.db.outboxMessage.count({ where: { dedupeKey: { startsWith: 'test:after-unsubscribe' } } })).toBe(0);

    w.clock.advanceSeconds(5);
    await w.emu.deliver({ FromUserName: 'o-fan', MsgType: 'event', Event: 'subscribe', EventKey: '' });
    const again = await w.db.chatIdentity.findUniqueOrThrow({ where: { id: identity.id } });
    expect(again.blockedAt).toBeNull();
  });

  it('keeps a voice message without recognition as evidence and asks for text; uses the recognised words otherwise', async () => {
    const amr = Buffer.concat([Buffer.from('#!AMR\n'), Buffer.alloc(64, 0x3c)]);
    const mediaId = w.emu.addMedia(amr, 'audio/amr');
    const asked = await answer(
      w,
      { FromUserName: 'o-voice', MsgType: 'voice', MediaId: mediaId, Format: 'amr' },
      '语音',
    );
    expect(asked).toContain('已作为证据保存');
    const person = await w.db.chatIdentity.findUniqueOrThrow({
      where: { channel_externalId: { channel: 'mp', externalId: 'o-voice' } },
    });
    expect(await w.db.attachment.count({ where: { uploadedById: person.personId } })).toBe(1);

    const heard = await answer(
      w,
      {
        FromUserName: 'o-voice2',
        MsgType: 'voice',
        MediaId: 'gone',
        Format: 'amr',
        Recognition: '江汉路步行街有人占道摆摊',
      },
      '位置',
    );
    expect(heard).not.toContain('语音');
  });

  it('explains a photo WeChat no longer has (expired media) instead of failing the callback', async () => {
    const failed = await answer(
      w,
      { FromUserName: 'o-expired', MsgType: 'image', PicUrl: 'http://mmbiz.qpic.cn/z', MediaId: 'expired-media' },
      '照片接收失败',
    );
    expect(failed).toContain('重新发送');
    expect(w.emu.calls.some((c) => c.path === '/cgi-bin/media/get' && c.errcode === 40007)).toBe(true);
  });

  it('gives staff no powers through the 公众号: staff commands are refused and the H5 sign-in too', async () => {
    await answer(w, { FromUserName: 'o-staffer', MsgType: 'text', Content: '你好' }, '网格通');
    const refused = await answer(w, { FromUserName: 'o-staffer', MsgType: 'text', Content: '/bind ABCD2345' }, '居民');
    expect(refused).toContain('企业微信');
    const person = await w.db.chatIdentity.findUniqueOrThrow({
      where: { channel_externalId: { channel: 'mp', externalId: 'o-staffer' } },
    });
    expect((await w.db.person.findUniqueOrThrow({ where: { id: person.personId } })).role).toBe('resident');

    // Someone made this person staff by other means: the 公众号 page still will not sign them in.
    await w.db.person.update({ where: { id: person.personId }, data: { role: 'team_lead' } });
    const start = await fetch(`${w.baseUrl}/mp/oauth/start`, { redirect: 'manual' });
    const cookie = start.headers
      .getSetCookie()
      .map((c) => c.split(';')[0])
      .join('; ');
    const back = await w.emu.authorize('o-staffer', start.headers.get('location')!);
    const res = await fetch(back, { redirect: 'manual', headers: { cookie } });
    expect(res.status).toBe(403);
    expect(res.headers.getSetCookie().some((c) => c.startsWith('gl_session='))).toBe(false);
  });
});

/**
 * The answer to one delivery: the passive reply, or (when the conversation took longer than the
 * passive window, as it may on a loaded machine) the customer-service message that followed.
 */
async function answer(w: MpWorld, fields: Record<string, string | number>, pattern: string): Promise<string> {
  const openid = String(fields.FromUserName);
  const before = w.emu.follower(openid).inbox.length;
  const [r] = await w.emu.deliver(fields);
  expect(r!.status).toBe(200);
  if (r!.reply?.Content?.includes(pattern)) return r!.reply.Content;
  return w.until(
    () =>
      texts(w, openid)
        .slice(before)
        .find((t) => t.includes(pattern)),
    `a reply with ${pattern}`,
  );
}

/** A resident's report through the 公众号: text, photo, location, confirm. Returns the case number. */
async function report(w: MpWorld, openid: string): Promise<string> {
  await answer(w, { FromUserName: openid, MsgType: 'text', Content: '人行道上有人摆摊卖烤红薯，把路都占了' }, '位置');
  const mediaId = w.emu.addMedia(await jpeg(320, 240));
  await answer(
    w,
    { FromUserName: openid, MsgType: 'image', PicUrl: 'http://mmbiz.qpic.cn/x', MediaId: mediaId },
    '已收到 1 张照片',
  );
  const summary = await answer(
    w,
    {
      FromUserName: openid,
      MsgType: 'location',
      Location_X: WANSONG_GCJ.x,
      Location_Y: WANSONG_GCJ.y,
      Scale: 15,
      Label: '湖北省武汉市江汉区中山公园附近',
    },
    '请确认',
  );
  expect(summary).toContain('万松街道');
  expect(summary).toContain('回复 1 确认提交');
  return caseNumber(await answer(w, { FromUserName: openid, MsgType: 'text', Content: '1' }, 'JH-'));
}

const TEMPLATE = 'tmpl-case-progress';

describe('公众号 resident report and the customer-service budget', () => {
  let w: MpWorld;
  beforeAll(async () => {
    w = await createMpWorld({
      templates: {
        notices: {
          default: {
            templateId: TEMPLATE,
            data: { character_string1: '{number}', phrase2: '{status}', thing3: '{summary}', thing4: '{place}' },
          },
        },
      },
    });
    w.emu.addTemplate(TEMPLATE, ['character_string1', 'phrase2', 'thing3', 'thing4']);
  });
  afterAll(async () => w?.stop());

  it('takes a report with photo and location to a case number, then a status outside the budget arrives as a subscription notice', async () => {
    const lead = await leadOf(w, '万松街道');
    const number = await report(w, 'o-zhang');
    const c = await w.db.case.findUniqueOrThrow({ where: { number }, include: { street: true } });
    expect(c.street?.name).toBe('万松街道');
    // Stored in WGS-84: the GCJ-02 point converted back to where it really is.
    expect(c.lat).toBeCloseTo(30.589, 3);
    expect(c.lng).toBeCloseTo(114.257, 3);
    expect(c.address).toContain('中山公园');
    // The photo came through media/get into the evidence store, uploaded by the resident.
    const photos = await w.db.attachment.findMany({ where: { caseId: c.id } });
    expect(photos).toHaveLength(1);
    const mpPerson = await w.db.chatIdentity.findUniqueOrThrow({
      where: { channel_externalId: { channel: 'mp', externalId: 'o-zhang' } },
    });
    expect(photos[0]!.uploadedById).toBe(mpPerson.personId);

    // Inside the 48 hours a status goes through the customer-service API.
    await w.domain.cases.actions.act({ number }, 'accept', lead, {});
    await w.until(() => texts(w, 'o-zhang').some((t) => t.includes(`案件 ${number} 已由`)), 'the accepted notice');
    const accepted = w.emu.follower('o-zhang').inbox.at(-1)!;
    expect(accepted.via).toBe('custom');
    const window = await w.mp.store.window('o-zhang');
    expect(window?.used).toBeGreaterThanOrEqual(1);

    // Two days later the window is closed: the next status goes as a 订阅通知.
    w.clock.advanceHours(49);
    await w.domain.cases.actions.act({ number }, 'resolve', lead, {
      note: '已劝离摊贩，恢复通行',
      mode721: 'service',
    });
    const notice = await w.until(
      () => w.emu.follower('o-zhang').inbox.find((d) => d.via === 'subscribe'),
      'the subscription notice',
    );
    expect(notice).toMatchObject({ templateId: TEMPLATE, page: `${w.baseUrl}/mp/oauth/start` });
    if (notice.via !== 'subscribe') throw new Error('unreachable');
    expect(notice.data.character_string1!.value).toBe(number);
    expect([...notice.data.thing3!.value].length).toBeLessThanOrEqual(20);
    // Nothing was sent past the budget: the platform never answered 45015 or 45047.
    expect(w.emu.calls.filter((x) => x.errcode === 45015 || x.errcode === 45047)).toEqual([]);
  });
});

describe('公众号 without a subscription template', () => {
  let w: MpWorld;
  beforeAll(async () => {
    w = await createMpWorld({ aesKey: null }); // plaintext mode as well
  });
  afterAll(async () => w?.stop());

  it('keeps a status outside the budget until the resident writes again, then sends it', async () => {
    const lead = await leadOf(w, '万松街道');
    const number = await report(w, 'o-li');
    w.clock.advanceHours(49);
    await w.domain.cases.actions.act({ number }, 'accept', lead, {});
    // The notice waits in the outbox: not sent, not dropped.
    const held = await w.until(
      () =>
        w.db.outboxMessage.findFirst({
          where: {
            channel: 'mp',
            chatId: 'o-li',
            status: 'pending',
            payload: { contains: '已由' },
            nextAttemptAt: { gt: w.clock.now() },
          },
        }),
      'the held notice',
    );
    expect(held.attempts).toBe(0); // waiting for budget is not a failed attempt
    expect(texts(w, 'o-li').some((t) => t.includes('已由'))).toBe(false);

    // The resident writes: a new window, and the waiting notice goes out first.
    await w.emu.deliver({ FromUserName: 'o-li', MsgType: 'text', Content: `查询 ${number}` });
    await w.until(() => texts(w, 'o-li').some((t) => t.includes(`案件 ${number} 已由`)), 'the released notice');
    await w.until(
      async () => (await w.db.outboxMessage.findUniqueOrThrow({ where: { id: held.id } })).status === 'sent',
      'the held row marked sent',
    );
  });

  it('follows the case to its rating by numbered replies to the pushed notices', async () => {
    const c = await w.db.case.findFirstOrThrow({ where: { status: 'accepted' } });
    const lead = await w.db.person.findFirstOrThrow({ where: { role: 'team_lead' } });
    const actor: Actor = {
      personId: lead.id,
      role: 'team_lead',
      streetId: lead.streetId,
      departmentId: null,
      displayName: lead.displayName,
    };
    await w.domain.cases.actions.act({ number: c.number }, 'resolve', actor, {
      note: '已劝离摊贩，恢复通行',
      mode721: 'service',
    });
    const resolved = await w.until(
      () => texts(w, 'o-li').find((t) => t.includes(`案件 ${c.number} 已办结`)),
      'the resolved notice',
    );
    expect(resolved).toContain('回复 1 已解决');
    // "1" answers the pushed notice (not the conversation's own last question).
    const closed = await answer(w, { FromUserName: 'o-li', MsgType: 'text', Content: '1' }, '已结案');
    expect(closed).toContain('回复 1 满意');
    await answer(w, { FromUserName: 'o-li', MsgType: 'text', Content: '1' }, '感谢评价');
    await answer(w, { FromUserName: 'o-li', MsgType: 'text', Content: '处理很快，点赞' }, '已记录');
    const rating = await w.db.rating.findFirstOrThrow({ where: { caseId: c.id } });
    expect(rating).toMatchObject({ score: 'satisfied', comment: '处理很快，点赞' });
  });

  it('signs the resident in to the H5 web chat as the same person as in the 公众号', async () => {
    const start = await fetch(`${w.baseUrl}/mp/oauth/start`, { redirect: 'manual' });
    expect(start.status).toBe(302);
    const authorize = start.headers.get('location')!;
    expect(authorize).toContain(`${w.emu.url}/connect/oauth2/authorize?appid=${w.emu.appId}`);
    expect(authorize).toContain('scope=snsapi_base');
    const stateCookie = start.headers
      .getSetCookie()
      .map((c) => c.split(';')[0])
      .join('; ');

    const back = await w.emu.authorize('o-li', authorize);
    // Without the browser's state cookie the code is refused (another browser cannot use it).
    const stranger = await fetch(back, { redirect: 'manual' });
    expect(stranger.status).toBe(400);
    const back2 = await w.emu.authorize('o-li', authorize);
    const signedIn = await fetch(back2, { redirect: 'manual', headers: { cookie: stateCookie } });
    expect(signedIn.status).toBe(303);
    expect(signedIn.headers.get('location')).toBe('/chat');
    const session = signedIn.headers
      .getSetCookie()
      .find((c) => c.startsWith('gl_session='))!
      .split(';')[0]!;

    const page = await fetch(`${w.baseUrl}/chat`, { headers: { cookie: session } });
    expect(page.status).toBe(200);
    const mpIdentity = await w.db.chatIdentity.findUniqueOrThrow({
      where: { channel_externalId: { channel: 'mp', externalId: 'o-li' } },
    });
    const web = await w.db.chatIdentity.findMany({ where: { channel: 'web' } });
    expect(web.map((i) => i.personId)).toEqual([mpIdentity.personId]);
    // The page knows the resident's reports: /my in the web chat lists the case from the 公众号.
    const history = await fetch(`${w.baseUrl}/chat/api/history`, { headers: { cookie: session } });
    expect(history.status).toBe(200);
    const mine = await w.bot.deps.lookup.mine(mpIdentity.personId, 10);
    expect(mine).toHaveLength(1);
  });
});
