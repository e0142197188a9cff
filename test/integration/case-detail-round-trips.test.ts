import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCaseFactory, type TestPerson } from '../helpers/case-factory.ts';
import { attachCountingReader, type ReadCounts } from '../helpers/counting-reader.ts';
import { createFakeClock } from '../helpers/fake-clock.ts';
import { serveThroughWireLog } from '../helpers/pg-wire-log.ts';
import { createTestApp, type TestApp } from '../helpers/test-app.ts';
import { defaultTestEngine } from '../helpers/test-db.ts';

/**
 * What one case detail (GET /api/cases/:number) costs in round trips (issue 17.5: p99 under
 * 100 ms with 16 clients at 1M cases). Its case, steps, photos and ratings were four reads sent
 * one by one: on PostgreSQL four pooled connections and four round trips per request (16 clients
 * asked 64 connections of a pool of 10), on SQLite four messages to the reader threads. Counted
 * through a wrapper around the real reader (SQLite's threads, PostgreSQL's pool), and on
 * PostgreSQL also on the wire, by a relay that logs what the server is sent. No timing asserted.
 */
const clock = createFakeClock('2026-11-20T04:00:00Z');
const H = 3_600_000;
let t: TestApp;
let counting: ReturnType<typeof attachCountingReader> | undefined;
let admin: TestPerson;
let withPhotos = '';
let plain = '';
let counts: ReadCounts;

beforeAll(async () => {
  t = await createTestApp({ clock: clock.now });
  const f = createCaseFactory(t.db);
  admin = await f.person({ role: 'district_admin' });
  const resident = await f.person({ role: 'resident', name: '王小明' });
  const enforcer = await f.person({ role: 'enforcer', name: '李执法', street: '万松街道' });
  const now = clock.now().getTime();
  const c = await f.case({
    reporterId: resident.id,
    street: '万松街道',
    itemCode: 'SR-001',
    status: 'closed',
    assigneeId: enforcer.id,
    createdAt: new Date(now - 50 * H),
    resolvedAt: new Date(now - 20 * H),
    closedAt: new Date(now - 10 * H),
  });
  await t.db.caseEvent.create({
    data: {
      caseId: c.id,
      type: 'assigned',
      actorId: enforcer.id,
      actorRole: 'enforcer',
      createdAt: new Date(now - 45 * H),
    },
  });
  await f.attachment({ caseId: c.id, path: 'x/1.jpg', uploadedById: enforcer.id });
  await f.rating(c.id, resident.id, 'satisfied');
  withPhotos = c.number;
  plain = (await f.case({ reporterId: resident.id, street: '北湖街道', createdAt: new Date(now - 5 * H) })).number;

  // Every read the detail sends to the reader, counted on its way to the real one.
  counting = attachCountingReader(t);
  counts = counting.counts;
});

afterAll(async () => {
  await counting?.close();
  await t?.close();
});

describe('a case detail', () => {
  it('reads its case, steps, photos and ratings in one trip to the reader', async () => {
    for (const number of [withPhotos, plain]) {
      [counts.trips, counts.statements] = [0, 0];
      const res = await t.app.inject({ url: `/api/cases/${number}`, headers: admin.auth });
      expect(res.statusCode).toBe(200);
      expect(counts.statements).toBe(4);
      expect(counts.trips).toBe(1);
    }
    const body = (await t.app.inject({ url: `/api/cases/${withPhotos}`, headers: admin.auth })).json<{
      events: unknown[];
      attachments: unknown[];
      ratings: unknown[];
    }>();
    expect(body.events.length).toBeGreaterThan(0);
    expect(body.attachments).toHaveLength(1);
    expect(body.ratings).toHaveLength(1);
  });
});

describe.skipIf(defaultTestEngine() !== 'postgres')('a case detail on the wire (PostgreSQL)', () => {
  let served: Awaited<ReturnType<typeof serveThroughWireLog>>;

  beforeAll(async () => {
    served = await serveThroughWireLog(t, clock.now);
  });

  afterAll(async () => {
    await served?.close();
  });

  it('costs the token and one read, access check and photos’ uploaders included, parsed once per connection', async () => {
    const { app, wire } = served;
    const cost = async (number: string) => {
      // Once before: the token's last use is written on its first request, not on each.
      await app.inject({ url: `/api/cases/${number}`, headers: admin.auth });
      wire.statements.length = 0;
      wire.parses.length = 0;
      const res = await app.inject({ url: `/api/cases/${number}`, headers: admin.auth });
      expect(res.statusCode).toBe(200);
      return { statements: [...wire.statements], parses: [...wire.parses] };
    };
    for (const number of [plain, withPhotos]) {
      const { statements, parses } = await cost(number);
      expect(statements, statements.join('\n')).toHaveLength(2);
      expect(statements.filter((s) => /"ApiToken"/.test(s))).toHaveLength(1);
      expect(
        statements.filter((s) => /"CaseEvent"/.test(s) && /"Attachment"/.test(s) && /"Rating"/.test(s)),
      ).toHaveLength(1);
      // Both are named prepared statements: a connection that ran them once parses and plans neither again.
      expect(parses, parses.join('\n')).toHaveLength(0);
    }
  });
});
