// The same telegraf bot against telegram-test-api, the community Bot API emulator: text, commands,
// a location and inline buttons work there too. Photos, albums, webhooks and 429s need what it
// lacks (see test/helpers/telegram-emulator.ts), so they are tested against our own emulator.
import { TelegramServer } from 'telegram-test-api/lib/telegramServer.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../helpers/free-port.ts';
import { createTelegramHarness, type TelegramHarness } from '../helpers/telegram-harness.ts';

const TOKEN = '424242:telegram-test-api-token';
let server: TelegramServer;
let h: TelegramHarness;

beforeAll(async () => {
  server = new TelegramServer({ port: await freePort(), host: '127.0.0.1' });
  await server.start();
  h = await createTelegramHarness({ api: { root: server.config.apiURL, token: TOKEN } });
});
afterAll(async () => {
  await h?.close();
  await server?.stop();
});

type BotMessage = {
  message: { text: string; reply_markup?: { inline_keyboard: Array<Array<{ text: string; callback_data: string }>> } };
};

describe('Telegram against telegram-test-api', () => {
  it('welcomes, asks for the place, summarises and files a report from a button press', async () => {
    const client = server.getClient(TOKEN, { userId: 7001, chatId: 7001, firstName: '钱七', timeout: 8000 });
    /** Bot messages arrive through the outbox, pushes among them: read until one contains `part`. */
    const until = async (part: string): Promise<BotMessage['message']> => {
      for (;;) {
        const found = ((await client.getUpdates()).result as unknown as BotMessage[]).find((u) =>
          u.message.text.includes(part),
        );
        if (found) return found.message;
      }
    };

    await client.sendCommand(client.makeCommand('/start'));
    await until('网格通');
    await client.sendMessage(client.makeMessage('人行道上有人摆摊卖烤红薯'));
    await until('位置');
    await client.sendMessage(
      client.makeMessage(undefined as unknown as string, { location: { latitude: 30.5795, longitude: 114.2869 } }),
    );
    const summary = await until('请确认');
    expect(summary.text).toContain('花楼水塔街道');
    const confirm = summary.reply_markup!.inline_keyboard.flat().find((b) => b.text === '确认提交')!;
    await client.sendCallback(client.makeCallbackQuery(confirm.callback_data));
    expect((await until('提交成功')).text).toMatch(/案件编号：JH-\d{8}-\d{4}/);
  });
});
