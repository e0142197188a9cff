import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import sharp from 'sharp';
import { createCaseFactory, type TestPerson } from '../helpers/case-factory.ts';
import { createFakeClock } from '../helpers/fake-clock.ts';
import { createTestApp, type TestApp } from '../helpers/test-app.ts';
import { jpeg } from '../helpers/test-images.ts';

let t: TestApp;
let app: FastifyInstance;
let resident: TestPerson;
let lead: TestPerson;
const N: Record<string, string> = {};
const A: Record<string, string> = {}; // attachment keys (what URLs name them by)
let closedId: number;
let resolvedId: number;

const REPORT_TEXT = '我是李四，住万松园路12号，电话13812345678，楼下有人占道经营';
// Issue 13.6: names after person words, the reporter's own name (李四, from the record), a phone in
// Chinese numerals and a plate must not reach the public.
const OUTCOME =
  '已联系当事人（13912345678，身份证420103198001011234，微信@wang_xm），联系人：王小明，摊主赵六已将摊点清理，' +
  '车辆鄂A·D12345已驶离，已回复李四，回访电话一三九一二三四五六七八。';

// 30 November 2026, noon in Wuhan: the default statistics period is the 30 days up to today.
const clock = createFakeClock('2026-11-30T04:00:00Z');

beforeAll(async () => {
  t = await createTestApp({ clock: clock.now });
  app = t.app;
  const f = createCaseFactory(t.db);
  resident = await f.person({ role: 'resident', name: '李四', phone: '13812345678' });
  lead = await f.person({ role: 'team_lead', street: '万松街道', name: '张队长', phone: '13700000000' });
  const closed = await f.case({
    reporterId: resident.id,
    street: '万松街道',
    itemCode: 'SR-001',
    status: 'closed',
    text: REPORT_TEXT,
    address: '万松园路12号',
    lat: 30.593456,
    lng: 114.27851,
    outcome: OUTCOME,
    mode721: 'service',
    assigneeId: lead.id,
    createdAt: '2026-11-20T02:00:00Z',
    resolvedAt: '2026-11-20T06:00:00Z',
    closedAt: '2026-11-21T17:00:00Z',
  });
  const open = await f.case({
    reporterId: resident.id,
    street: '万松街道',
    itemCode: 'SR-001',
    status: 'accepted',
    text: '另一个报告',
    outcome: '处理中',
    // Pinned like every fixture here: the statistics below ask for November 2026, whatever today is.
    createdAt: '2026-11-25T02:00:00Z',
  });
  await f.case({
    reporterId: resident.id,
    street: '北湖街道',
    itemCode: 'HW-001',
    status: 'closed',
    createdAt: '2026-11-01T02:00:00Z',
    closedAt: '2026-11-02T02:00:00Z',
  });
  Object.assign(N, { closed: closed.number, open: open.number });
  closedId = closed.id;
  await f.rating(closed.id, resident.id, 'basic', '2026-11-22T03:00:00Z'); // inside the stats period

  mkdirSync(path.join(t.dir, 'photos'), { recursive: true });
  for (const name of ['orig.jpg', 'public.jpg', 'reporter.jpg', 'open.jpg'])
    writeFileSync(path.join(t.dir, 'photos', name), name);
  const resolved = await f.event(closed.id, { type: 'resolved', actorId: lead.id, actorRole: 'team_lead' });
  const verified = await f.event(closed.id, { type: 'verified', actorId: lead.id, actorRole: 'team_lead' });
  resolvedId = resolved.id;
  A.staff = (
    await f.attachment({
      caseId: closed.id,
      eventId: resolved.id,
      path: 'photos/orig.jpg',
      publicPath: 'photos/public.jpg',
      uploadedById: lead.id,
    })
  ).publicKey;
  A.reporter = (
    await f.attachment({
      caseId: closed.id,
      path: 'photos/reporter.jpg',
      publicPath: 'photos/reporter.jpg',
      eventId: resolved.id, // even on the resolution event: a resident's photo is never published
      uploadedById: resident.id,
    })
  ).publicKey;
  A.noPublic = (
    await f.attachment({ caseId: closed.id, eventId: resolved.id, path: 'photos/orig.jpg', uploadedById: lead.id })
  ).publicKey;
  // A handler's photo of another step (here: verification) is not a resolution photo.
  A.otherStep = (
    await f.attachment({
      caseId: closed.id,
      eventId: verified.id,
      path: 'photos/orig.jpg',
      publicPath: 'photos/public.jpg',
      uploadedById: lead.id,
    })
  ).publicKey;
  A.open = (
    await f.attachment({
      caseId: open.id,
      path: 'photos/open.jpg',
      publicPath: 'photos/open.jpg',
      uploadedById: lead.id,
    })
  ).publicKey;
});
afterAll(async () => t?.close());

interface PublicBody {
  items: Array<Record<string, unknown> & { number: string; photos: string[] }>;
  total: number;
}

describe('GET /api/public/cases', () => {
  it('lists closed cases only, newest closure first, with no login', async () => {
    const res = await app.inject('/api/public/cases');
    expect(res.statusCode).toBe(200);
    const body = res.json() as PublicBody;
    expect(body.total).toBe(2);
    expect(body.items[0]!.number).toBe(N.closed);
    expect(body.items.map((i) => i.number)).not.toContain(N.open);
  });

  it('shows the matter, handler, coarse location, redacted outcome, dates, 721 and satisfaction', async () => {
    const item = ((await app.inject('/api/public/cases')).json() as PublicBody).items[0]!;
    expect(item).toEqual({
      number: N.closed,
      matter: expect.stringContaining('占道经营') as unknown,
      itemCode: 'SR-001',
      post: '市容市政',
      department: null,
      street: '万松街道',
      location: { lat: 30.593, lng: 114.279 },
      outcome:
        '已联系当事人（[电话已隐去]，身份证[证件号已隐去]，微信[账号已隐去]），联系人：[姓名已隐去]，摊主[姓名已隐去]已将摊点清理，' +
        '车辆鄂A*****已驶离，已回复[姓名已隐去]，回访电话[电话已隐去]。',
      createdDate: '2026-11-20',
      closedDate: '2026-11-22', // 17:00Z is 01:00 the next day in Wuhan
      mode721: 'service',
      mode721Label: '服务（劝导）',
      satisfaction: 'basic',
      satisfactionLabel: '基本满意',
      photos: [`/api/public/attachments/${A.staff}`],
    });
  });

  it('carries no personal data anywhere in the response', async () => {
    const raw = (await app.inject('/api/public/cases')).body;
    for (const secret of [
      '李四',
      '张队长',
      '13812345678',
      '13912345678',
      '13700000000',
      '420103198001011234',
      'wang_xm',
      '王小明',
      '赵六',
      'D12345',
      '一三九一二三四五六七八',
      '万松园路12号',
      '楼下有人',
      '30.593456',
      '114.27851',
      'reporterId',
      'phone',
    ]) {
      expect(raw, secret).not.toContain(secret);
    }
  });

  it('filters by street and closing date and pages', async () => {
    const bh = (await app.inject(`/api/public/cases?street=${encodeURIComponent('北湖街道')}`)).json() as PublicBody;
    expect(bh.total).toBe(1);
    const nov = (await app.inject('/api/public/cases?from=2026-11-22&to=2026-11-22')).json() as PublicBody;
    expect(nov.items.map((i) => i.number)).toEqual([N.closed]);
    const p2 = (await app.inject('/api/public/cases?pageSize=1&page=2')).json() as PublicBody;
    expect(p2.items).toHaveLength(1);
    expect((await app.inject('/api/public/cases?pageSize=500')).statusCode).toBe(400);
  });
});

describe('GET /api/public/attachments/:key', () => {
  it('serves the EXIF-stripped copy of a handler photo on a closed case', async () => {
    const res = await app.inject(`/api/public/attachments/${A.staff}`);
    expect(res.statusCode).toBe(200);
    expect(res.body).toBe('public.jpg'); // the public copy, never the original
  });

  it('serves the copy of a photo nobody viewed yet (made on first view), without its EXIF', async () => {
    const photo = await jpeg(320, 240, { lat: 30.5934, lng: 114.2785, takenAt: '2026:11:20 14:00:00' });
    const stored = await t.domain.evidence.ingest(photo, { uploadedById: lead.id });
    const att = await t.db.attachment.update({
      where: { id: stored.attachmentId },
      data: { caseId: closedId, eventId: resolvedId },
    });
    const res = await app.inject(`/api/public/attachments/${att.publicKey}`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('image/jpeg');
    expect(res.rawPayload.includes('Exif\0\0', 0, 'latin1')).toBe(false);
    const meta = await sharp(res.rawPayload).metadata();
    expect([meta.width, meta.height, meta.exif]).toEqual([320, 240, undefined]);
  });

  it('is 404, never a 500, when the copy cannot be made because the stored original does not decode', async () => {
    const whole = await jpeg(320, 240);
    writeFileSync(path.join(t.dir, 'photos', 'cut.jpg'), whole.subarray(0, Math.floor(whole.length * 0.6)));
    const att = await createCaseFactory(t.db).attachment({
      caseId: closedId,
      eventId: resolvedId,
      path: 'photos/cut.jpg',
      publicPath: 'public/cut-copy.jpg',
      uploadedById: lead.id,
    });
    const res = await app.inject(`/api/public/attachments/${att.publicKey}`);
    expect(res.statusCode).toBe(404);
    expect(res.body).toContain('文件不存在');
  });

  it('is 404 for reporter photos, other steps’ photos, photos without a public copy, open cases and integer ids', async () => {
    for (const id of [A.reporter, A.otherStep, A.noPublic, A.open, 'nope', 1, 2]) {
      expect((await app.inject(`/api/public/attachments/${id}`)).statusCode, String(id)).toBe(404);
    }
  });
});

describe('GET /api/public/stats', () => {
  it('gives district totals only, without per-street figures', async () => {
    const res = await app.inject('/api/public/stats?from=2026-11-01&to=2026-11-30');
    expect(res.statusCode).toBe(200);
    const body = res.json() as Record<string, unknown> & { totals: Record<string, unknown> };
    expect(body.scope).toBe('江汉区');
    expect(body.streets).toBeUndefined();
    expect(body.totals).toMatchObject({ total: 3, closed: 2, satisfactionRate: 1, mode721: { service: 1 } });
    expect(JSON.stringify(body)).not.toContain('万松街道');
    const byMonth = await app.inject('/api/public/stats?month=2026-11');
    expect(byMonth.json()).toEqual(body);
  });

  it('refuses anonymous callers a long or unaligned period, but not a staff token', async () => {
    for (const q of [
      'from=2024-12-07&to=2026-12-06',
      'from=2026-11-03&to=2026-11-20',
      'from=2026-11-01T00:00:00Z&to=2026-11-30',
    ]) {
      const res = await app.inject(`/api/public/stats?${q}`);
      expect(res.statusCode, q).toBe(400);
      expect(res.json().error.message).toContain('工作人员令牌');
    }
    const staff = await app.inject({
      url: '/api/public/stats?from=2024-12-07&to=2026-12-06',
      headers: lead.auth,
    });
    expect(staff.statusCode).toBe(200);
    expect(staff.json().totals.total).toBe(3);
  });

  it("counts the default period back from the app's clock, not from the machine's", async () => {
    const body = (await app.inject('/api/public/stats')).json() as { period: { from: string; to: string } } & {
      totals: Record<string, unknown>;
    };
    expect(body.period).toEqual({ from: '2026-10-31T16:00:00.000Z', to: '2026-11-30T16:00:00.000Z' });
    expect(body.totals).toMatchObject({ total: 3, closed: 2 });
  });
});

describe('OpenAPI', () => {
  it('documents the public and statistics routes', async () => {
    const doc = (await app.inject('/docs/json')).json() as { paths: Record<string, unknown> };
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining(['/api/public/cases', '/api/public/stats', '/api/public/attachments/{key}', '/api/stats']),
    );
  });
});
