import type { Update } from 'telegraf/types';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { MALFORMED_UPDATES } from '../../test/helpers/telegram-malformed-updates.ts';
import type { InboundMessage } from '../inbound-types.ts';
import type { TelegramFileRef } from './telegram-inbound.ts';
import { createTelegramUpdateHandler } from './telegram-updates.ts';

const from = { id: 42, is_bot: false, first_name: '张' };
const chat = { id: 42, type: 'private' };
let seq = 0;
const message = (fields: Record<string, unknown>) => {
  seq += 1;
  return { update_id: seq, message: { message_id: seq, date: 0, chat, from, ...fields } } as unknown as Update;
};
const photo = (fileId: string, extra: Record<string, unknown> = {}) =>
  message({ photo: [{ file_id: fileId, width: 100, height: 100 }], ...extra });

function setup(opts: { refuse?: string[]; slowMs?: number } = {}) {
  const events: string[] = [];
  const received: InboundMessage[] = [];
  const logs: Array<{ level: number; msg: string; update_id?: number; reason?: string }> = [];
  const logger = pino({ level: 'debug' }, { write: (line: string) => void logs.push(JSON.parse(line) as never) });
  const handler = createTelegramUpdateHandler({
    logger,
    albumQuietMs: 50,
    botUsername: () => 'gridline_bot',
    answerCallback: async (id) => void events.push(`answer:${id}`),
    identify: async () => ({ personId: 1, isNew: false }),
    photos: {
      async fetch(files: TelegramFileRef[]) {
        await new Promise((r) => setTimeout(r, opts.slowMs ?? 0));
        const refused = files.filter((f) => opts.refuse?.includes(f.fileId));
        return {
          photos: files.filter((f) => !refused.includes(f)).map((f) => ({ attachmentId: Number(f.fileId.slice(1)) })),
          refusals: refused.map(() => '这不是图片文件'),
        };
      },
    },
    notices: {
      enqueue: async (_c, _chat, replies) => void events.push(`notice:${replies.map((r) => r.text).join()}`),
      kick: () => {},
    },
    runtime: {
      async receive(m) {
        events.push(`receive:${m.button ?? m.text ?? m.photos?.map((p) => p.attachmentId).join('+')}`);
        received.push(m);
        return [];
      },
    },
  });
  return { handler, events, received, logs };
}

describe('Telegram update handler', () => {
  it('answers a button press before the conversation runs', async () => {
    const { handler, events } = setup();
    await handler.handle({
      update_id: 900,
      callback_query: {
        id: 'cq9',
        from,
        chat_instance: 'x',
        data: 'd:confirm',
        message: { message_id: 1, date: 0, chat },
      },
    } as unknown as Update);
    expect(events).toEqual(['answer:cq9', 'receive:d:confirm']);
  });

  it('gathers an album into one message and keeps a later text behind it', async () => {
    const { handler, events, received } = setup();
    await handler.handle(photo('p1', { media_group_id: 'g', caption: '乱堆杂物' }));
    await handler.handle(photo('p2', { media_group_id: 'g' }));
    await handler.handle(message({ text: '在鄱阳街' })); // returns at once: an album is still gathering
    await handler.stop();
    expect(events).toEqual(['receive:乱堆杂物', 'receive:在鄱阳街']);
    expect(received[0]).toMatchObject({
      updateId: 'mg:g',
      text: '乱堆杂物',
      photos: [{ attachmentId: 1 }, { attachmentId: 2 }],
    });
  });

  it('keeps a chat in order while a photo downloads', async () => {
    const { handler, events } = setup({ slowMs: 80 });
    await Promise.all([handler.handle(photo('p7')), handler.handle(message({ text: '第二条' }))]);
    expect(events).toEqual(['receive:7', 'receive:第二条']);
  });

  it('queues a refusal before the rest of the message, and nothing else when only refused files came', async () => {
    const { handler, events } = setup({ refuse: ['p5'] });
    await handler.handle(photo('p5', { caption: '看这个' }));
    await handler.handle(photo('p5'));
    expect(events).toEqual(['notice:这不是图片文件', 'receive:看这个', 'notice:这不是图片文件']);
  });

  it('handles a repeated update once', async () => {
    const { handler, events } = setup();
    const u = message({ text: '重复' });
    await handler.handle(u);
    await handler.handle(u);
    expect(events).toEqual(['receive:重复']);
  });

  it('acknowledges a malformed update with a warning in the log and passes nothing on (issue 13.8)', async () => {
    const { handler, events, received, logs } = setup();
    let id = 5000;
    for (const [what, body] of MALFORMED_UPDATES) {
      id += 1;
      await expect(handler.handle({ update_id: id, ...body } as unknown as Update), what).resolves.toBeUndefined();
      expect(logs.at(-1), what).toMatchObject({ level: 40, update_id: id, msg: 'malformed telegram update ignored' });
    }
    expect(received).toEqual([]);
    // A press is answered all the same where its id can be read, so the client's spinner stops.
    expect(events).toEqual(['answer:cq-x', 'answer:cq-y', 'answer:cq-z']);
  });
});
