// FILES_STORE=s3 end to end: a resident's web chat report with a photo keeps the original, the
// thumbnail and the public copy in the bucket (none under DATA_DIR), and the case page's photo
// links serve them to staff, with the same access checks and headers as from DATA_DIR.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sha256Hex } from '../../core/evidence/sha256-fns.ts';
import { createCaseFactory } from '../helpers/case-factory.ts';
import { startS3Emulator, type S3Emulator } from '../helpers/s3-emulator.ts';
import { jpeg } from '../helpers/test-images.ts';
import { createWebChatApp, type WebChatApp } from '../helpers/webchat-app.ts';
import { cookiesOf } from '../helpers/cookies.ts';

let s3: S3Emulator;
let t: WebChatApp;
let seq = 0;

beforeAll(async () => {
  s3 = await startS3Emulator();
  t = await createWebChatApp({ env: s3.env });
});
afterAll(async () => {
  await t?.close();
  await s3?.close();
});

interface Visitor {
  cookie: string;
  csrf: string;
}
interface Entry {
  dir: string;
  message: { text?: string; buttons?: Array<Array<{ id: string; label: string }>> };
}

/** Opens /chat as a resident (demo mode: the test server listens on loopback). */
async function visitAsResident(): Promise<Visitor> {
  const chooser = await t.app.inject({ method: 'GET', url: '/chat' });
  const formToken = /name="_csrf" value="([^"]+)"/.exec(chooser.body)![1]!;
  const start = await t.app.inject({
    method: 'POST',
    url: '/chat/start',
    headers: { cookie: cookiesOf(chooser.headers['set-cookie']), 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams({ _csrf: formToken, as: 'resident' }).toString(),
  });
  const cookie = cookiesOf(start.headers['set-cookie']);
  const page = await t.app.inject({ method: 'GET', url: '/chat', headers: { cookie } });
  const boot = JSON.parse(/<script type="application\/json" id="chat-boot">(.*?)<\/script>/s.exec(page.body)![1]!) as {
    csrf: string;
  };
  return { cookie, csrf: boot.csrf };
}

async function say(v: Visitor, body: Record<string, unknown>): Promise<void> {
  const res = await t.app.inject({
    method: 'POST',
    url: '/chat/api/messages',
    headers: { cookie: v.cookie, 'x-csrf-token': v.csrf },
    payload: { clientId: `files-s3-${++seq}-client`, ...body },
  });
  expect(res.statusCode).toBe(202);
  await t.delivery.drain();
}

async function replies(v: Visitor): Promise<Entry[]> {
  const res = await t.app.inject({ method: 'GET', url: '/chat/api/history', headers: { cookie: v.cookie } });
  return (res.json() as { entries: Entry[] }).entries.filter((e) => e.dir === 'out');
}

async function uploadPhoto(v: Visitor, bytes: Buffer): Promise<string> {
  const boundary = '----gridlineFilesS3';
  const payload = Buffer.concat([
    Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="photo"; filename="现场.jpg"\r\nContent-Type: image/jpeg\r\n\r\n`,
    ),
    bytes,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  const res = await t.app.inject({
    method: 'POST',
    url: '/chat/api/photos',
    headers: { cookie: v.cookie, 'x-csrf-token': v.csrf, 'content-type': `multipart/form-data; boundary=${boundary}` },
    payload,
  });
  expect(res.statusCode).toBe(200);
  return (res.json() as { photos: Array<{ key: string }> }).photos[0]!.key;
}

async function bucketKeys(): Promise<string[]> {
  const client = new S3Client({
    endpoint: s3.endpoint,
    region: 'us-east-1',
    forcePathStyle: true,
    credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
  });
  const listed = await client.send(new ListObjectsV2Command({ Bucket: s3.bucket }));
  client.destroy();
  return (listed.Contents ?? []).map((o) => o.Key!).sort();
}

describe('photos in an S3-compatible bucket (FILES_STORE=s3)', () => {
  it('keeps a web chat report’s photo in the bucket and serves it to staff from the case page', async () => {
    const v = await visitAsResident();
    const photo = await jpeg(320, 240, { lat: 30.5912, lng: 114.2601 });
    await say(v, { text: '人行道上有人摆摊卖烤红薯，把路都占了' });
    await say(v, { photos: [await uploadPhoto(v, photo)] });
    await say(v, { location: { lat: 30.5912, lng: 114.2601 } });
    const confirm = (await replies(v))
      .flatMap((e) => e.message.buttons?.flat() ?? [])
      .filter((b) => b.label === '确认提交')
      .at(-1);
    expect(confirm).toBeDefined();
    await say(v, { button: confirm!.id, label: confirm!.label });
    const number = /JH-\d{8}-\d{4}/.exec((await replies(v)).map((e) => e.message.text ?? '').join('\n'))?.[0];
    expect(number).toBeDefined();

    // The original is in the bucket, under the usual key; its thumbnail and public copy come on
    // first view (below).
    const stored = await t.db.case.findUniqueOrThrow({
      where: { number: number! },
      include: { attachments: true, street: true },
    });
    expect(stored.attachments).toHaveLength(1);
    const att = stored.attachments[0]!;
    const sha = sha256Hex(photo);
    expect(att.sha256).toBe(sha);
    expect(await bucketKeys()).toEqual([`evidence/${sha.slice(0, 2)}/${sha.slice(2, 4)}/${sha}.jpg`]);
    expect(att.path).toBe(`evidence/${sha.slice(0, 2)}/${sha.slice(2, 4)}/${sha}.jpg`);
    // Nothing under DATA_DIR.
    for (const folder of ['evidence', 'thumbs', 'public']) expect(existsSync(path.join(t.dir, folder))).toBe(false);

    // The street's team lead opens the case page; its photo links serve the bytes from the bucket.
    const lead = await createCaseFactory(t.db).person({
      role: 'team_lead',
      street: stored.street!.name,
      name: '张队长',
    });
    const cookie = `gl_session=${(await t.app.sessions.open(lead.id)).token}`;
    const page = await t.app.inject({ url: `/cases/${number}`, headers: { cookie } });
    expect(page.statusCode).toBe(200);
    const original = /<a href="(\/api\/attachments\/[^"]+)"><img src="(\/attachments\/[^"]+\/thumb)"/.exec(page.body);
    expect(original).not.toBeNull();

    const full = await t.app.inject({ url: original![1]!, headers: { cookie } });
    expect(full.statusCode).toBe(200);
    expect(full.rawPayload.equals(photo)).toBe(true);
    expect(full.headers).toMatchObject({
      'content-type': 'image/jpeg',
      'content-length': String(photo.length),
      'cache-control': 'private, max-age=3600',
      'x-content-type-options': 'nosniff',
      'content-disposition': 'inline',
      etag: `"${sha}"`,
    });
    const thumb = await t.app.inject({ url: original![2]!, headers: { cookie } });
    expect(thumb.statusCode).toBe(200);
    expect(thumb.headers['content-type']).toBe('image/jpeg');
    expect(sha256Hex(thumb.rawPayload)).not.toBe(sha);
    expect(thumb.rawPayload.subarray(0, 2).toString('hex')).toBe('ffd8'); // a JPEG
    // The thumbnail's first view put it and the public copy in the bucket, under the usual keys.
    expect([att.path, att.thumbPath, att.publicPath].sort()).toEqual((await bucketKeys()).sort());
    expect(await bucketKeys()).toEqual(
      [`evidence/${sha.slice(0, 2)}/${sha.slice(2, 4)}/${sha}.jpg`, `public/${sha}.jpg`, `thumbs/${sha}.jpg`].sort(),
    );

    // Another street's team lead gets the same 404 as before: the access checks did not move.
    const other = await createCaseFactory(t.db).person({ role: 'team_lead', street: '北湖街道', name: '北湖队长' });
    const otherCookie = `gl_session=${(await t.app.sessions.open(other.id)).token}`;
    expect((await t.app.inject({ url: original![1]!, headers: { cookie: otherCookie } })).statusCode).toBe(404);
    expect((await t.app.inject({ url: original![2]!, headers: { cookie: otherCookie } })).statusCode).toBe(404);
  });
});
