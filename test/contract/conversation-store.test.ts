import { expect, it } from 'vitest';
import { createConversationStore } from '../../db/conversation-store.ts';
import { forEachEngine } from './engines.ts';

forEachEngine((t) => {
  const key = { channel: 'telegram' as const, chatId: '100', userId: '7' };

  it('saves, loads and clears a chat’s flow state, dates and nested data intact', async () => {
    const store = createConversationStore(t().db);
    expect(await store.load(key)).toBeNull();
    const expiresAt = new Date('2026-12-01T03:04:05.678Z');
    await store.save(key, { flow: 'report', step: 'photo', data: { text: '占道经营', n: [1, 2] }, expiresAt });
    expect(await store.load(key)).toEqual({
      flow: 'report',
      step: 'photo',
      data: { text: '占道经营', n: [1, 2] },
      expiresAt,
    });
    await store.save(key, { flow: 'report', step: 'confirm', data: {}, expiresAt: null });
    expect(await store.load(key)).toEqual({ flow: 'report', step: 'confirm', data: {}, expiresAt: null });
    await store.clear(key);
    expect(await store.load(key)).toBeNull();
  });

  it('lists expired drafts oldest first, written by the raw path and read through Prisma', async () => {
    const store = createConversationStore(t().db);
    const other = { ...key, chatId: '200' };
    await store.save(other, { flow: 'report', step: 'text', data: {}, expiresAt: new Date('2026-01-01T00:00:02Z') });
    await store.save(key, { flow: 'report', step: 'text', data: {}, expiresAt: new Date('2026-01-01T00:00:01Z') });
    const expired = await store.expired(new Date('2026-01-01T00:00:02Z'), 10);
    expect(expired.map((e) => [e.chatId, e.expiresAt?.toISOString()])).toEqual([
      ['100', '2026-01-01T00:00:01.000Z'],
      ['200', '2026-01-01T00:00:02.000Z'],
    ]);
    expect(await store.expired(new Date('2026-01-01T00:00:01.500Z'), 10)).toHaveLength(1);
  });
});
