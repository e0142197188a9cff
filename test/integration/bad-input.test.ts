import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCaseFactory } from '../helpers/case-factory.ts';
import { png } from '../helpers/test-images.ts';
import { createWebChatApp, type WebChatApp } from '../helpers/webchat-app.ts';
import { cookiesOf } from '../helpers/cookies.ts';

// Bad HTTP input gets a 4xx with a Chinese message, never a 500, and nothing is made up from it.
let t: WebChatApp;
let cookie = '';
let csrf = '';

beforeAll(async () => {
  t = await createWebChatApp();
  const chooser = await t.app.inject({ url: '/chat' });
  const start = await t.app.inject({
    method: 'POST',
    url: '/chat/start',
    headers: { cookie: cookiesOf(chooser.headers['set-cookie']), 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams({
      _csrf: /name="_csrf" value="([^"]+)"/.exec(chooser.body)![1]!,
      as: 'resident',
    }).toString(),
  });
  cookie = cookiesOf(start.headers['set-cookie']);
  const page = await t.app.inject({ url: '/chat', headers: { cookie } });
  csrf = (JSON.parse(/id="chat-boot">(.*?)<\/script>/s.exec(page.body)![1]!) as { csrf: string }).csrf;
});
afterAll(() => t.close());

describe('uploads', () => {
  it('answers 400 to a truncated multipart upload', async () => {
    const boundary = '----gridlinecut';
    const bytes = await png();
    const whole = Buffer.concat([
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="photo"; filename="a.png"\r\nContent-Type: image/png\r\n\r\n`,
      ),
      bytes,
      Buffer.from(`\r\n--${boundary}--\r\n`),
    ]);
    const cut = whole.subarray(0, whole.length - bytes.length / 2 - 20); // the connection dropped mid-file
    const res = await t.app.inject({
      method: 'POST',
      url: '/chat/api/photos',
      headers: { cookie, 'x-csrf-token': csrf, 'content-type': `multipart/form-data; boundary=${boundary}` },
      payload: cut,
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.message).toMatch(/上传不完整/);
  });
});

describe('uploads cut after a whole photo', () => {
  it('answer 400 and keep the photo that arrived whole', async () => {
    const boundary = '----gridlinecut2';
    const bytes = await png();
    const part = (name: string) =>
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="photo"; filename="${name}"\r\nContent-Type: image/png\r\n\r\n`,
      );
    const payload = Buffer.concat([part('a.png'), bytes, Buffer.from('\r\n'), part('b.png'), bytes.subarray(0, 40)]);
    const res = await t.app.inject({
      method: 'POST',
      url: '/chat/api/photos',
      headers: { cookie, 'x-csrf-token': csrf, 'content-type': `multipart/form-data; boundary=${boundary}` },
      payload,
    });
    expect(res.statusCode).toBe(400);
    const body = res.json() as { error: { message: string }; photos: Array<{ key: string }> };
    expect(body.error.message).toMatch(/上传不完整/);
    expect(body.photos).toHaveLength(1);
    expect(await t.db.attachment.findUnique({ where: { publicKey: body.photos[0]!.key } })).not.toBeNull();
  });
});

describe('coordinates', () => {
  it('never turns {"lat":null,"lng":null} into (0,0)', async () => {
    const resident = await createCaseFactory(t.db).person({ role: 'resident', name: '李四' });
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/cases',
      headers: resident.auth,
      payload: { text: '江汉关这边人行道上有流动摊贩摆摊卖烤红薯，占了大半条路', lat: null, lng: null },
    });
    expect(res.statusCode).toBe(201); // null means "no location": routed by the text alone
    const c = await t.db.case.findFirstOrThrow({ where: { reporterId: resident.id } });
    expect(c.lat).toBeNull();
    expect(c.lng).toBeNull();
  });

  it('refuses a null pin in the web chat rather than placing it at (0,0)', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/chat/api/messages',
      headers: { cookie, 'x-csrf-token': csrf },
      payload: { clientId: 'null-pin-000001', location: { lat: null, lng: null } },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.message).toContain('请求参数不正确');
    const lines = await t.db.webChatMessage.count({ where: { clientId: 'null-pin-000001' } });
    expect(lines).toBe(0);
  });

  it('refuses a number sent as true or as a string of words', async () => {
    const resident = await createCaseFactory(t.db).person({ role: 'resident', name: '王五' });
    for (const lat of [true, 'abc', [30.5]]) {
      const res = await t.app.inject({
        method: 'POST',
        url: '/api/cases',
        headers: resident.auth,
        payload: { text: '路边有人乱倒建筑垃圾', lat, lng: 114.27 },
      });
      expect(res.statusCode, JSON.stringify(lat)).toBe(400);
    }
  });
});

describe('public photos', () => {
  it('are served as the JPEG they are, whatever the original was', async () => {
    const f = createCaseFactory(t.db);
    const reporter = await f.person({ role: 'resident' });
    const lead = await f.person({ role: 'team_lead', street: '万松街道' });
    const closed = await f.case({ reporterId: reporter.id, street: '万松街道', itemCode: 'SR-001', status: 'closed' });
    const stored = await t.domain.evidence.ingest(await png(), { uploadedById: lead.id, declaredMime: 'image/png' });
    // Published only as the handler's resolution photo (the allow-list), so attach it to that event.
    const resolved = await f.event(closed.id, { type: 'resolved', actorId: lead.id, actorRole: 'team_lead' });
    const row = await t.db.attachment.update({
      where: { id: stored.attachmentId },
      data: { caseId: closed.id, eventId: resolved.id },
    });
    const res = await t.app.inject({ url: `/api/public/attachments/${row.publicKey}` });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('image/jpeg');
    expect(res.rawPayload.subarray(0, 3).toString('hex')).toBe('ffd8ff');
  });
});
