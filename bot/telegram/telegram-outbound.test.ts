import { describe, expect, it } from 'vitest';
import { CAPTION_LIMIT, planSend, splitText, TEXT_LIMIT } from './telegram-outbound.ts';

const priv = { isPrivate: true };

describe('planSend', () => {
  it('sends text with its buttons as an inline keyboard carrying the ids', () => {
    const calls = planSend(
      '42',
      {
        text: '请确认',
        buttons: [
          [
            { id: 'd:confirm', label: '确认提交' },
            { id: 'd:cancel', label: '取消' },
          ],
        ],
      },
      [],
      priv,
    );
    expect(calls).toEqual([
      {
        method: 'sendMessage',
        payload: {
          chat_id: '42',
          text: '请确认',
          reply_markup: {
            inline_keyboard: [
              [
                { text: '确认提交', callback_data: 'd:confirm' },
                { text: '取消', callback_data: 'd:cancel' },
              ],
            ],
          },
        },
      },
    ]);
  });

  it('drops a button whose id does not fit 64 bytes of callback_data, and says so', () => {
    const dropped: string[] = [];
    const long = `c:accept:${'9'.repeat(60)}`;
    const calls = planSend(
      '42',
      { text: 't', buttons: [[{ id: long, label: '太长' }], [{ id: 'ok', label: '好' }]] },
      [],
      { isPrivate: true, onDroppedButton: (b) => dropped.push(b.label) },
    );
    expect(calls[0]!.payload.reply_markup).toEqual({ inline_keyboard: [[{ text: '好', callback_data: 'ok' }]] });
    expect(dropped).toEqual(['太长']);
    // Chinese is three bytes a character in UTF-8: 22 characters are 66 bytes.
    expect(
      planSend('42', { text: 't', buttons: [[{ id: '案'.repeat(22), label: 'x' }]] }, [], priv)[0]!.payload
        .reply_markup,
    ).toBeUndefined();
  });

  it('offers the share-location keyboard in private chats only, and never instead of actions', () => {
    expect(planSend('42', { text: '位置？', requestLocation: true }, [], priv)[0]!.payload.reply_markup).toMatchObject({
      keyboard: [[{ request_location: true }]],
    });
    expect(
      planSend('-100', { text: '位置？', requestLocation: true }, [], { isPrivate: false })[0]!.payload.reply_markup,
    ).toBeUndefined();
    expect(
      planSend(
        '42',
        { text: '位置？', requestLocation: true, buttons: [[{ id: 'd:cancel', label: '取消' }]] },
        [],
        priv,
      )[0]!.payload.reply_markup,
    ).toHaveProperty('inline_keyboard');
  });

  it('puts one photo and a short text with its buttons in one sendPhoto', () => {
    const calls = planSend(
      '42',
      { text: '现场', photoAttachmentIds: [1], buttons: [[{ id: 's:next', label: '下一步' }]] },
      ['/p/1.jpg'],
      priv,
    );
    expect(calls).toEqual([
      {
        method: 'sendPhoto',
        payload: {
          chat_id: '42',
          photo: { source: '/p/1.jpg' },
          caption: '现场',
          reply_markup: { inline_keyboard: [[{ text: '下一步', callback_data: 's:next' }]] },
        },
      },
    ]);
  });

  it('sends many photos as albums of ten, then the text, then the pin', () => {
    const paths = Array.from({ length: 11 }, (_, i) => `/p/${i}.jpg`);
    const calls = planSend('42', { text: '照片', location: { lat: 30.58, lng: 114.28 } }, paths, priv);
    expect(calls.map((c) => c.method)).toEqual(['sendMediaGroup', 'sendPhoto', 'sendMessage', 'sendLocation']);
    expect((calls[0]!.payload.media as unknown[]).length).toBe(10);
    expect(calls[3]!.payload).toEqual({ chat_id: '42', latitude: 30.58, longitude: 114.28 });
  });

  it('sends a long caption as a separate text, and splits text over the limit with the buttons on the last part', () => {
    expect(planSend('42', { text: '长'.repeat(CAPTION_LIMIT + 1) }, ['/p.jpg'], priv).map((c) => c.method)).toEqual([
      'sendPhoto',
      'sendMessage',
    ]);
    const calls = planSend(
      '42',
      { text: `${'一'.repeat(TEXT_LIMIT - 10)}\n${'二'.repeat(100)}`, buttons: [[{ id: 'x', label: 'x' }]] },
      [],
      priv,
    );
    expect(calls).toHaveLength(2);
    expect(calls[0]!.payload.reply_markup).toBeUndefined();
    expect(calls[1]!.payload).toMatchObject({
      text: '二'.repeat(100),
      reply_markup: { inline_keyboard: [[{ text: 'x', callback_data: 'x' }]] },
    });
  });
});

describe('splitText', () => {
  it('keeps short text whole and cuts long text without a break at the limit', () => {
    expect(splitText('短')).toEqual(['短']);
    const parts = splitText('字'.repeat(9000));
    expect(parts.map((p) => p.length)).toEqual([4096, 4096, 808]);
  });
});
