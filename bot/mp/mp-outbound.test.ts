import { describe, expect, it } from 'vitest';
import { MP_TEXT_LIMIT, planMpSend } from './mp-outbound.ts';

describe('公众号 outbound rendering', () => {
  it('puts photos first and numbered choices at the end of the text', () => {
    const parts = planMpSend({
      text: '请确认',
      photoAttachmentIds: [7],
      buttons: [
        [
          { id: 'd:confirm', label: '确认提交' },
          { id: 'd:edit', label: '修改' },
        ],
      ],
    });
    expect(parts).toEqual([
      { kind: 'photo', attachmentId: 7 },
      { kind: 'text', text: '请确认\n\n回复 1 确认提交\n回复 2 修改' },
    ]);
  });

  it('keeps every text part within the 公众号 limit and points to the map picker when asking for a place', () => {
    const parts = planMpSend({ text: '问'.repeat(1500), requestLocation: true });
    expect(parts.length).toBeGreaterThan(2);
    for (const p of parts) if (p.kind === 'text') expect(p.text.length).toBeLessThanOrEqual(MP_TEXT_LIMIT);
    expect(parts.at(-1)).toMatchObject({ text: expect.stringContaining('我要反映') as unknown });
  });
});
