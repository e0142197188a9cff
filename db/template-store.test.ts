import { afterAll, describe, expect, it } from 'vitest';
import { NotFoundError, ValidationError } from '../core/errors.ts';
import { createTestDb } from '../test/helpers/test-db.ts';
import { createTemplateStore } from './template-store.ts';

const t = await createTestDb();
afterAll(() => t.db.$disconnect());
const defaults = {
  'schedule.reminder': '【即将到期】案件{number}（{matter}）将于{due}到期，请及时处置。',
  plain: '收到',
};

describe('template store', () => {
  it('an administrator edit applies at once to the catalogue and survives a restart', async () => {
    const store = createTemplateStore(t.db, defaults);
    await store.load();
    const t1 = store.catalogue();
    const vars = { number: 'JH-1', matter: '占道经营', due: '3月2日 18:00' };
    expect(t1.t('schedule.reminder', vars)).toBe('【即将到期】案件JH-1（占道经营）将于3月2日 18:00到期，请及时处置。');

    await store.setTemplate('schedule.reminder', '请注意：{number}（{matter}）期限 {due}');
    expect(t1.t('schedule.reminder', vars)).toBe('请注意：JH-1（占道经营）期限 3月2日 18:00');

    const restarted = createTemplateStore(t.db, defaults);
    expect(await restarted.load()).toEqual({ loaded: 1, ignored: [] });
    expect(restarted.catalogue().t('schedule.reminder', vars)).toBe('请注意：JH-1（占道经营）期限 3月2日 18:00');
    const entry = (await restarted.list()).find((e) => e.key === 'schedule.reminder');
    expect(entry).toMatchObject({ overridden: true, placeholders: ['number', 'matter', 'due'] });
    expect(entry?.updatedAt).toBeInstanceOf(Date);

    await restarted.resetTemplate('schedule.reminder');
    expect(restarted.catalogue().t('schedule.reminder', vars)).toContain('【即将到期】');
    expect(await t.db.responseTemplate.count()).toBe(0);
  });

  it('refuses a text that drops a placeholder, and unknown keys', async () => {
    const store = createTemplateStore(t.db, defaults);
    await expect(store.setTemplate('schedule.reminder', '案件{number}快到期了')).rejects.toThrow(ValidationError);
    await expect(store.setTemplate('schedule.reminder', '案件{number}快到期了')).rejects.toThrow(
      '缺少占位符：{matter}、{due}',
    );
    await expect(store.setTemplate('nope', 'x')).rejects.toThrow(NotFoundError);
    expect(await t.db.responseTemplate.count()).toBe(0);
  });

  it('ignores stored overrides that no longer fit their default', async () => {
    await t.db.responseTemplate.create({ data: { key: 'schedule.reminder', text: '旧模板{number}' } });
    await t.db.responseTemplate.create({ data: { key: 'removed.key', text: 'x' } });
    await t.db.responseTemplate.create({ data: { key: 'plain', text: '好的，收到' } });
    const store = createTemplateStore(t.db, defaults);
    expect(await store.load()).toEqual({ loaded: 1, ignored: ['removed.key', 'schedule.reminder'] });
    expect(store.catalogue().t('plain')).toBe('好的，收到');
  });
});
