// A resident reports through a real telegraf bot (long polling) against the Bot API emulator,
// from /start to the rating, while a team lead handles the case in the same bot.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OutboundMessage } from '../../core/messaging/outbound-types.ts';
import { createTelegramHarness, type TelegramHarness } from '../helpers/telegram-harness.ts';
import type { EmulatedUser } from '../helpers/telegram-emulator-user.ts';

let h: TelegramHarness;
let lead: EmulatedUser;

beforeAll(async () => {
  h = await createTelegramHarness();
  lead = await h.staffUser(2001, 'team_lead', { street: '花楼水塔街道', name: '王队长' });
});
afterAll(async () => h?.close());

describe('Telegram: a resident from /start to rating', () => {
  it('registers the command menu in Chinese', () => {
    const commands = h.emu.commands.at(-1) as Array<{ command: string; description: string }>;
    expect(commands.map((c) => c.command)).toEqual(
      expect.arrayContaining(['start', 'my', 'status', 'cancel', 'help', 'bind', 'queue', 'patrol']),
    );
    expect(commands.every((c) => /[\u4e00-\u9fff]/.test(c.description))).toBe(true);
  });

  it('reports, follows every push, and rates', async () => {
    const u = h.emu.user({ id: 1001, firstName: '张三' });
    await u.send('/start');
    await u.expect('网格通');
    await u.send('人行道上有人摆摊卖烤红薯，把路都占了');
    await u.expect('位置');
    await u.sendLocation(30.5795, 114.2869, { accuracy: 12 });
    const summary = await u.expect('请确认');
    expect(summary.text).toContain('花楼水塔街道');
    expect(summary.reply_markup?.inline_keyboard?.flat().map((b) => b.text)).toEqual(['确认提交', '修改', '取消']);
    await u.press('确认提交');
    const submitted = await u.expect('提交成功');
    const number = /JH-\d{8}-\d{4}/.exec(submitted.text!)![0];

    // The team lead gets the case with its buttons, accepts and resolves it in the chat.
    const assigned = await lead.expect(number);
    expect(assigned.text).not.toContain('张三');
    await lead.press('接单');
    await lead.expect('已接单');
    await u.expect('接单');
    await lead.press('办结');
    await lead.expect('处置结果');
    await lead.send('已劝离摊贩，恢复人行道通行');
    await lead.expect('照片');
    await lead.press('下一步');
    await lead.expect('处置方式');
    await lead.press('服务（劝导）');
    await lead.expect('已办结');

    // The resident verifies, sees the case closed, rates and comments.
    await u.expect('已办结');
    await u.press('已解决');
    // One answer to the press: the closing notice with the rating buttons.
    await u.expect('请对本次处理进行评价');
    await u.press('满意');
    await u.expect('感谢评价');
    await u.send('处理很快，点赞');
    await u.expect('已记录');
    expect((await h.db.rating.findFirstOrThrow({ where: { case: { number } } })).comment).toBe('处理很快，点赞');

    await u.send(`/status@${h.emu.botUsername} ${number}`);
    await u.expect('已结案');
  });

  it('delivered every queued message exactly once, and answered every button press', async () => {
    await h.delivery.drain();
    for (const chatId of ['1001', '2001']) {
      const rows = await h.db.outboxMessage.findMany({
        where: { channel: 'telegram', chatId },
        orderBy: { id: 'asc' },
      });
      expect(rows.length).toBeGreaterThan(5);
      expect(
        rows.filter((r) => r.status !== 'sent').map((r) => [r.dedupeKey, r.status, r.attempts, r.lastError]),
      ).toEqual([]);
      // A case card's pin is a message of its own after the card's text.
      const received = h.emu.sent
        .filter((m) => m.chat_id === chatId && m.latitude === undefined)
        .map((m) => m.text ?? m.caption);
      expect(received).toEqual(rows.map((r) => (JSON.parse(r.payload) as OutboundMessage).text));
    }
    // Pushes (not replies) reached the resident too: accepted and resolved (the closing notice
    // answers their own 已解决 press, so it is a reply).
    const pushes = await h.db.outboxMessage.count({
      where: { chatId: '1001', personId: { not: null }, status: 'sent' },
    });
    expect(pushes).toBeGreaterThanOrEqual(2);
    expect(h.emu.callbackIds.length).toBeGreaterThan(0);
    expect(h.emu.callbackIds.filter((id) => !h.emu.answered.has(id))).toEqual([]);
  });
});
