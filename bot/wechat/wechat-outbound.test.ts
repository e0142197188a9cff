import { describe, expect, it } from 'vitest';
import { ChatUnreachableError, RetryAfterError } from '../../core/messaging/outbound-types.ts';
import { createMemoryMenus, pickFromMenu } from './wechat-menus.ts';
import {
  buttonCaseId,
  LOCATION_HINT,
  numberedLines,
  planWeChatSend,
  spansCases,
  splitText,
} from './wechat-outbound.ts';
import { mapWeChatError } from './wechat-sender.ts';

const CONFIRM = [
  [
    { id: 'd:confirm', label: '确认提交' },
    { id: 'd:edit', label: '修改' },
    { id: 'd:cancel', label: '取消' },
  ],
];
const HANDLER = [
  [
    { id: 'c:accept:7', label: '接单' },
    { id: 'c:assign:7', label: '转派' },
    { id: 'c:return:7', label: '退回' },
  ],
  [
    { id: 'c:escalate:7', label: '上报区局' },
    { id: 'c:resolve:7', label: '办结' },
  ],
];

describe('numbered replies on case cards', () => {
  it('each numbered line of a card names its case', () => {
    const [part] = planWeChatSend({
      text: '【新案件】JH-20261206-0012',
      buttons: HANDLER,
      card: { caseId: 7, number: 'JH-20261206-0012', title: '占道经营', status: '已派遣', place: '万松街道' },
    });
    expect(part).toEqual({
      kind: 'text',
      text: expect.stringContaining('回复 1 接单（JH-20261206-0012）\n回复 2 转派（JH-20261206-0012）'),
    });
  });

  it('a bare number picks only from a menu about one case', () => {
    expect(pickFromMenu(HANDLER.flat(), 1)?.id).toBe('c:accept:7');
    const mixed = [
      { id: 'c:accept:7', label: '接单' },
      { id: 'c:accept:8', label: '接单' },
    ];
    expect(spansCases(mixed)).toBe(true);
    expect(pickFromMenu(mixed, 1)).toBeNull();
    expect(buttonCaseId('a:7:12')).toBe(7);
    expect(buttonCaseId('d:confirm')).toBeNull();
  });
});

describe('planWeChatSend', () => {
  it('renders buttons as numbered replies under the text', () => {
    expect(planWeChatSend({ text: '请确认报告内容：…', buttons: CONFIRM })).toEqual([
      { kind: 'text', text: '请确认报告内容：…\n\n回复 1 确认提交\n回复 2 修改\n回复 3 取消' },
    ]);
  });

  it('numbers rows left to right, top to bottom, as a typed number picks them', () => {
    expect(numberedLines(HANDLER)).toEqual([
      '回复 1 接单',
      '回复 2 转派',
      '回复 3 退回',
      '回复 4 上报区局',
      '回复 5 办结',
    ]);
    const menus = createMemoryMenus();
    menus.delivered('chat', { text: '新案件', buttons: HANDLER });
    return menus.lastMenu('chat', new Date(0)).then((menu) => {
      expect(pickFromMenu(menu, 1)?.id).toBe('c:accept:7');
      expect(pickFromMenu(menu, 5)?.id).toBe('c:resolve:7');
      expect(pickFromMenu(menu, 6)).toBeNull();
    });
  });

  it('sends photos first, then the text, so the choices are read last', () => {
    expect(
      planWeChatSend({
        text: '已办结',
        photoAttachmentIds: [3, 4],
        buttons: [[{ id: 'c:verify:1', label: '已解决' }]],
      }),
    ).toEqual([
      { kind: 'photo', attachmentId: 3 },
      { kind: 'photo', attachmentId: 4 },
      { kind: 'text', text: '已办结\n\n回复 1 已解决' },
    ]);
  });

  it('explains how to send a location, and gives a point in GCJ-02 for Chinese maps', () => {
    expect(planWeChatSend({ text: '请发送位置', requestLocation: true })[0]).toEqual({
      kind: 'text',
      text: `请发送位置\n\n${LOCATION_HINT}`,
    });
    const [part] = planWeChatSend({ text: '地点', location: { lat: 30.589, lng: 114.257 } });
    expect(part).toMatchObject({ kind: 'text' });
    expect((part as { text: string }).text).toContain('30.586537,114.262414');
  });

  it('splits very long text at line breaks', () => {
    const long = Array.from({ length: 300 }, (_, i) => `第 ${i} 行：占道经营`).join('\n');
    const parts = splitText(long, 500);
    expect(parts.length).toBeGreaterThan(1);
    expect(parts.every((p) => p.length <= 500)).toBe(true);
    expect(parts.join('\n')).toBe(long);
  });
});

describe('memory menus', () => {
  it('keeps the last menu delivered until a newer one or its age replaces it', async () => {
    let now = new Date('2026-03-02T01:00:00Z');
    const menus = createMemoryMenus(() => now);
    menus.delivered('a', { text: 'x', buttons: CONFIRM });
    menus.delivered('a', { text: '已接单' }); // no buttons: the menu stays
    expect((await menus.lastMenu('a', new Date(0)))?.map((b) => b.label)).toEqual(['确认提交', '修改', '取消']);
    now = new Date('2026-03-03T02:00:00Z');
    expect(await menus.lastMenu('a', new Date(now.getTime() - 24 * 3_600_000))).toBeNull();
    expect(await menus.lastMenu('b', new Date(0))).toBeNull();
  });
});

describe('mapWeChatError', () => {
  it('tells a missing contact or room from a passing failure', () => {
    expect(mapWeChatError(new Error('no payload found for id x'))).toBeInstanceOf(ChatUnreachableError);
    expect(mapWeChatError(new Error('contact not exist'))).toBeInstanceOf(ChatUnreachableError);
    expect(mapWeChatError(new Error('操作过于频繁，请稍后再试'))).toBeInstanceOf(RetryAfterError);
    const transient = new Error('14 UNAVAILABLE: connection reset');
    expect(mapWeChatError(transient)).toBe(transient);
  });
});
