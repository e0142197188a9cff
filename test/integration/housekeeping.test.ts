import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFakeClock } from '../helpers/fake-clock.ts';
import { createTestApp, type TestApp } from '../helpers/test-app.ts';
import { tickOnce } from '../helpers/test-scheduler.ts';

const DAY = 86_400_000;
// 03:45 in Wuhan: the nightly housekeeping has come due.
const clock = createFakeClock('2026-03-01T19:45:00.000Z');
const ago = (days: number) => new Date(clock.now().getTime() - days * DAY);
let t: TestApp;

beforeAll(async () => {
  t = await createTestApp({ clock: clock.now });
});
afterAll(async () => t.close());

describe('nightly housekeeping', () => {
  it('purges old processed updates and long-expired web sessions and login links, keeping the rest', async () => {
    await t.db.processedUpdate.createMany({
      data: [
        { channel: 'telegram', updateId: 'old', processedAt: ago(31) },
        { channel: 'telegram', updateId: 'recent', processedAt: ago(2) },
      ],
    });
    await t.db.webSession.createMany({
      data: [
        { tokenHash: 's-long-expired', personId: 1, expiresAt: ago(8) },
        { tokenHash: 's-just-expired', personId: 1, expiresAt: ago(1) },
        { tokenHash: 's-valid', personId: 1, expiresAt: ago(-5) },
      ],
    });
    await t.db.loginLink.createMany({
      data: [
        { tokenHash: 'l-long-expired', personId: 1, expiresAt: ago(8), createdAt: ago(8) },
        { tokenHash: 'l-valid', personId: 1, expiresAt: ago(-1) },
      ],
    });

    await tickOnce(t);

    expect((await t.db.processedUpdate.findMany()).map((r) => r.updateId)).toEqual(['recent']);
    expect((await t.db.webSession.findMany({ orderBy: { id: 'asc' } })).map((r) => r.tokenHash)).toEqual([
      's-just-expired',
      's-valid',
    ]);
    expect((await t.db.loginLink.findMany()).map((r) => r.tokenHash)).toEqual(['l-valid']);
  });
});
