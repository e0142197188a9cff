// WeCom (企业微信) end to end, against the emulator of WeCom's server side: callbacks signed and
// encrypted as WeCom does, answers through message/send, cards updated after a press.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jpeg } from '../helpers/test-images.ts';
import { createWecomHarness, type WecomHarness } from '../helpers/wecom-harness.ts';
import { textOf } from '../helpers/wecom-emulator.ts';
import { readDirectoryConfig, syncDirectory } from '../../bot/wecom/wecom-directory-sync.ts';
import { createWecomDirectoryStore } from '../../db/wecom-directory-store.ts';

let h: WecomHarness;
let caseNumber = '';

beforeAll(async () => {
  h = await createWecomHarness();
  await h.staffMember('lixc', 'inspector', { street: '花楼水塔街道', name: '李巡查' });
  await h.staffMember('wangdui', 'team_lead', { street: '花楼水塔街道', name: '王队长' });
}, 60_000);
afterAll(async () => h?.close());

describe('WeCom: setting up the app', () => {
  it('answers the URL check and creates the menu from configuration', async () => {
    const check = await h.emu.verifyUrl();
    expect(check.status).toBe(200);
    expect(check.body).toMatch(/^\d+$/);
    const menu = h.emu.menus.get(h.emu.agentId) as { button: Array<{ name: string; key?: string }> };
    expect(menu.button.map((b) => b.name)).toEqual(['待办', '我的巡查', '更多']);
    expect(menu.button[0]).toMatchObject({ type: 'click', key: 'cmd:queue' });
    const forged = await fetch(
      `http://127.0.0.1:${(h.app.server.address() as { port: number }).port}/wecom/callback?msg_signature=${'0'.repeat(40)}&timestamp=1&nonce=n&echostr=abc`,
    );
    expect(forged.status).toBe(403);
  });
});

describe('WeCom: an inspector on patrol', () => {
  it('starts /patrol from the menu and files a finding with a photo and a location', async () => {
    let since = h.emu.inbox('lixc').length;
    await h.emu.deliver({
      FromUserName: 'lixc',
      CreateTime: 1796000100,
      MsgType: 'event',
      Event: 'click',
      EventKey: 'cmd:patrol',
    });
    await h.expectText('lixc', '巡查开始', since);

    since = h.emu.inbox('lixc').length;
    const mediaId = h.emu.addMedia(await jpeg(640, 480), 'image/jpeg', 'IMG_0001.jpg');
    await h.emu.deliver({
      FromUserName: 'lixc',
      CreateTime: 1796000110,
      MsgType: 'image',
      PicUrl: 'https://wework.qpic.cn/x',
      MediaId: mediaId,
      MsgId: '7300000000000001001',
    });
    await h.say('lixc', '路边有人乱倒建筑垃圾，堆了一大堆');
    await h.expectText('lixc', '请补充位置', since);
    since = h.emu.inbox('lixc').length;
    // 花楼街, as WeCom's map picker sends it: GCJ-02.
    await h.emu.deliver({
      FromUserName: 'lixc',
      CreateTime: 1796000120,
      MsgType: 'location',
      Location_X: '30.580300',
      Location_Y: '114.289700',
      Scale: '15',
      Label: '湖北省武汉市江汉区花楼街45号',
      MsgId: '7300000000000001002',
    });
    await h.expectText('lixc', '巡查发现已记录', since);
    since = h.emu.inbox('lixc').length;
    await h.press('lixc', '需执法');
    const submitted = await h.expectText('lixc', '提交成功', since);
    caseNumber = /JH-\d{8}-\d{4}/.exec(textOf(submitted))![0];

    const finding = await h.db.patrolFinding.findFirstOrThrow();
    expect(finding.outcome).toBe('case');
    const c = await h.db.case.findUniqueOrThrow({ where: { number: caseNumber }, include: { attachments: true } });
    expect(c.attachments.map((a) => a.mime)).toEqual(['image/jpeg']);
    // GCJ-02 in, WGS-84 stored: about 500 m apart in Wuhan.
    expect(c.lat).toBeCloseTo(30.5827, 2);
    expect(c.lng).not.toBeCloseTo(114.2897, 3);
  });
});

describe('WeCom: a team lead', () => {
  it('receives the new case as a card with its photo and place, presses 接单, and the card changes', async () => {
    const card = await h.emu.waitFor('wangdui', (m) => m.msgtype === 'template_card' && textOf(m).includes(caseNumber));
    const tc = (card.body as { template_card: Record<string, unknown> }).template_card as {
      main_title: { title: string };
      horizontal_content_list: Array<{ keyname: string; value: string; url?: string }>;
      button_list: Array<{ text: string; key: string }>;
    };
    expect(tc.main_title.title).toContain(caseNumber);
    const place = tc.horizontal_content_list.find((x) => x.keyname === '地点')!;
    expect(place.value).toContain('花楼');
    expect(tc.horizontal_content_list.find((x) => x.keyname === '地图')!.url).toMatch(
      /^https:\/\/apis\.map\.qq\.com\//,
    );
    expect(tc.button_list.map((b) => b.text)).toContain('接单');
    const photo = h.emu.inbox('wangdui').find((m) => m.msgtype === 'image');
    expect(photo).toBeDefined();
    const mediaId = (photo!.body as { image: { media_id: string } }).image.media_id;
    expect(h.emu.media.get(mediaId)!.mime).toBe('image/jpeg');
    expect(h.emu.inbox('wangdui').indexOf(photo!)).toBeLessThan(h.emu.inbox('wangdui').indexOf(card));

    const since = h.emu.inbox('wangdui').length;
    await h.press('wangdui', '接单');
    await h.expectText('wangdui', '已接单', since);
    await h.settle();
    const updated = [...h.emu.cards.values()].find(
      (x) => x.taskId === (card.body as { template_card: { task_id: string } }).template_card.task_id,
    )!;
    expect(updated.replacedBy).toMatch(/^已接单 · 王队长 · \d{2}-\d{2} \d{2}:\d{2}$/);
    const c = await h.db.case.findUniqueOrThrow({ where: { number: caseNumber } });
    expect(c.status).toBe('accepted');
    // The next step is one press away again: a card with what the lead may do now.
    const next = [...h.emu.cards.values()].reverse().find((x) => x.touser === 'wangdui' && !x.replacedBy)!;
    expect(next.card.main_title?.title).toContain(caseNumber);
    const labels = next.card.button_list!.map((b) => b.text);
    expect(labels).toContain('办结');
    expect(labels).not.toContain('接单');
  });
});

describe('WeCom: a step that needs more than a press', () => {
  it('updates the card only once 办结 is complete', async () => {
    await h.settle();
    const cardWith = (label: string) =>
      [...h.emu.cards.values()]
        .reverse()
        .find((c) => c.touser === 'wangdui' && !c.replacedBy && c.card.button_list?.some((b) => b.text === label))!;
    const resolveCard = cardWith('办结');
    let since = h.emu.inbox('wangdui').length;
    await h.press('wangdui', '办结');
    await h.expectText('wangdui', '处置结果', since);
    await h.settle();
    expect(resolveCard.replacedBy).toBeUndefined();

    since = h.emu.inbox('wangdui').length;
    await h.say('wangdui', '已清运建筑垃圾，并责令当事人不得再倾倒');
    await h.expectText('wangdui', '照片', since);
    since = h.emu.inbox('wangdui').length;
    await h.emu.deliver({
      FromUserName: 'wangdui',
      CreateTime: 1796000200,
      MsgType: 'image',
      PicUrl: 'https://wework.qpic.cn/y',
      MediaId: h.emu.addMedia(await jpeg(320, 240), 'image/jpeg'),
      MsgId: '7300000000000002001',
    });
    await h.expectText('wangdui', '已收到', since);
    await h.settle();
    since = h.emu.inbox('wangdui').length;
    await h.press('wangdui', '下一步');
    await h.expectText('wangdui', '处置方式', since);
    since = h.emu.inbox('wangdui').length;
    await h.press('wangdui', '服务（劝导）');
    await h.expectText('wangdui', '已办结', since);
    await h.settle();
    expect(resolveCard.replacedBy).toMatch(/^已办结 · 王队长 · /);
    expect((await h.db.case.findUniqueOrThrow({ where: { number: caseNumber } })).status).toBe('resolved');
  });
});

describe('WeCom: voice', () => {
  it('keeps a voice message as evidence and asks for text', async () => {
    const since = h.emu.inbox('wangdui').length;
    const mediaId = h.emu.addMedia(Buffer.concat([Buffer.from('#!AMR\n'), Buffer.alloc(64, 1)]), 'audio/amr', 'v.amr');
    await h.emu.deliver({
      FromUserName: 'wangdui',
      CreateTime: 1796000300,
      MsgType: 'voice',
      MediaId: mediaId,
      Format: 'amr',
      MsgId: '7300000000000003001',
    });
    await h.expectText('wangdui', '请再用一两句文字说明问题', since);
    expect(await h.db.attachment.count({ where: { mime: 'audio/amr' } })).toBe(1);
  });
});

describe('WeCom: delivery', () => {
  it('processes a retried callback once', async () => {
    await h.settle();
    const before = h.emu.inbox('wangdui').length;
    const statuses = await h.say('wangdui', '/help', { retries: 3 });
    expect(statuses).toEqual([200, 200, 200, 200]);
    await h.settle();
    const after = h.emu.inbox('wangdui').slice(before);
    expect(after.filter((m) => textOf(m).includes('/queue'))).toHaveLength(1);
  });

  it('answers at once and handles the message afterwards; a retry while it is in hand is dropped', async () => {
    await h.settle();
    const photos = await h.db.attachment.count({ where: { mime: 'image/jpeg' } });
    const since = h.emu.inbox('wangdui').length;
    const release = h.emu.holdMedia(); // the download hangs until released
    const fields = {
      FromUserName: 'wangdui',
      CreateTime: 1796000350,
      MsgType: 'image',
      PicUrl: 'https://wework.qpic.cn/z',
      MediaId: h.emu.addMedia(await jpeg(200, 150), 'image/jpeg'),
      MsgId: '7300000000000003501',
    };
    // WeCom has its answer (and retries) while the photo cannot have been fetched yet.
    expect((await h.emu.deliver(fields, { retries: 2 })).map((r) => r.status)).toEqual([200, 200, 200]);
    expect(await h.db.attachment.count({ where: { mime: 'image/jpeg' } })).toBe(photos);
    release();
    await h.settle();
    expect(await h.db.attachment.count({ where: { mime: 'image/jpeg' } })).toBe(photos + 1);
    expect(h.emu.inbox('wangdui').length).toBeGreaterThan(since);
    await h.say('wangdui', '/cancel');
    await h.settle();
  });

  it('processes a retried event (no MsgId: sender + CreateTime) once', async () => {
    await h.settle();
    const before = h.emu.inbox('wangdui').length;
    const click = {
      FromUserName: 'wangdui',
      CreateTime: 1796000400,
      MsgType: 'event',
      Event: 'click',
      EventKey: 'cmd:help',
    };
    expect((await h.emu.deliver(click, { retries: 2 })).map((r) => r.status)).toEqual([200, 200, 200]);
    await h.settle();
    expect(
      h.emu
        .inbox('wangdui')
        .slice(before)
        .filter((m) => textOf(m).includes('/queue')),
    ).toHaveLength(1);
  });

  it('answers a body that is not a WeCom message with 400 and a Chinese message', async () => {
    const port = (h.app.server.address() as { port: number }).port;
    const res = await fetch(`http://127.0.0.1:${port}/wecom/callback?msg_signature=x&timestamp=1&nonce=n`, {
      method: 'POST',
      headers: { 'content-type': 'text/xml' },
      body: '<html>不是消息',
    });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { message: string } }).error.message).toContain('格式不正确');
  });

  it('refuses a forged signature with 403 and processes nothing', async () => {
    await h.settle();
    const before = await h.db.processedUpdate.count();
    const sent = h.emu.sent.length;
    const res = await h.emu.deliver(
      {
        FromUserName: 'wangdui',
        CreateTime: 1796000500,
        MsgType: 'text',
        Content: '/help',
        MsgId: '7300000000000009999',
      },
      { forge: true },
    );
    expect(res[0]!.status).toBe(403);
    await h.settle();
    expect(await h.db.processedUpdate.count()).toBe(before);
    expect(h.emu.sent.length).toBe(sent);
  });

  it('fetches a new access_token once when WeCom expires the old one', async () => {
    await h.settle();
    const issued = h.emu.tokensIssued;
    h.emu.expireTokens();
    const since = h.emu.inbox('wangdui').length;
    await h.say('wangdui', '/queue');
    await h.say('lixc', '/help');
    await h.expectText('wangdui', caseNumber, since);
    await h.settle();
    expect(h.emu.tokensIssued).toBe(issued + 1);
    expect(h.emu.calls.filter((c) => c.errcode === 42001).length).toBeGreaterThanOrEqual(1);
  });
});

describe('WeCom: the directory mapping', () => {
  it('makes mapped members staff, and a member disabled or removed in WeCom loses staff powers at once', async () => {
    h.emu.departments.push(
      { id: 1, name: '江汉区城管执法局', parentid: 0 },
      { id: 2, name: '花楼水塔街道执法队', parentid: 1 },
    );
    h.emu.members.push({ userid: 'zhaody', name: '赵队员', department: [2], status: 1 });
    h.emu.tags.set(1, { tagname: '队长', userids: ['wangdui'], partylist: [] });
    h.emu.tags.set(2, { tagname: '巡查员', userids: ['lixc'], partylist: [] });
    const sync = () =>
      syncDirectory({
        api: h.wecom.channel.api,
        store: createWecomDirectoryStore(h.db),
        config: readDirectoryConfig(),
        now: new Date(),
      });

    const first = await sync();
    expect(first).toMatchObject({ members: 3, created: 1, deactivated: 0 });
    const zhao = await h.db.chatIdentity.findUniqueOrThrow({
      where: { channel_externalId: { channel: 'wecom', externalId: 'zhaody' } },
      include: { person: { include: { street: true, team: true } } },
    });
    expect(zhao.person).toMatchObject({ role: 'enforcer', active: true });
    expect(zhao.person.street!.name).toBe('花楼水塔街道');
    const lead = await h.db.chatIdentity.findUniqueOrThrow({
      where: { channel_externalId: { channel: 'wecom', externalId: 'wangdui' } },
      include: { person: true },
    });
    expect(lead.person.role).toBe('team_lead');

    const since = h.emu.inbox('zhaody').length;
    await h.say('zhaody', '/queue');
    await h.expectText('zhaody', '待办', since);

    h.emu.members.find((m) => m.userid === 'zhaody')!.status = 2; // disabled in WeCom
    h.emu.members.splice(
      h.emu.members.findIndex((m) => m.userid === 'lixc'),
      1,
    ); // removed from the directory
    expect(await sync()).toMatchObject({ deactivated: 2 });
    await h.say('zhaody', '/queue');
    await h.settle();
    // WeCom no longer delivers to a disabled member; what Gridline answered shows the lost powers.
    const answer = await h.db.outboxMessage.findFirstOrThrow({ where: { chatId: 'zhaody' }, orderBy: { id: 'desc' } });
    expect(answer.payload).toContain('此命令仅限工作人员使用');
    expect(answer.status).toBe('dead');
    const inspector = await h.db.chatIdentity.findUniqueOrThrow({
      where: { channel_externalId: { channel: 'wecom', externalId: 'lixc' } },
      include: { person: true },
    });
    expect(inspector.person.active).toBe(false);
  });

  it('lets the district administrator sync from the admin area, and nobody else', async () => {
    const admin = await h.staff('district_admin');
    const lead = await h.staff('team_lead', { street: '花楼水塔街道' });
    const ok = await h.app.inject({
      method: 'POST',
      url: '/api/admin/wecom/sync',
      headers: { authorization: admin.auth },
    });
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toMatchObject({ members: 2, created: 0 });
    const refused = await h.app.inject({
      method: 'POST',
      url: '/api/admin/wecom/sync',
      headers: { authorization: lead.auth },
    });
    expect(refused.statusCode).toBe(403);
    const page = await h.app.inject({ url: '/admin/wecom', headers: { authorization: admin.auth } });
    expect(page.body).toContain('立即同步通讯录');
  });
});
