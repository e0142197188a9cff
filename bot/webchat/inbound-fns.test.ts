import { describe, expect, it } from 'vitest';
import { hasSomething, parseCommand, toInbound } from './inbound-fns.ts';

const to = { chatId: 'p7', userId: 'p7' };

describe('web chat inbound messages', () => {
  it('reads commands as Telegram users type them', () => {
    expect(parseCommand('/status JH-20261201-0001')).toEqual({ name: 'status', args: 'JH-20261201-0001' });
    expect(parseCommand('/MY')).toEqual({ name: 'my', args: '' });
    expect(parseCommand('/start@gridline_bot')).toEqual({ name: 'start', args: '' });
    expect(parseCommand('路边 /有人摆摊')).toBeNull();
  });

  it('builds a WGS-84 location, photos and an update id scoped to the chat', () => {
    const m = toInbound({ clientId: 'abc', location: { lat: 30.6, lng: 114.26, accuracyM: 12 } }, to, '居民', [
      { attachmentId: 3, exifLat: null, exifLng: null },
    ]);
    expect(m).toEqual({
      channel: 'web',
      chatId: 'p7',
      userId: 'p7',
      updateId: 'p7:abc',
      displayName: '居民',
      photos: [{ attachmentId: 3, exifLat: null, exifLng: null }],
      location: { lat: 30.6, lng: 114.26, crs: 'wgs84', accuracyM: 12 },
    });
  });

  it('turns typed commands into commands and keeps plain text as text', () => {
    expect(toInbound({ clientId: 'a', text: ' /help ' }, to, 'x', []).command).toEqual({ name: 'help', args: '' });
    expect(toInbound({ clientId: 'a', text: '人行道有人摆摊 ' }, to, 'x', []).text).toBe('人行道有人摆摊');
    expect(toInbound({ clientId: 'a', button: 'd:confirm', label: '确认提交' }, to, 'x', []).button).toBe('d:confirm');
  });

  it('knows an empty post', () => {
    expect(hasSomething({ clientId: 'a', text: '  ' })).toBe(false);
    expect(hasSomething({ clientId: 'a', photos: ['k1'] })).toBe(true);
  });
});
