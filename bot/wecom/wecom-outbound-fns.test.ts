import { describe, expect, it } from 'vitest';
import type { OutboundMessage } from '../../core/messaging/outbound-types.ts';
import { caseIdOf, mapLink, newTaskId, planWecomSend } from './wecom-outbound-fns.ts';

const card = {
  caseId: 12,
  number: 'JH-20261207-0001',
  title: '乱倒建筑垃圾、装修垃圾',
  status: '已派遣',
  place: '花楼水塔街道 花楼街45号',
  mapUrl: mapLink({ lat: 30.58, lng: 114.29 }, 'JH-20261207-0001'),
  words: '路边有人乱倒建筑垃圾',
  due: '12月14日 16:30',
  overdue: true,
};
const buttons = [
  [
    { id: 'c:accept:12', label: '接单' },
    { id: 'c:assign:12', label: '转派' },
    { id: 'c:return:12', label: '退回' },
  ],
  [
    { id: 'c:escalate:12', label: '上报区局' },
    { id: 'c:resolve:12', label: '办结' },
    { id: 'c:refer:12', label: '移送部门' },
    { id: 'c:reject:12', label: '不予受理' },
  ],
];
const opts = { taskId: 't1', homeUrl: 'https://g.example/', caseUrl: 'https://g.example/cases/JH-20261207-0001' };

describe('WeCom rendering', () => {
  it('draws a case push as photos, then a button_interaction card with place, deadline, state, words and links', () => {
    const m: OutboundMessage = { text: '【新案件】JH-20261207-0001', buttons, card, photoAttachmentIds: [5, 6] };
    const parts = planWecomSend(m, opts);
    expect(parts.slice(0, 2)).toEqual([
      { kind: 'photo', attachmentId: 5 },
      { kind: 'photo', attachmentId: 6 },
    ]);
    const c = (parts[2] as { kind: 'card'; card: unknown }).card as {
      card_type: string;
      main_title: { title: string };
      horizontal_content_list: Array<{ keyname: string; value: string }>;
      button_list: Array<{ key: string }>;
      task_id: string;
    };
    expect(c.card_type).toBe('button_interaction');
    expect(c.main_title.title).toBe('JH-20261207-0001 乱倒建筑垃圾、装修垃圾');
    expect(c.horizontal_content_list.map((x: { keyname: string }) => x.keyname)).toEqual([
      '地点',
      '时限',
      '状态',
      '反映',
      '地图',
      '案件',
    ]);
    expect(c.horizontal_content_list[1]!.value).toContain('已逾期');
    expect(c.horizontal_content_list[4]).toMatchObject({ type: 1, url: card.mapUrl });
    // At most six buttons, each keyed by the Button.id the conversation reads back.
    expect(c.button_list.map((b: { key: string }) => b.key)).toEqual(
      buttons
        .flat()
        .slice(0, 6)
        .map((b) => b.id),
    );
    expect(c.task_id).toBe('t1');
  });

  it('sends a case notice without buttons as text that carries the place and the map link', () => {
    const parts = planWecomSend({ text: '案件 JH-20261207-0001 已办结。', card }, opts);
    expect(parts).toHaveLength(1);
    const text = (parts[0] as { content: string }).content;
    expect(text).toContain('花楼街45号');
    expect(text).toContain('https://apis.map.qq.com/uri/v1/marker');
  });

  it('keeps a long text whole before a choice card, and splits text past the message limit', () => {
    const long = '巡查发现已记录。\n' + '内容'.repeat(100);
    const parts = planWecomSend({ text: long, buttons: [[{ id: 'f:case', label: '需执法' }]] }, opts);
    expect(parts.map((p) => p.kind)).toEqual(['text', 'card']);
    expect((parts[0] as { content: string }).content).toBe(long);
    const huge = planWecomSend({ text: '字'.repeat(1500) }, opts);
    expect(huge.length).toBeGreaterThan(1);
    for (const p of huge) expect(Buffer.byteLength((p as { content: string }).content)).toBeLessThanOrEqual(2048);
  });

  it('finds the case of a message and makes task ids WeCom accepts', () => {
    expect(caseIdOf({ text: 'x', buttons })).toBe(12);
    expect(caseIdOf({ text: 'x', buttons: [[{ id: 'd:confirm', label: '确认提交' }]] })).toBeNull();
    expect(newTaskId(12, 'ab:cd')).toMatch(/^[A-Za-z0-9_\-@]{1,128}$/);
  });
});
