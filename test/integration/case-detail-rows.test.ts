import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { caseDetailRecord } from '../../db/case-detail-rows.ts';
import { attachReaderPool, createReaderPool, type ReaderPool } from '../../db/reader-pool.ts';
import { createCaseFactory, type TestPerson } from '../helpers/case-factory.ts';
import { createFakeClock } from '../helpers/fake-clock.ts';
import { createTestApp, type TestApp } from '../helpers/test-app.ts';

/**
 * The case detail reads its case with four plain statements on the reader pool
 * (db/case-detail-rows.ts) instead of a Prisma include on the main thread: the record must be
 * the include's, field for field, and GET /api/cases/:number the same with or without the pool.
 */
const NOW = new Date('2026-11-20T04:00:00Z');
const H = 3_600_000;
let t: TestApp;
let pool: ReaderPool | null = null;
let admin: TestPerson;
let lead: TestPerson;
const ids: number[] = [];
const numbers: string[] = [];

const viaPrisma = (id: number) =>
  t.db.case.findUniqueOrThrow({
    where: { id },
    include: {
      street: { select: { name: true } },
      department: { select: { name: true } },
      item: { select: { code: true, name: true, legalBasis: true, version: { select: { version: true } } } },
      reporter: { select: { displayName: true, phone: true } },
      assignee: { select: { displayName: true } },
      mergedInto: { select: { number: true } },
      events: { orderBy: { id: 'asc' }, include: { actor: { select: { displayName: true } } } },
      attachments: { orderBy: { id: 'asc' } },
      ratings: { orderBy: { id: 'asc' } },
    },
  });

beforeAll(async () => {
  t = await createTestApp({ clock: createFakeClock(NOW).now });
  const f = createCaseFactory(t.db);
  admin = await f.person({ role: 'district_admin' });
  const resident = await f.person({ role: 'resident', name: '王小明', phone: '13912345678' });
  lead = await f.person({ role: 'team_lead', name: '张队长', street: '万松街道' });
  const enforcer = await f.person({ role: 'enforcer', name: '李执法', street: '万松街道' });
  const main = await f.case({
    reporterId: resident.id,
    street: '万松街道',
    itemCode: 'SR-001',
    status: 'closed',
    text: '青年路 12 号占道经营，电话 13912345678',
    address: '青年路12号',
    lat: 30.59,
    lng: 114.27,
    urgent: true,
    assigneeId: enforcer.id,
    outcome: '已整改',
    mode721: 'management',
    postponed: true,
    reworkCount: 1,
    createdAt: new Date(NOW.getTime() - 50 * H),
    dueAt: new Date(NOW.getTime() - 10 * H),
    responseDueAt: new Date(NOW.getTime() - 40 * H),
    resolvedAt: new Date(NOW.getTime() - 20 * H),
  });
  const merged = await f.case({ reporterId: resident.id, status: 'merged', department: '市场监管', dueAt: null });
  await t.db.case.update({ where: { id: merged.id }, data: { mergedIntoId: main.id, needsTriage: true } });
  const ev = await t.db.caseEvent.create({
    data: {
      caseId: main.id,
      type: 'assigned',
      actorId: lead.id,
      actorRole: 'team_lead',
      note: '请尽快处理',
      createdAt: new Date(NOW.getTime() - 45 * H),
    },
  });
  await t.db.caseEvent.create({
    data: { caseId: main.id, type: 'dispatched', actorRole: 'system', createdAt: new Date(NOW.getTime() - 49 * H) },
  });
  await t.db.attachment.create({
    data: {
      caseId: main.id,
      eventId: ev.id,
      sha256: 'a'.repeat(64),
      mime: 'image/jpeg',
      size: 1234,
      path: 'x/1.jpg',
      exifTakenAt: new Date(NOW.getTime() - 46 * H),
      exifLat: 30.5,
      exifLng: 114.2,
      uploadedById: enforcer.id,
    },
  });
  await t.db.attachment.create({
    data: {
      caseId: main.id,
      sha256: 'b'.repeat(64),
      mime: 'image/png',
      size: 9,
      path: 'x/2.png',
      uploadedById: resident.id,
    },
  });
  await f.rating(main.id, resident.id, 'unsatisfied');
  await t.db.rating.create({ data: { caseId: main.id, personId: resident.id, score: 'satisfied', comment: '谢谢' } });
  await t.db.caseSubscriber.create({ data: { caseId: main.id, personId: lead.id } });
  ids.push(main.id, merged.id);
  numbers.push(main.number, merged.number);
  if (t.engine === 'sqlite') pool = createReaderPool(t.url, 1);
});

afterAll(async () => {
  await pool?.close();
  await t.close();
});

describe('case detail record', () => {
  it('is what the Prisma include gave, on the main connection and on the reader pool', async () => {
    const details = await Promise.all(
      numbers.map((n) => t.app.inject({ url: `/api/cases/${n}`, headers: admin.auth })),
    );
    const pick = (want: object, got: object) =>
      Object.fromEntries(Object.keys(got).map((k) => [k, (want as Record<string, unknown>)[k]]));
    const strip = (r: Awaited<ReturnType<typeof viaPrisma>>) => ({
      ...r,
      events: r.events.map((e) => ({
        id: e.id,
        type: e.type,
        fromStatus: e.fromStatus,
        toStatus: e.toStatus,
        actorRole: e.actorRole,
        note: e.note,
        createdAt: e.createdAt,
        actor: e.actor,
      })),
      attachments: r.attachments.map((a) => ({
        publicKey: a.publicKey,
        mime: a.mime,
        size: a.size,
        sha256: a.sha256,
        exifTakenAt: a.exifTakenAt,
        exifLat: a.exifLat,
        exifLng: a.exifLng,
        createdAt: a.createdAt,
        uploadedById: a.uploadedById,
      })),
      ratings: r.ratings.map((x) => ({
        personId: x.personId,
        score: x.score,
        comment: x.comment,
        createdAt: x.createdAt,
      })),
    });
    // The record without the access facts read with it (checked below).
    const record = async (i: number, viewerId = admin.id) => {
      const { viewerFollows: _f, uploaderRoles: _u, ...got } = (await caseDetailRecord(t.db, numbers[i]!, viewerId))!;
      return got;
    };
    for (const [i, id] of ids.entries()) {
      const want = strip(await viaPrisma(id));
      const got = await record(i);
      expect(got).toEqual(pick(want, got));
    }
    expect(await caseDetailRecord(t.db, 'JH-20261120-9999', admin.id)).toBeNull();
    // What the access rules need comes with it: the viewer's subscription, the uploaders' roles.
    for (const pooled of [false, true]) {
      if (pooled && !pool) continue;
      if (pooled) attachReaderPool(t.db, pool!);
      expect(await caseDetailRecord(t.db, numbers[0]!, lead.id)).toMatchObject({
        viewerFollows: true,
        uploaderRoles: ['enforcer', 'resident'],
      });
      expect(await caseDetailRecord(t.db, numbers[0]!, admin.id)).toMatchObject({ viewerFollows: false });
      expect(await caseDetailRecord(t.db, numbers[1]!, lead.id)).toMatchObject({
        viewerFollows: false,
        uploaderRoles: [],
      });
    }
    // The reader threads are SQLite's (PostgreSQL's reads above were already one statement).
    if (pool) {
      attachReaderPool(t.db, pool);
      for (const [i, id] of ids.entries()) {
        const want = strip(await viaPrisma(id));
        const got = await record(i);
        expect(got).toEqual(pick(want, got));
      }
      const pooled = await Promise.all(
        numbers.map((n) => t.app.inject({ url: `/api/cases/${n}`, headers: admin.auth })),
      );
      expect(pooled.map((r) => r.statusCode)).toEqual([200, 200]);
      expect(pooled.map((r) => r.json())).toEqual(details.map((r) => r.json()));
    }
    expect(details[0]!.json<{ events: unknown[]; attachments: unknown[]; ratings: unknown[] }>()).toMatchObject({
      events: expect.arrayContaining([expect.objectContaining({ actorName: '张队长', note: '请尽快处理' })]),
      attachments: expect.any(Array),
      ratings: [expect.objectContaining({ score: 'unsatisfied' }), expect.objectContaining({ comment: '谢谢' })],
    });
  });
});
