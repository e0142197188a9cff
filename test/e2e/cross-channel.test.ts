// Issue 14's "done when" in one run: a resident reports through the 公众号 and follows the case to
// its rating, while the street's team lead handles it from WeCom cards, each against its emulator,
// on one Gridline.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jpeg } from '../helpers/test-images.ts';
import { createWecomHarness, type WecomHarness } from '../helpers/wecom-harness.ts';

/** 中山公园 area of 万松街道 as WeChat's map sends it (GCJ-02). */
const WANSONG_GCJ = { x: '30.586537', y: '114.262414' };
const RESIDENT = 'o-cross-resident';

let h: WecomHarness;

beforeAll(async () => {
  h = await createWecomHarness({ withMp: true });
  await h.staffMember('wangdui', 'team_lead', { street: '万松街道', name: '王队长' });
});
afterAll(async () => h?.close());

const residentTexts = () => h.mpEmu!.follower(RESIDENT).inbox.map((d) => ('content' in d ? (d.content ?? '') : ''));

async function waitFor<T>(
  check: () => T | undefined | Promise<T | undefined>,
  what: string,
  timeoutMs = 15_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await check();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** A message from the resident; the answer containing `pattern` (passive reply or pushed later). */
async function resident(fields: Record<string, string | number>, pattern: string): Promise<string> {
  const before = residentTexts().length;
  const [r] = await h.mpEmu!.deliver({ FromUserName: RESIDENT, ...fields });
  expect(r!.status).toBe(200);
  if (r!.reply?.Content?.includes(pattern)) return r!.reply.Content;
  return waitFor(
    () =>
      residentTexts()
        .slice(before)
        .find((t) => t.includes(pattern)),
    `the resident reading ${pattern}`,
  );
}

describe('a 公众号 resident and a WeCom team lead on one case', () => {
  it('reports with photo and place, the lead accepts and resolves from cards, the resident confirms and rates', async () => {
    await resident({ MsgType: 'text', Content: '人行道上有人摆摊卖烤红薯，把路都占了' }, '位置');
    await resident(
      { MsgType: 'image', PicUrl: 'http://mmbiz.qpic.cn/x', MediaId: h.mpEmu!.addMedia(await jpeg(320, 240)) },
      '已收到 1 张照片',
    );
    await resident(
      { MsgType: 'location', Location_X: WANSONG_GCJ.x, Location_Y: WANSONG_GCJ.y, Scale: 15, Label: '中山公园附近' },
      '请确认',
    );
    const submitted = await resident({ MsgType: 'text', Content: '1' }, 'JH-');
    const number = /JH-\d{8}-\d{4}/.exec(submitted)![0];

    // The lead's WeCom card: the resident's photo first, then the card with the place and 接单.
    await h.expectText('wangdui', number);
    const card = await waitFor(
      () => [...h.emu.cards.values()].find((c) => c.touser === 'wangdui' && c.card.main_title?.title?.includes(number)),
      'the case card',
    );
    expect(card.card.button_list!.map((x) => x.text)).toContain('接单');
    expect(h.emu.inbox('wangdui').some((m) => m.msgtype === 'image')).toBe(true);
    await h.press('wangdui', '接单');
    await waitFor(
      async () => (await h.db.case.findUniqueOrThrow({ where: { number } })).status === 'accepted' || undefined,
      'the case accepted',
    );
    await h.settle(); // the next card, with what the lead may do now, follows the press

    let since = h.emu.inbox('wangdui').length;
    await h.press('wangdui', '办结');
    await h.expectText('wangdui', '处置结果', since);
    since = h.emu.inbox('wangdui').length;
    await h.say('wangdui', '已劝离摊贩，恢复通行');
    await h.expectText('wangdui', '照片', since);
    await h.settle();
    since = h.emu.inbox('wangdui').length;
    await h.press('wangdui', '下一步');
    await h.expectText('wangdui', '处置方式', since);
    since = h.emu.inbox('wangdui').length;
    await h.press('wangdui', '服务（劝导）');
    await h.expectText('wangdui', '已办结', since);

    // The resident hears of it (within the budget their messages opened, or on their next message),
    // answers the pushed question by its number, and rates.
    const resolvedNotice = () => residentTexts().find((t) => t.includes(`案件 ${number} 已办结`));
    const asked = await waitFor(resolvedNotice, 'the resolved notice', 3_000).catch(() =>
      resident({ MsgType: 'text', Content: '请问处理得怎么样了' }, `案件 ${number} 已办结`),
    );
    expect(asked).toContain('回复 1 已解决');
    await resident({ MsgType: 'text', Content: '1' }, '已结案');
    await resident({ MsgType: 'text', Content: '1' }, '感谢评价');
    const c = await h.db.case.findUniqueOrThrow({ where: { number } });
    expect(c.status).toBe('closed');
    expect((await h.db.rating.findFirstOrThrow({ where: { caseId: c.id } })).score).toBe('satisfied');
  }, 120_000);
});
