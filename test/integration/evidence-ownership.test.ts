// Issue 13, items 1–3, as the security review quoted them, through HTTP: photos belong to their
// uploader, a duplicate report is not a key to someone else's case, and residents' photos are
// never published.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCaseFactory } from '../helpers/case-factory.ts';
import { createFakeClock } from '../helpers/fake-clock.ts';
import { createTestApp, type TestApp } from '../helpers/test-app.ts';
import { jpeg } from '../helpers/test-images.ts';

let t: TestApp;
type Who = { auth: string; personId: number };
let victim: Who;
let attacker: Who;
let neighbour: Who;
let lead: Who;
let f: ReturnType<typeof createCaseFactory>;

const clock = createFakeClock('2026-11-30T02:00:00.000Z');
const VICTIM_TEXT = '江汉关这边人行道上有流动摊贩摆摊卖烤红薯，占了大半条路，我住三楼天天看到';
const POINT = { lat: 30.5823, lng: 114.2842 };
const HOME_GPS = { lat: 30.58231, lng: 114.28427 };

const post = (who: Who, url: string, payload: object = {}) =>
  t.app.inject({ method: 'POST', url, headers: { authorization: who.auth }, payload });
const get = (who: Who, url: string) => t.app.inject({ url, headers: { authorization: who.auth } });

interface Detail {
  number: string;
  text: string;
  lat: number | null;
  lng: number | null;
  address: string | null;
  reporter: unknown;
  events: Array<{ note: string | null }>;
  attachments: Array<{ id?: number; url: string; exifLat: number | null }>;
  outcome: string | null;
}

let victimCase = '';
let victimPhotoId = 0;
let victimPhotoUrl = '';
let victimStreet = '';

async function photoOf(who: Who): Promise<number> {
  const bytes = await jpeg(64, 48, { ...HOME_GPS, takenAt: '2026:11:30 09:00:00' });
  return (await t.domain.evidence.ingest(bytes, { uploadedById: who.personId })).attachmentId;
}

beforeAll(async () => {
  t = await createTestApp({ clock: clock.now });
  f = createCaseFactory(t.db); // one factory: its case numbers are unique per instance
  victim = await t.staff('resident', { name: '受害居民' });
  attacker = await t.staff('resident', { name: '攻击者' });
  neighbour = await t.staff('resident', { name: '被举报的邻居' });
  victimPhotoId = await photoOf(victim);
  const res = await post(victim, '/api/cases', { text: VICTIM_TEXT, ...POINT, attachmentIds: [victimPhotoId] });
  expect(res.statusCode, res.body).toBe(201);
  const body = res.json() as { case: { number: string; street: string } };
  victimCase = body.case.number;
  victimStreet = body.case.street;
  lead = await t.staff('team_lead', { street: victimStreet });
  const detail = (await get(victim, `/api/cases/${victimCase}`)).json() as Detail;
  victimPhotoUrl = detail.attachments[0]!.url;
});
afterAll(async () => t?.close());

describe('photos belong to someone (issue 13.1)', () => {
  it('refuses another person’s photo on a new report with 403, and the victim’s case keeps it', async () => {
    const res = await post(attacker, '/api/cases', {
      text: '花楼街口有人占道经营摆摊',
      ...POINT,
      attachmentIds: [victimPhotoId],
    });
    expect(res.statusCode, res.body).toBe(403);
    expect(res.json()).toMatchObject({ error: { code: 'forbidden' } });
    const row = await t.db.attachment.findUniqueOrThrow({ where: { id: victimPhotoId }, include: { case: true } });
    expect(row.case?.number).toBe(victimCase);
    expect((await get(attacker, victimPhotoUrl)).statusCode).toBe(404);
    expect((await get(victim, victimPhotoUrl)).statusCode).toBe(200);
  });

  it('refuses an unknown photo id with 400 and opens no case', async () => {
    const before = await t.db.case.count();
    const res = await post(attacker, '/api/cases', { text: '花楼街口有人占道经营摆摊', attachmentIds: [987_654] });
    expect(res.statusCode, res.body).toBe(400);
    expect((res.json() as { error: { message: string } }).error.message).toMatch(/照片/);
    expect(await t.db.case.count()).toBe(before);
  });

  it('refuses someone else’s photo on a resolve action with 403 and resolves nothing', async () => {
    const draftPhoto = await photoOf(neighbour); // in a draft, on no case yet
    expect((await post(lead, `/api/cases/${victimCase}/actions/accept`)).statusCode).toBe(200);
    const res = await post(lead, `/api/cases/${victimCase}/actions/resolve`, {
      note: '已劝离',
      mode721: 'service',
      attachmentIds: [draftPhoto],
    });
    expect(res.statusCode, res.body).toBe(403);
    const row = await t.db.attachment.findUniqueOrThrow({ where: { id: draftPhoto } });
    expect(row.caseId).toBeNull();
    expect((await t.db.case.findUniqueOrThrow({ where: { number: victimCase } })).status).toBe('accepted');
  });

  it('names attachments in URLs by an unguessable key, never by the sequential id', async () => {
    expect(victimPhotoUrl).toMatch(/^\/api\/attachments\/[A-Za-z0-9_-]{22,}$/);
    // The last segment is the key: a random key may begin with the id's digits (1 in 64 began with "1").
    expect(victimPhotoUrl.split('/').at(-1)).not.toBe(String(victimPhotoId));
    expect((await get(victim, `/api/attachments/${victimPhotoId}`)).statusCode).toBe(404);
  });
});

describe('a duplicate is not a key (issue 13.2)', () => {
  let own = '';

  beforeAll(async () => {
    const res = await post(neighbour, '/api/cases', { text: '人行道上有人摆摊卖红薯占道', ...POINT });
    expect(res.statusCode, res.body).toBe(201);
    const body = res.json() as { outcome: string; case: { number: string }; existing: { number: string } };
    expect(body.outcome).toBe('duplicate');
    expect(body.existing.number).toBe(victimCase);
    own = body.case.number;
  });

  it('a resident merged into another’s case sees the public view and their own report, not the reporter’s text or photo', async () => {
    const res = await get(neighbour, `/api/cases/${victimCase}`);
    expect(res.statusCode).toBe(200);
    const d = res.json() as Detail;
    expect(res.body).not.toContain('三楼');
    expect(d.text).toBe('人行道上有人摆摊卖红薯占道');
    expect(d.reporter).toBeNull();
    expect(d.lat === null || Math.round(d.lat * 1000) === d.lat * 1000).toBe(true);
    expect(d.attachments.map((a) => a.url)).not.toContain(victimPhotoUrl);
    expect(JSON.stringify(d.attachments)).not.toContain(String(HOME_GPS.lat));
    expect((await get(neighbour, victimPhotoUrl)).statusCode).toBe(404);
    const list = (await get(neighbour, '/api/cases')).json() as { items: Array<{ number: string; text: string }> };
    expect(list.items.find((i) => i.number === victimCase)?.text).not.toContain('三楼');
    expect(list.items.map((i) => i.number)).toContain(own);
  });

  it('a staff member who merges a case they follow into another street’s case sees only the follower view', async () => {
    const otherStreet = victimStreet === '万松街道' ? '北湖街道' : '万松街道';
    const otherLead = await t.staff('team_lead', { street: otherStreet });
    const mine = await f.case({ reporterId: otherLead.personId, street: otherStreet, status: 'dispatched' });
    const merged = await post(otherLead, `/api/cases/${mine.number}/actions/merge`, { targetCaseNumber: victimCase });
    expect(merged.statusCode, merged.body).toBe(200);
    const res = await get(otherLead, `/api/cases/${victimCase}`);
    expect(res.statusCode).toBe(200);
    const d = res.json() as Detail;
    expect(res.body).not.toContain('三楼');
    expect(d.reporter).toBeNull();
    expect(d.attachments.map((a) => a.url)).not.toContain(victimPhotoUrl);
    expect((await get(otherLead, victimPhotoUrl)).statusCode).toBe(404);
    // The dashboard's case page and the export read the same view.
    const cookie = `gl_session=${(await t.app.sessions.open(otherLead.personId)).token}`;
    for (const url of [`/cases/${victimCase}`, '/exports/cases.csv']) {
      const page = await t.app.inject({ url, headers: { cookie } });
      expect(page.statusCode, url).toBe(200);
      expect(page.body, url).toContain(victimCase);
      expect(page.body, url).not.toContain('三楼');
      expect(page.body, url).not.toContain(String(POINT.lng));
    }
  });
});

describe('residents’ photos are never published (issue 13.3)', () => {
  it('publishes only the handler’s resolution photos, never a resident photo stored without its uploader', async () => {
    const resident = await t.staff('resident');
    const c = await f.case({
      reporterId: resident.personId,
      street: victimStreet,
      status: 'closed',
      outcome: '已清理',
    });
    const submitted = await f.event(c.id, { type: 'submitted', actorId: resident.personId, actorRole: 'reporter' });
    const resolved = await f.event(c.id, { type: 'resolved', actorId: lead.personId, actorRole: 'team_lead' });
    const bytes = await jpeg(64, 48, HOME_GPS);
    // How a Telegram photo sent as a file used to be stored: no uploader.
    const residentPhoto = await t.domain.evidence.ingest(bytes, {});
    const handlerPhoto = await t.domain.evidence.ingest(await jpeg(48, 64), { uploadedById: lead.personId });
    const otherStaff = await t.domain.evidence.ingest(await jpeg(50, 50), { uploadedById: lead.personId });
    await t.db.attachment.update({
      where: { id: residentPhoto.attachmentId },
      data: { caseId: c.id, eventId: submitted.id },
    });
    await t.db.attachment.update({
      where: { id: handlerPhoto.attachmentId },
      data: { caseId: c.id, eventId: resolved.id },
    });
    await t.db.attachment.update({ where: { id: otherStaff.attachmentId }, data: { caseId: c.id, eventId: null } });

    const res = await t.app.inject('/api/public/cases');
    const item = (res.json() as { items: Array<{ number: string; photos: string[] }> }).items.find(
      (i) => i.number === c.number,
    )!;
    const key = async (id: number) => (await t.db.attachment.findUniqueOrThrow({ where: { id } })).publicKey;
    expect(item.photos).toEqual([`/api/public/attachments/${await key(handlerPhoto.attachmentId)}`]);
    expect((await t.app.inject(item.photos[0]!)).statusCode).toBe(200);
    for (const id of [residentPhoto.attachmentId, otherStaff.attachmentId]) {
      expect((await t.app.inject(`/api/public/attachments/${await key(id)}`)).statusCode).toBe(404);
      expect((await t.app.inject(`/api/public/attachments/${id}`)).statusCode).toBe(404);
    }
  });
});
