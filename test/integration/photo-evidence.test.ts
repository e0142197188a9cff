import { createHash } from 'node:crypto';
import { chmodSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import exifr from 'exifr';
import sharp from 'sharp';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import type { Logger } from '../../config/logger.ts';
import { hevcDecodable } from '../../core/evidence/photo-decode.ts';
import { PhotoRejectedError } from '../../core/evidence/photo-errors.ts';
import { createPhotoEvidence, type PhotoEvidence } from '../../core/evidence/photo-evidence.ts';
import type { FileStore } from '../../core/evidence/file-store-port.ts';
import type { OpenedFile } from '../../core/evidence/photo-types.ts';
import { createAttachmentStore } from '../../db/attachment-store.ts';
import { createLocalFileStore } from '../../storage/local-file-store.ts';
import { createFakeClock } from '../helpers/fake-clock.ts';
import { createTestDb, type TestDb } from '../helpers/test-db.ts';
import { animatedGif, jpeg, noisyJpeg, phoneJpeg, png, syntheticHeic } from '../helpers/test-images.ts';

const WUHAN = { lat: 30.5801, lng: 114.2734 };
const MB = 1024 * 1024;

let dataDir: string;
let evidence: PhotoEvidence;
let warnings: string[];
let run = 0;

const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');
const recordingLogger = () => {
  const log = (level: string) => (obj: unknown, msg?: string) => void warnings.push(`${level}: ${msg ?? String(obj)}`);
  return { info: log('info'), warn: log('warn'), error: log('error') } as unknown as Pick<
    Logger,
    'info' | 'warn' | 'error'
  >;
};
const newEvidence = (maxBytes = 20 * MB) =>
  createPhotoEvidence({
    files: createLocalFileStore(dataDir),
    maxBytes,
    store: createAttachmentStore(t.db),
    clock: createFakeClock('2026-03-02T02:00:00Z').now,
    logger: recordingLogger(),
  });

/** The bytes of an opened file (its stream read to the end). */
async function bytesOf(file: OpenedFile | null): Promise<Buffer> {
  const chunks: Uint8Array[] = [];
  for await (const chunk of file!.body) chunks.push(chunk);
  return Buffer.concat(chunks);
}

/** Every file under DATA_DIR, relative, forward slashes. */
function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((f) => statSync(path.join(dir, f)).isFile())
    .map((f) => f.split(path.sep).join('/'))
    .sort();
}

async function rejection(p: Promise<unknown>): Promise<PhotoRejectedError> {
  const err: unknown = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(PhotoRejectedError);
  return err as PhotoRejectedError;
}

const t: TestDb = await createTestDb();
const residentId: number = (await t.db.person.create({ data: { displayName: '测试居民', role: 'resident' } })).id;
afterAll(() => t.db.$disconnect());
beforeEach(() => {
  dataDir = path.join(t.dir, `data-${++run}`);
  mkdirSync(dataDir, { recursive: true });
  warnings = [];
  evidence = newEvidence();
});

describe('photo evidence: storing', () => {
  it('keeps the original byte for byte, content-addressed, with a thumbnail and a public copy', async () => {
    const bytes = await jpeg(64, 48);
    const stored = await evidence.ingest(bytes, {
      uploadedById: residentId,
      draftKey: 'web:c1:u1',
      declaredMime: 'image/jpeg',
      fileName: 'a.jpg',
    });
    const hash = sha256(bytes);
    expect(stored).toEqual({
      attachmentId: expect.any(Number),
      key: expect.stringMatching(/^[A-Za-z0-9_-]{22}$/) as unknown, // 128 random bits, base64url
      sha256: hash,
      mime: 'image/jpeg',
      size: bytes.length,
      width: 64,
      height: 48,
      exifTakenAt: null,
      exifLat: null,
      exifLng: null,
      duplicate: false,
    });

    const row = await t.db.attachment.findUniqueOrThrow({ where: { id: stored.attachmentId } });
    expect(row).toMatchObject({
      sha256: hash,
      mime: 'image/jpeg',
      size: bytes.length,
      uploadedById: residentId,
      draftKey: 'web:c1:u1',
      caseId: null,
    });
    expect(row.path).toBe(`evidence/${hash.slice(0, 2)}/${hash.slice(2, 4)}/${hash}.jpg`);
    expect(row.thumbPath).toBe(`thumbs/${hash}.jpg`);
    expect(row.publicPath).toBe(`public/${hash}.jpg`);
    expect(row.createdAt.toISOString()).toBe('2026-03-02T02:00:00.000Z');

    const original = readFileSync(path.join(dataDir, row.path));
    expect(original.equals(bytes)).toBe(true);
    expect(sha256(original)).toBe(hash);
    expect(statSync(path.join(dataDir, row.path)).mode & 0o777).toBe(0o444);
    // Atomic writes leave no temporary files behind. An upright JPEG's copies are made on first
    // view (photo-copies.test.ts), not at intake.
    expect(filesUnder(dataDir)).toEqual([row.path]);
    await bytesOf(await evidence.openThumbnail(stored.attachmentId));
    expect(filesUnder(dataDir)).toEqual([row.path, row.publicPath, row.thumbPath].sort());
  });

  it('reads EXIF time (as Shanghai time) and GPS, keeps them in the original and strips them from the copies', async () => {
    const bytes = await jpeg(64, 48, { takenAt: '2026:03:02 09:15:30', ...WUHAN });
    const stored = await evidence.ingest(bytes, { uploadedById: residentId });
    expect(stored.exifTakenAt?.toISOString()).toBe('2026-03-02T01:15:30.000Z');
    expect(stored.exifLat).toBeCloseTo(WUHAN.lat, 4);
    expect(stored.exifLng).toBeCloseTo(WUHAN.lng, 4);
    const row = await t.db.attachment.findUniqueOrThrow({ where: { id: stored.attachmentId } });
    expect(row.exifTakenAt?.toISOString()).toBe('2026-03-02T01:15:30.000Z');
    expect(row.exifLat).toBeCloseTo(WUHAN.lat, 4);

    const original = await evidence.openOriginal(stored.attachmentId);
    const pub = await evidence.openPublic(stored.attachmentId);
    const thumb = await evidence.openThumbnail(stored.attachmentId);
    expect(original?.mime).toBe('image/jpeg');
    const originalBytes = await bytesOf(original);
    expect(original?.size).toBe(originalBytes.length);
    expect(sha256(originalBytes)).toBe(stored.sha256);
    expect((await exifr.gps(originalBytes))?.latitude).toBeCloseTo(WUHAN.lat, 4);

    for (const copy of [pub!, thumb!]) {
      expect(copy.mime).toBe('image/jpeg');
      const copyBytes = await bytesOf(copy);
      const tags = (await exifr.parse(copyBytes, { gps: true }).catch(() => undefined)) as
        Record<string, unknown> | undefined;
      expect(tags?.latitude).toBeUndefined();
      expect(tags?.DateTimeOriginal).toBeUndefined();
      const meta = await sharp(copyBytes).metadata();
      expect(meta.exif).toBeUndefined();
      expect(meta.xmp).toBeUndefined();
    }
  });

  it('applies the EXIF orientation to the reported size and to the copies', async () => {
    const stored = await evidence.ingest(await jpeg(64, 48, { orientation: 6 }));
    expect([stored.width, stored.height]).toEqual([48, 64]);
    const thumb = await sharp(await bytesOf(await evidence.openThumbnail(stored.attachmentId))).metadata();
    expect([thumb.width, thumb.height, thumb.orientation ?? 1]).toEqual([48, 64, 1]);
  });

  it('bounds the copies: thumbnail 480 px, public copy 1600 px', async () => {
    const stored = await evidence.ingest(await jpeg(2000, 1000));
    const size = async (f: Promise<OpenedFile | null>) => {
      const m = await sharp(await bytesOf(await f)).metadata();
      return [m.width, m.height];
    };
    expect(await size(evidence.openThumbnail(stored.attachmentId))).toEqual([480, 240]);
    expect(await size(evidence.openPublic(stored.attachmentId))).toEqual([1600, 800]);
  });

  it('accepts PNG (transparency flattened in the copies) and keeps it as .png', async () => {
    const stored = await evidence.ingest(await png(40, 30, true), { declaredMime: 'image/jpeg' });
    expect(stored).toMatchObject({ mime: 'image/png', width: 40, height: 30 });
    expect((await t.db.attachment.findUniqueOrThrow({ where: { id: stored.attachmentId } })).path).toMatch(/\.png$/);
    expect(await sharp(await bytesOf(await evidence.openPublic(stored.attachmentId))).metadata()).toMatchObject({
      format: 'jpeg',
      hasAlpha: false,
    });
    expect(warnings.some((w) => w.includes('declared'))).toBe(true);
  });

  it('stores the same photo once but gives each upload its own row', async () => {
    const bytes = await jpeg(64, 48, { takenAt: '2026:03:01 18:00:00', ...WUHAN });
    const a = await evidence.ingest(bytes, { draftKey: 'draft-a' });
    const b = await evidence.ingest(bytes, { draftKey: 'draft-b', uploadedById: residentId });
    expect(a.duplicate).toBe(false);
    expect(b).toMatchObject({ duplicate: true, sha256: a.sha256, exifLat: a.exifLat, exifTakenAt: a.exifTakenAt });
    expect(b.attachmentId).not.toBe(a.attachmentId);
    const rows = await t.db.attachment.findMany({ where: { sha256: a.sha256 }, orderBy: { id: 'asc' } });
    expect(rows.map((r) => r.draftKey)).toEqual(['draft-a', 'draft-b']);
    expect(new Set(rows.map((r) => r.path)).size).toBe(1);
    expect(filesUnder(dataDir)).toHaveLength(1); // the copies come on first view
    await bytesOf(await evidence.openThumbnail(b.attachmentId));
    expect(filesUnder(dataDir)).toHaveLength(3);
    expect(await evidence.draftAttachmentIds('draft-b')).toEqual([b.attachmentId]);
  });

  it('asks the database about a photo only when its original is on disk or the check would be a request', async () => {
    const rows = createAttachmentStore(t.db);
    let lookups = 0;
    const store = {
      ...rows,
      findFirstBySha256: (sha: string) => {
        lookups += 1;
        return rows.findFirstBySha256(sha);
      },
    };
    const local = createLocalFileStore(dataDir);
    const ingest = (files: FileStore, bytes: Buffer) =>
      createPhotoEvidence({
        files,
        maxBytes: 20 * MB,
        store,
        clock: createFakeClock('2026-03-02T02:00:00Z').now,
      }).ingest(bytes);
    const bytes = await jpeg(64, 48, { takenAt: '2026:03:01 18:00:00' });
    expect((await ingest(local, bytes)).duplicate).toBe(false);
    expect(lookups).toBe(0); // no file, so no row: files come first
    expect((await ingest(local, bytes)).duplicate).toBe(true);
    expect(lookups).toBe(1);
    // A bucket's check is a request, dearer than the query: there the rows are asked first.
    const bucketLike: FileStore = { ...local, cheapHas: false };
    expect((await ingest(bucketLike, await jpeg(64, 48, { takenAt: '2026:03:01 18:05:00' }))).duplicate).toBe(false);
    expect(lookups).toBe(2);
  });

  it('looks for each copy of a re-encoded photo once on its first upload, and skips them for a duplicate', async () => {
    const local = createLocalFileStore(dataDir);
    const looked: string[] = [];
    const files: FileStore = {
      ...local,
      has: (key, sha) => {
        looked.push(key.split('/')[0]!);
        return local.has(key, sha);
      },
    };
    const ev = createPhotoEvidence({
      files,
      maxBytes: 20 * MB,
      store: createAttachmentStore(t.db),
      clock: createFakeClock('2026-03-02T02:00:00Z').now,
    });
    const turned = await jpeg(64, 48, { orientation: 6 }); // re-encoded upright at intake
    await ev.ingest(turned);
    expect(looked.sort()).toEqual(['evidence', 'public', 'thumbs']);
    looked.length = 0;
    await ev.ingest(turned);
    // The original (there, so its hash is checked), then both copies (there: nothing decoded).
    expect(looked.sort()).toEqual(['evidence', 'evidence', 'public', 'thumbs']);
  });

  it('restores a missing or damaged original when the same photo arrives again', async () => {
    const bytes = await jpeg(64, 48);
    const a = await evidence.ingest(bytes);
    const file = path.join(dataDir, (await t.db.attachment.findUniqueOrThrow({ where: { id: a.attachmentId } })).path);
    rmSync(file);
    expect(await evidence.openOriginal(a.attachmentId)).toBeNull(); // missing file: a 404, logged
    expect(warnings.some((w) => w.startsWith('error: attachment file missing'))).toBe(true);
    await evidence.ingest(bytes);
    expect(sha256(readFileSync(file))).toBe(a.sha256);

    chmodSync(file, 0o644);
    writeFileSync(file, 'tampered');
    await evidence.ingest(bytes);
    expect(sha256(readFileSync(file))).toBe(a.sha256);
    expect(warnings.some((w) => w.startsWith('error: stored original did not match'))).toBe(true);
  });

  // The copies come from one decode of the photo (photo-decode.ts): these hold for that pipeline.
  it('makes both copies of a phone photo upright, bounded and EXIF-free, and keeps the original as sent', async () => {
    const bytes = await phoneJpeg({ takenAt: '2026:03:02 09:15:30', orientation: 6, ...WUHAN });
    const stored = await evidence.ingest(bytes, { uploadedById: residentId });
    expect([stored.width, stored.height]).toEqual([1728, 2304]);
    expect(stored.exifLat).toBeCloseTo(WUHAN.lat, 4);
    expect((await bytesOf(await evidence.openOriginal(stored.attachmentId))).equals(bytes)).toBe(true);
    const copies = [
      [await evidence.openPublic(stored.attachmentId), [1200, 1600]],
      [await evidence.openThumbnail(stored.attachmentId), [360, 480]],
    ] as const;
    for (const [copy, size] of copies) {
      const copyBytes = await bytesOf(copy);
      const meta = await sharp(copyBytes).metadata();
      expect([meta.format, meta.width, meta.height, meta.orientation ?? 1]).toEqual(['jpeg', ...size, 1]);
      expect([meta.exif, meta.xmp, meta.icc]).toEqual([undefined, undefined, undefined]);
      expect(await exifr.gps(copyBytes).catch(() => undefined)).toBeUndefined();
    }
  });

  it('keeps colours in the copies of CMYK, grey and 16-bit photos', async () => {
    const solid = (channels: 3 | 4) =>
      sharp({ create: { width: 64, height: 48, channels, background: { r: 200, g: 40, b: 40, alpha: 1 } } });
    const inputs = [
      await solid(3).toColourspace('cmyk').jpeg().toBuffer(),
      await solid(3).toColourspace('b-w').jpeg().toBuffer(),
      await solid(3).toColourspace('rgb16').png().toBuffer(),
    ];
    for (const input of inputs) {
      const stored = await evidence.ingest(input);
      // stats() reads the image as stored, so the reference is written out in sRGB first.
      const means = async (bytes: Buffer) => (await sharp(bytes).stats()).channels.map((c) => c.mean);
      const want = await means(await sharp(input).flatten().toColourspace('srgb').png().toBuffer());
      const got = await means(await bytesOf(await evidence.openPublic(stored.attachmentId)));
      expect(got).toHaveLength(want.length);
      for (const [c, value] of want.entries()) expect(Math.abs(got[c]! - value)).toBeLessThan(4);
    }
  });

  it('accepts a still WebP (no EXIF reader for it: time and place stay empty)', async () => {
    const webp = await sharp({ create: { width: 30, height: 20, channels: 3, background: '#369' } })
      .webp()
      .toBuffer();
    expect(await evidence.ingest(webp)).toMatchObject({
      mime: 'image/webp',
      width: 30,
      height: 20,
      exifTakenAt: null,
      exifLat: null,
    });
  });

  it('returns null for unknown attachments', async () => {
    expect(await evidence.openOriginal(999_999)).toBeNull();
    expect(await evidence.openPublic(999_999)).toBeNull();
  });
});

describe('photo evidence: refusals', () => {
  const countRows = () => t.db.attachment.count();

  it('refuses oversized input before looking at it', async () => {
    const small = newEvidence(2048);
    const err = await rejection(small.ingest(Buffer.alloc(2049, 0x41))); // text: would be not_an_image if sniffed
    expect(err.reason).toBe('too_large');
    expect(err.code).toBe('validation_error');
    expect(err.message).toBe('照片超过 2 KB，请压缩后重新发送');
  });

  it('says the limit in MB', async () => {
    const err = await rejection(newEvidence(20 * MB).ingest(Buffer.alloc(20 * MB + 1)));
    expect(err.message).toBe('照片超过 20 MB，请压缩后重新发送');
  });

  it('refuses empty input', async () => {
    expect((await rejection(evidence.ingest(Buffer.alloc(0)))).reason).toBe('empty');
  });

  it('refuses a text file named .jpg, and writes nothing', async () => {
    const before = await countRows();
    const err = await rejection(
      evidence.ingest(Buffer.from('这不是照片 just some text\n'.repeat(20)), {
        declaredMime: 'image/jpeg',
        fileName: 'photo.jpg',
      }),
    );
    expect(err.reason).toBe('not_an_image');
    expect(err.message).toBe('这不是图片文件，请发送 JPG、PNG 或 HEIC 照片');
    expect(await countRows()).toBe(before);
    expect(filesUnder(dataDir)).toEqual([]);
  });

  it('refuses a truncated JPEG as corrupt, and writes nothing', async () => {
    const full = await noisyJpeg();
    const before = await countRows();
    const err = await rejection(evidence.ingest(full.subarray(0, Math.floor(full.length * 0.6))));
    expect(err.reason).toBe('corrupt');
    expect(await countRows()).toBe(before);
    expect(filesUnder(dataDir)).toEqual([]);
  });

  it('refuses a phone photo cut off in its scan data, and writes nothing', async () => {
    const full = await phoneJpeg({ ...WUHAN });
    const before = await countRows();
    const err = await rejection(evidence.ingest(full.subarray(0, Math.floor(full.length * 0.9))));
    expect(err.reason).toBe('corrupt');
    expect(err.message).toBe('照片文件已损坏或不完整，无法打开，请重新拍摄或重新发送');
    expect(await countRows()).toBe(before);
    expect(filesUnder(dataDir)).toEqual([]);
  });

  it('refuses a fake photo: a JPEG signature followed by junk', async () => {
    const fake = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(500, 0x37)]);
    expect((await rejection(evidence.ingest(fake))).reason).toBe('corrupt');
  });

  it('refuses a header claiming more than 100 megapixels (decompression bomb)', async () => {
    const bytes = Buffer.from(await jpeg(16, 16));
    const sof = bytes.indexOf(Buffer.from([0xff, 0xc0]));
    // 120 megapixels: over our 100 MP limit, under sharp's own default (268 MP).
    bytes.writeUInt16BE(10_000, sof + 5); // height
    bytes.writeUInt16BE(12_000, sof + 7); // width
    const err = await rejection(evidence.ingest(bytes));
    expect(err.reason).toBe('too_large');
    expect(err.message).toContain('分辨率过大');
  });

  it('refuses animated GIFs, formats outside the list and other files', async () => {
    expect((await rejection(evidence.ingest(await animatedGif()))).reason).toBe('unsupported_format');
    const tiff = await sharp({ create: { width: 8, height: 8, channels: 3, background: '#000' } })
      .tiff()
      .toBuffer();
    expect((await rejection(evidence.ingest(tiff))).reason).toBe('unsupported_format');
    const pdf = Buffer.from('%PDF-1.4\n%âãÏÓ\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n', 'latin1');
    expect((await rejection(evidence.ingest(pdf))).reason).toBe('not_an_image');
  });
});

describe('photo evidence: HEIC from iPhones', () => {
  // Sharp's prebuilt libvips has no HEVC decoder; with one, this filler HEVC would be refused as corrupt.
  it.skipIf(hevcDecodable())('keeps a HEIC original with its EXIF even though no copies can be made here', async () => {
    const bytes = await syntheticHeic({ takenAt: '2026:03:02 09:15:30', offset: '+08:00', ...WUHAN });
    const stored = await evidence.ingest(bytes, { declaredMime: 'image/heic', uploadedById: residentId });
    expect(stored).toMatchObject({
      mime: 'image/heic',
      width: 4032,
      height: 3024,
      duplicate: false,
      sha256: sha256(bytes),
    });
    expect(stored.exifTakenAt?.toISOString()).toBe('2026-03-02T01:15:30.000Z');
    expect(stored.exifLat).toBeCloseTo(WUHAN.lat, 4);
    const row = await t.db.attachment.findUniqueOrThrow({ where: { id: stored.attachmentId } });
    expect(row).toMatchObject({ thumbPath: null, publicPath: null });
    expect(row.path.endsWith('.heic')).toBe(true);
    expect(readFileSync(path.join(dataDir, row.path)).equals(bytes)).toBe(true);
    expect(await evidence.openThumbnail(stored.attachmentId)).toBeNull();
    expect(await evidence.openPublic(stored.attachmentId)).toBeNull(); // never fall back to the EXIF-bearing original
    expect(warnings.some((w) => w.startsWith('warn: photo kept as original only'))).toBe(true);
  });
});
