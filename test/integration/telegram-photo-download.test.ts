// The Telegram photo download (bot/telegram/telegram-photos.ts) against a real HTTP server that
// misbehaves the ways a file server can: no Content-Length, a body larger than announced, a
// connection cut mid-body, an error status, a stall.
import { createServer, type Server, type ServerResponse } from 'node:http';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../config/logger.ts';
import { createPhotoEvidence } from '../../core/evidence/photo-evidence.ts';
import { createAttachmentStore } from '../../db/attachment-store.ts';
import { createTelegramPhotos } from '../../bot/telegram/telegram-photos.ts';
import { createLocalFileStore } from '../../storage/local-file-store.ts';
import { createFakeClock } from '../helpers/fake-clock.ts';
import { createTestDb } from '../helpers/test-db.ts';
import { jpeg, noisyJpeg } from '../helpers/test-images.ts';

const LIMIT = 64 * 1024;
const t = await createTestDb();
const person = (await t.db.person.create({ data: { displayName: '测试居民', role: 'resident' } })).id;
const photo = await jpeg(320, 240, { takenAt: '2026:03:02 09:15:30', lat: 30.58, lng: 114.27 });
const big = await noisyJpeg(640, 480);
let server: Server;
let root: string;
const routes: Record<string, (res: ServerResponse) => void> = {
  '/ok': (res) => res.writeHead(200, { 'content-length': photo.length }).end(photo),
  '/chunked-ok': (res) => {
    res.writeHead(200); // no Content-Length: chunked
    res.write(photo.subarray(0, 1000));
    res.end(photo.subarray(1000));
  },
  '/chunked-big': (res) => {
    res.writeHead(200);
    for (let at = 0; at < big.length; at += 16 * 1024) res.write(big.subarray(at, at + 16 * 1024));
    res.end();
  },
  '/announced-big': (res) => res.writeHead(200, { 'content-length': big.length }).end(big),
  '/cut': (res) => {
    res.writeHead(200, { 'content-length': photo.length });
    res.write(photo.subarray(0, photo.length >> 1), () => res.socket?.destroy());
  },
  '/missing': (res) => res.writeHead(404).end('not found'),
  '/stall': (res) => {
    res.writeHead(200, { 'content-length': photo.length });
    res.write(photo.subarray(0, 100)); // and never more
  },
};

beforeAll(async () => {
  server = createServer((req, res) => routes[req.url ?? '']?.(res));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  root = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
  await t.db.$disconnect();
});

const photos = createTelegramPhotos({
  // The Bot API's two calls: the file's path, then its download address (here the test server).
  api: {
    getFile: async (fileId) => ({ file_id: fileId, file_unique_id: fileId, file_path: fileId }),
    getFileLink: async (file) => new URL(`${root}/${file.file_path}`),
  },
  evidence: createPhotoEvidence({
    files: createLocalFileStore(path.join(t.dir, 'data')),
    maxBytes: LIMIT,
    store: createAttachmentStore(t.db),
    clock: createFakeClock('2026-03-02T02:00:00Z').now,
  }),
  maxBytes: LIMIT,
  downloadLimit: 20 * 1024 * 1024,
  logger: createLogger({ LOG_LEVEL: 'silent' } as never),
  timeoutMs: 500,
});
const fetchOne = (route: string) =>
  photos.fetch([{ kind: 'document', fileId: route, declaredMime: 'image/jpeg' }], {
    draftKey: `telegram:download:${route}`,
    uploadedById: person,
  });

describe('Telegram photo download', () => {
  it('stores a photo sent with or without Content-Length', async () => {
    for (const route of ['ok', 'chunked-ok']) {
      const got = await fetchOne(route);
      expect(got.refusals).toEqual([]);
      expect(got.photos).toHaveLength(1);
      expect(got.photos[0]!.exifLat).toBeCloseTo(30.58, 2);
    }
  });

  it('refuses a body over the limit, announced or not, in the words of the evidence store', async () => {
    expect(big.length).toBeGreaterThan(LIMIT);
    for (const route of ['chunked-big', 'announced-big']) {
      const got = await fetchOne(route);
      expect(got.photos).toEqual([]);
      expect(got.refusals).toEqual(['照片超过 64 KB，请压缩后重新发送']);
    }
  });

  it('says the photo was not received when the server cuts, fails or stalls', async () => {
    for (const route of ['cut', 'missing', 'stall']) {
      const got = await fetchOne(route);
      expect(got.photos).toEqual([]);
      expect(got.refusals).toEqual(['照片接收失败，请稍后重新发送。']);
    }
    expect(
      await t.db.attachment.count({
        where: { draftKey: { in: ['cut', 'missing', 'stall'].map((r) => `telegram:download:${r}`) } },
      }),
    ).toBe(0);
  });
});
