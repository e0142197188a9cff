import { describe, expect, it } from 'vitest';
import { readMpCallback, RESIDENTS_ONLY, type MpInboundDeps } from './mp-inbound.ts';

// Only text, location, events and voice with a transcript here: nothing is downloaded or stored
// (photos and recordings go through the emulator in test/e2e/mp.test.ts).
const deps: MpInboundDeps = {
  evidence: {
    ingest: () => Promise.reject(new Error('not expected')),
    ingestVoice: () => Promise.reject(new Error('not expected')),
  },
  identify: () => Promise.reject(new Error('not expected')),
  download: () => Promise.reject(new Error('not expected')),
};
const base = { ToUserName: 'gh_1', FromUserName: 'o-1', CreateTime: '1772587800' };
const read = (f: Record<string, string>) => readMpCallback({ ...base, ...f }, deps);

describe('公众号 inbound mapping', () => {
  it('reads text, commands and case numbers; keyed by MsgId', async () => {
    expect(await read({ MsgType: 'text', Content: ' 路边乱堆建筑垃圾 ', MsgId: '9' })).toMatchObject({
      kind: 'message',
      budget: 'message',
      message: { channel: 'mp', chatId: 'o-1', userId: 'o-1', updateId: 'msg:9', text: '路边乱堆建筑垃圾' },
    });
    expect(await read({ MsgType: 'text', Content: 'JH-20260304-0001', MsgId: '10' })).toMatchObject({
      message: { command: { name: 'status', args: 'JH-20260304-0001' } },
    });
  });

  it('never lets staff commands through: residents only', async () => {
    for (const Content of ['/bind ABCD2345', '绑定 ABCD2345', '/queue', '/login', '/patrol'])
      expect(await read({ MsgType: 'text', Content, MsgId: '11' })).toMatchObject({
        kind: 'notice',
        text: RESIDENTS_ONLY,
      });
  });

  it('reads a location as GCJ-02 with its label', async () => {
    const r = await read({
      MsgType: 'location',
      Location_X: '30.586537',
      Location_Y: '114.262414',
      Scale: '15',
      Label: '中山公园',
      MsgId: '12',
    });
    expect(r).toMatchObject({
      message: { location: { lat: 30.586537, lng: 114.262414, crs: 'gcj02', address: '中山公园' } },
    });
  });

  it('uses the speech recognition text of a voice message', async () => {
    const r = await read({
      MsgType: 'voice',
      MediaId: 'm',
      Format: 'amr',
      Recognition: '门口有人占道卖菜',
      MsgId: '13',
    });
    expect(r).toMatchObject({ message: { voice: { attachmentId: null, transcript: '门口有人占道卖菜' } } });
    // Without recognition and without a file to keep, the conversation asks for text.
    expect(await read({ MsgType: 'voice', Format: 'amr', MsgId: '14' })).toMatchObject({
      message: { voice: { attachmentId: null } },
    });
  });

  it('maps subscribe, menu clicks and unsubscribe; ignores VIEW and LOCATION reports', async () => {
    expect(await read({ MsgType: 'event', Event: 'subscribe' })).toMatchObject({
      budget: 'event',
      message: { command: { name: 'start' }, updateId: 'evt:o-1:1772587800:subscribe:' },
    });
    expect(await read({ MsgType: 'event', Event: 'CLICK', EventKey: 'MY_REPORTS' })).toMatchObject({
      budget: 'event',
      message: { command: { name: 'my' } },
    });
    expect(await read({ MsgType: 'event', Event: 'unsubscribe' })).toEqual({ kind: 'unsubscribe', openid: 'o-1' });
    expect((await read({ MsgType: 'event', Event: 'VIEW', EventKey: 'https://x/chat' })).kind).toBe('ignore');
    expect(
      (await read({ MsgType: 'event', Event: 'LOCATION', Latitude: '30.58', Longitude: '114.26', Precision: '30' }))
        .kind,
    ).toBe('ignore');
    expect(await read({ MsgType: 'video', MediaId: 'v', MsgId: '15' })).toMatchObject({
      message: { unsupported: '视频' },
    });
  });
});
