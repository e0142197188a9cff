import { describe, expect, it } from 'vitest';
import type { Notice } from './case-port.ts';
import { combineNotices } from './case-notices.ts';

const accept = [[{ id: 'c:accept:7', label: '接单' }]];
const notice = (dedupeKey: string, personIds: number[], text: string, buttons?: typeof accept): Notice => ({
  dedupeKey,
  personIds,
  caseId: 7,
  message: { text, ...(buttons ? { buttons } : {}) },
});

describe('combineNotices', () => {
  it('gives a person the notices of one event as one message; others keep theirs', () => {
    const reporter = notice('case:7:reporter:created', [1], '已收到，案件编号 JH-1');
    const handlers = notice('case:7:handler:dispatched:0', [1, 2, 3], '新案件 JH-1', accept);
    expect(combineNotices([reporter, handlers])).toEqual([
      {
        dedupeKey: 'case:7:reporter:created+case:7:handler:dispatched:0',
        personIds: [1],
        caseId: 7,
        message: { text: '已收到，案件编号 JH-1\n\n新案件 JH-1', buttons: accept },
      },
      { ...handlers, personIds: [2, 3] },
    ]);
  });

  it('leaves notices alone when nobody gets two, or when they cannot be joined', () => {
    const a = notice('a', [1], '甲');
    const b = notice('b', [2], '乙');
    expect(combineNotices([a, b])).toEqual([a, b]);
    const withButtons = notice('c', [1], '丙', accept);
    const after = notice('d', [1], '丁');
    expect(combineNotices([withButtons, after])).toEqual([withButtons, after]);
    expect(combineNotices([])).toEqual([]);
  });
});
