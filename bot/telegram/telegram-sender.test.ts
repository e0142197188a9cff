import { TelegramError } from 'telegraf';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../config/logger.ts';
import { ChatUnreachableError, RetryAfterError } from '../../core/messaging/outbound-types.ts';
import { createTelegramSender, mapTelegramError } from './telegram-sender.ts';

const tgError = (code: number, description: string, retry_after?: number) =>
  new TelegramError({
    error_code: code,
    description,
    ...(retry_after !== undefined ? { parameters: { retry_after } } : {}),
  } as never);
const logger = createLogger({ LOG_LEVEL: 'silent', LOG_PRETTY: false });

describe('mapTelegramError', () => {
  it('turns 429 into a wait of retry_after seconds', () => {
    const e = mapTelegramError(tgError(429, 'Too Many Requests: retry after 7', 7));
    expect(e).toBeInstanceOf(RetryAfterError);
    expect((e as RetryAfterError).retryAfterSeconds).toBe(7);
  });

  it('treats blocked, deactivated, kicked and missing chats as unreachable', () => {
    for (const [code, text] of [
      [403, 'Forbidden: bot was blocked by the user'],
      [403, 'Forbidden: user is deactivated'],
      [403, 'Forbidden: bot was kicked from the group chat'],
      [400, 'Bad Request: chat not found'],
    ] as const) {
      expect(mapTelegramError(tgError(code, text))).toBeInstanceOf(ChatUnreachableError);
    }
  });

  it('leaves other failures to the retry policy', () => {
    const other = tgError(400, 'Bad Request: message text is empty');
    expect(mapTelegramError(other)).toBe(other);
    const network = new Error('ECONNRESET');
    expect(mapTelegramError(network)).toBe(network);
  });
});

describe('Telegram sender', () => {
  it('resumes a message after the call that failed, so a retry sends no photo twice', async () => {
    const calls: string[] = [];
    let failOnce = true;
    const api = {
      async callApi(method: string) {
        if (method === 'sendMessage' && failOnce) {
          failOnce = false;
          throw tgError(429, 'Too Many Requests', 1);
        }
        calls.push(method);
        return true;
      },
    };
    const evidence = { readPublic: async (id: number) => ({ bytes: Buffer.from(`photo ${id}`), mime: 'image/jpeg' }) };
    const sender = createTelegramSender({ api, evidence, logger });
    const message = { text: '现场', photoAttachmentIds: [1, 2], location: { lat: 30.58, lng: 114.28 } };
    await expect(sender.send('42', message)).rejects.toBeInstanceOf(RetryAfterError);
    await sender.send('42', message);
    expect(calls).toEqual(['sendMediaGroup', 'sendMessage', 'sendLocation']);
    await sender.send('42', message); // a new message with the same content starts from the beginning
    expect(calls).toHaveLength(6);
  });

  it('skips photos without a public copy rather than sending an original', async () => {
    const payloads: Array<Record<string, unknown>> = [];
    const api = { callApi: async (_m: string, p: Record<string, unknown>) => void payloads.push(p) };
    const sender = createTelegramSender({ api, evidence: { readPublic: async () => null }, logger });
    await sender.send('42', { text: '照片', photoAttachmentIds: [9] });
    expect(payloads).toEqual([{ chat_id: '42', text: '照片' }]);
  });
});
