import { describe, expect, it } from 'vitest';
import { readWecomCallback, type WecomInboundDeps } from './wecom-inbound.ts';
import { menuCommand } from './wecom-menu.ts';
import { doneLine } from './wecom-card-press.ts';

// Text, locations and events need no media download.
const deps: WecomInboundDeps = {
  api: { downloadMedia: () => Promise.reject(new Error('not used')) },
  evidence: {
    ingest: () => Promise.reject(new Error('not used')),
    ingestVoice: () => Promise.reject(new Error('not used')),
  },
  identify: () => Promise.resolve({ personId: 1, isNew: false }),
  maxBytes: 1024,
  menuCommand,
};
const base = { FromUserName: 'zhangsan', CreateTime: '1796000000', ToUserName: 'ww1', AgentID: '1000002' };

describe('WeCom inbound mapping', () => {
  it('reads 绑定 CODE and slash commands as commands', async () => {
    const r = await readWecomCallback({ ...base, MsgType: 'text', Content: '绑定 ABCD2345', MsgId: '1' }, deps);
    expect(r).toMatchObject({
      kind: 'message',
      message: { channel: 'wecom', chatId: 'zhangsan', command: { name: 'bind', args: 'ABCD2345' }, updateId: 'msg:1' },
    });
  });

  it('keeps a location in GCJ-02 with its label', async () => {
    const r = await readWecomCallback(
      {
        ...base,
        MsgType: 'location',
        Location_X: '30.5803',
        Location_Y: '114.2897',
        Scale: '15',
        Label: '花楼街45号',
        MsgId: '2',
      },
      deps,
    );
    expect(r).toMatchObject({
      kind: 'message',
      message: { location: { lat: 30.5803, lng: 114.2897, crs: 'gcj02', address: '花楼街45号' } },
    });
  });

  it('maps a card press to the Button.id, a menu click to its command, and ignores LOCATION reports', async () => {
    const press = await readWecomCallback(
      {
        ...base,
        MsgType: 'event',
        Event: 'template_card_event',
        EventKey: 'c:accept:12',
        TaskId: 'gl-12-x',
        ResponseCode: 'rc',
      },
      deps,
    );
    expect(press).toMatchObject({
      kind: 'press',
      message: { button: 'c:accept:12' },
      responseCode: 'rc',
      taskId: 'gl-12-x',
    });
    const click = await readWecomCallback({ ...base, MsgType: 'event', Event: 'click', EventKey: 'cmd:queue' }, deps);
    expect(click).toMatchObject({ kind: 'message', message: { command: { name: 'queue', args: '' } } });
    expect(
      await readWecomCallback({ ...base, MsgType: 'event', Event: 'click', EventKey: 'cmd:rm' }, deps),
    ).toMatchObject({ kind: 'ignore' });
    const loc = await readWecomCallback(
      { ...base, MsgType: 'event', Event: 'LOCATION', Latitude: '30.5', Longitude: '114.2', Precision: '20' },
      deps,
    );
    expect(loc.kind).toBe('ignore');
    expect(
      (await readWecomCallback({ ...base, MsgType: 'event', Event: 'enter_agent', EventKey: '' }, deps)).kind,
    ).toBe('enter');
  });

  it('writes what was done on the card in Wuhan time', () => {
    expect(doneLine('accepted', '张三', new Date('2026-12-06T01:30:00Z'))).toBe('已接单 · 张三 · 12-06 09:30');
  });
});
