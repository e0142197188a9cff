import { describe, expect, it } from 'vitest';
import { combineMessages } from './combine-fns.ts';

describe('combineMessages', () => {
  it('joins texts and keeps the last one’s buttons or location request', () => {
    expect(combineMessages([{ text: '您好' }, { text: '请发送位置', requestLocation: true }])).toEqual([
      { text: '您好\n\n请发送位置', requestLocation: true },
    ]);
    const buttons = [[{ id: 'c:accept:1', label: '接单' }]];
    expect(combineMessages([{ text: '已收到' }, { text: '新案件', buttons }])).toEqual([
      { text: '已收到\n\n新案件', buttons },
    ]);
  });

  it('never moves text past buttons, a location request, photos or a pin', () => {
    const buttons = [[{ id: 'd:confirm', label: '确认提交' }]];
    const cases = [
      [{ text: 'a', buttons }, { text: 'b' }],
      [{ text: 'a', requestLocation: true }, { text: 'b' }],
      [{ text: 'a' }, { text: 'b', photoAttachmentIds: [1] }],
      [{ text: 'a', photoAttachmentIds: [1] }, { text: 'b' }],
      [{ text: 'a' }, { text: 'b', location: { lat: 30.6, lng: 114.3 } }],
    ];
    for (const c of cases) expect(combineMessages(c)).toEqual(c);
  });

  it('stays under the channels’ text limits', () => {
    const long = { text: '长'.repeat(2_000) };
    expect(combineMessages([long, long])).toHaveLength(2);
    expect(combineMessages([])).toEqual([]);
  });
});
