// The stores every chat message goes through: identities, handled-update claims with their
// replies, on both engines.
import { expect, it } from 'vitest';
import { createConversationStore } from '../../db/conversation-store.ts';
import { createIdentityStore } from '../../db/identity-store.ts';
import { createOutboxStore } from '../../db/outbox-store.ts';
import { createHandledMessageStore } from '../../db/processed-update-store.ts';
import { forEachEngine } from './engines.ts';

forEachEngine((t) => {
  it('a newcomer becomes one resident, even when their first two messages arrive at once', async () => {
    const ids = createIdentityStore(t().db);
    const [a, b] = await Promise.all([
      ids.resolve('telegram', 'u1', 'u1', '张三'),
      ids.resolve('telegram', 'u1', '-100', '张三'),
    ]);
    expect(a.actor.personId).toBe(b.actor.personId);
    expect([a.isNew, b.isNew].sort()).toEqual([false, true]);
    expect(a.actor).toMatchObject({ role: 'resident', displayName: '张三', streetId: null });
    expect(await t().db.person.count({ where: { id: a.actor.personId, active: true } })).toBe(1);
    // The message that lost the race made nobody: no person without a chat account is left.
    expect(await t().db.person.count({ where: { displayName: '张三' } })).toBe(1);
    const again = await ids.resolve('telegram', 'u1', 'u1-new', undefined);
    expect(again).toMatchObject({ isNew: false, actor: { personId: a.actor.personId } });
    const identity = await t().db.chatIdentity.findFirstOrThrow({ where: { externalId: 'u1' } });
    expect(identity.chatId).toBe('u1-new');
  });

  it('a deactivated staff member keeps their chat but acts as a resident', async () => {
    const p = await t().db.person.create({ data: { displayName: '队长', role: 'team_lead', active: false } });
    await t().db.chatIdentity.create({ data: { channel: 'web', externalId: 'lead', chatId: 'lead', personId: p.id } });
    const { actor } = await createIdentityStore(t().db).resolve('web', 'lead', 'lead', undefined);
    expect(actor).toMatchObject({ personId: p.id, role: 'resident' });
  });

  it('commits an update once, with its flow state and replies, and refuses the same update again', async () => {
    const outbox = createOutboxStore(t().db);
    const store = createHandledMessageStore(t().db, outbox);
    const message = { channel: 'telegram' as const, chatId: '300', userId: '300', updateId: 'upd-1', text: '你好' };
    const key = { channel: 'telegram' as const, chatId: '300', userId: '300' };
    const handled = {
      replies: [{ text: '请描述问题' }, { text: '并发送照片' }],
      state: { key, next: { flow: 'report', step: 'text', data: { a: 1 }, expiresAt: null } },
    };
    expect(await store.seen('telegram', 'upd-1')).toBe(false);
    expect(await store.commit({ message, handled, replyKeyBase: 'reply:upd-1' })).toBe(true);
    expect(await store.seen('telegram', 'upd-1')).toBe(true);
    expect(await store.commit({ message, handled, replyKeyBase: 'reply:upd-1b' })).toBe(false);
    const rows = await t().db.outboxMessage.findMany({ where: { chatId: '300' }, orderBy: { id: 'asc' } });
    expect(rows.map((r) => [r.dedupeKey, JSON.parse(r.payload).text, r.priority])).toEqual([
      ['reply:upd-1:0', '请描述问题', 0],
      ['reply:upd-1:1', '并发送照片', 0],
    ]);
    expect(await createConversationStore(t().db).load(key)).toMatchObject({ flow: 'report', step: 'text' });
  });

  it('tells a repeated update at arrival, and (PostgreSQL) brings the sender and the chat state read with it', async () => {
    const store = createHandledMessageStore(t().db, createOutboxStore(t().db));
    const message = { channel: 'telegram' as const, chatId: '302', userId: '302', updateId: 'arr-1', text: '你好' };
    const key = { channel: 'telegram' as const, chatId: '302', userId: '302' };
    const first = await store.arrive(message);
    expect(first.seen).toBe(false);
    // On SQLite the handler reads them itself (in-process reads cost less than a joined one).
    if (t().engine === 'postgres') expect(first.snapshot).toEqual({ account: null, state: null });
    else expect(first.snapshot).toBeUndefined();
    const { actor } = await createIdentityStore(t().db).resolve(
      'telegram',
      '302',
      '302',
      '李四',
      first.snapshot?.account,
    );
    const state = {
      flow: 'report',
      step: 'location',
      data: { text: '垃圾' },
      expiresAt: new Date('2026-11-20T03:00:00Z'),
    };
    expect(
      await store.commit({
        message,
        handled: { replies: [], state: { key, next: state } },
        replyKeyBase: 'reply:arr-1',
      }),
    ).toBe(true);
    expect(await store.arrive(message)).toEqual({ seen: true });
    const next = await store.arrive({ ...message, updateId: 'arr-2' });
    expect(next.seen).toBe(false);
    if (t().engine === 'postgres')
      expect(next.snapshot).toEqual({
        account: {
          personId: actor.personId,
          role: 'resident',
          streetId: null,
          departmentId: null,
          displayName: '李四',
          active: true,
          identityId: expect.any(Number),
          chatId: '302',
          blocked: false,
        },
        state,
      });
    // A message without an update id is never a repeat.
    expect((await store.arrive({ ...message, updateId: undefined })).seen).toBe(false);
    // The account as read is what resolve would have read: the same person, not a new one.
    const again = await createIdentityStore(t().db).resolve(
      'telegram',
      '302',
      '302',
      undefined,
      next.snapshot?.account,
    );
    expect(again).toEqual({ actor, isNew: false });
  });

  it('two processes racing to commit one update: exactly one wins, and its replies are queued once', async () => {
    const outbox = createOutboxStore(t().db);
    const store = createHandledMessageStore(t().db, outbox);
    const message = { channel: 'telegram' as const, chatId: '301', userId: '301', updateId: 'race' };
    const results = await Promise.all(
      [0, 1, 2].map((i) =>
        store.commit({ message, handled: { replies: [{ text: `回复${i}` }] }, replyKeyBase: `reply:race:${i}` }),
      ),
    );
    expect(results.filter(Boolean)).toHaveLength(1);
    expect(await t().db.outboxMessage.count({ where: { chatId: '301' } })).toBe(1);
  });
});
