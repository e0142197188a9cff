// The public copy and thumbnail of the photos messengers deliver (upright JPEGs within 1600 px):
// made without re-encoding the public copy (core/evidence/jpeg-strip-fns.ts), with nothing of the
// metadata left, and still refusing what is broken. Other formats and rotated or large photos keep
// the re-encoding path (photo-evidence.test.ts).
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync } from 'node:fs';
import path from 'node:path';
import exifr from 'exifr';
import sharp from 'sharp';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import type { FileStore } from '../../core/evidence/file-store-port.ts';
import { jpegThumbnail } from '../../core/evidence/photo-decode.ts';
import { PhotoRejectedError } from '../../core/evidence/photo-errors.ts';
import { createPhotoEvidence, type PhotoEvidence } from '../../core/evidence/photo-evidence.ts';
import type { OpenedFile } from '../../core/evidence/photo-types.ts';
import { createAttachmentStore } from '../../db/attachment-store.ts';
import { createLocalFileStore } from '../../storage/local-file-store.ts';
import { createFakeClock } from '../helpers/fake-clock.ts';
import { createTestDb, type TestDb } from '../helpers/test-db.ts';
import { exifSegment, jpeg, phoneJpeg, withExifSegment } from '../helpers/test-images.ts';

const WUHAN = { lat: 30.5801, lng: 114.2734 };
const CORRUPT = '照片文件已损坏或不完整，无法打开，请重新拍摄或重新发送';

const t: TestDb = await createTestDb();
afterAll(() => t.db.$disconnect());
let dataDir: string;
let evidence: PhotoEvidence;
let run = 0;
beforeEach(() => {
  dataDir = path.join(t.dir, `data-${++run}`);
  mkdirSync(dataDir, { recursive: true });
  evidence = createPhotoEvidence({
    files: createLocalFileStore(dataDir),
    maxBytes: 20 * 1024 * 1024,
    store: createAttachmentStore(t.db),
    clock: createFakeClock('2026-03-02T02:00:00Z').now,
  });
});

async function bytesOf(file: OpenedFile | null): Promise<Buffer> {
  const chunks: Uint8Array[] = [];
  for await (const chunk of file!.body) chunks.push(chunk);
  return Buffer.concat(chunks);
}

const seg = (marker: number, body: string | Buffer) => {
  const b = typeof body === 'string' ? Buffer.from(body, 'latin1') : body;
  const head = Buffer.from([0xff, marker, 0, 0]);
  head.writeUInt16BE(b.length + 2, 2);
  return Buffer.concat([head, b]);
};
const XMP_NS = 'http://ns.adobe.com/xap/1.0/';
const xmp = seg(
  0xe1,
  `${XMP_NS}\0<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description xmlns:exif="http://ns.adobe.com/exif/1.0/" exif:GPSLatitude="30,34.806N" exif:GPSLongitude="114,16.404E"/></rdf:RDF></x:xmpmeta>`,
);
const iptc = seg(0xed, 'Photoshop 3.0\x008BIM\x04\x04\0\0\0\0\0\x10\x1c\x02\x50\0\x0b王某某摄影');
const mpf = seg(0xe2, 'MPF\0MM\0*\0\0\0\x08secondary image index');
const comment = seg(0xfe, 'shot on Jianghan Road by 13900001111');
/** What a motion photo or an MPF file stores after the first image's EOI. */
const trailer = (second: Buffer) =>
  Buffer.concat([second, Buffer.from('\0\0\0\x18ftypmp42\0\0\0\0mp42isom motion photo video', 'latin1')]);

/** Offset just past the first EOI: where the first image's bytes end. */
function firstImageEnd(bytes: Buffer): number {
  const sos = bytes.indexOf(Buffer.from([0xff, 0xda]));
  for (let at = bytes.indexOf(0xff, sos + 2); at !== -1; at = bytes.indexOf(0xff, at + 2))
    if (bytes[at + 1] === 0xd9) return at + 2;
  throw new Error('no EOI');
}

/** The entropy-coded scans and tables from the first SOS to the first EOI. */
const scans = (bytes: Buffer) => bytes.subarray(bytes.indexOf(Buffer.from([0xff, 0xda])), firstImageEnd(bytes));

/**
 * A 1280×960 phone photo as a messenger delivers it when sent as a file, plus everything a phone
 * may write: Exif (time, GPS), XMP with GPS, IPTC with a name, MPF, a comment, and after the EOI a
 * second image with its own Exif and a motion-photo video.
 */
async function loadedPhoto(progressive = false): Promise<Buffer> {
  const base = await phoneJpeg({}, 1280, 960);
  const pixels = progressive ? await sharp(base).jpeg({ quality: 90, progressive: true }).toBuffer() : base;
  const exif = await exifSegment({ takenAt: '2026:03:02 09:15:30', ...WUHAN, uniqueId: 'loaded-photo' });
  const withExif = withExifSegment(pixels, exif);
  const second = await jpeg(64, 48, { takenAt: '2026:03:02 09:15:30', ...WUHAN });
  return Buffer.concat([
    withExif.subarray(0, 2 + exif.length), // SOI, Exif
    xmp,
    iptc,
    mpf,
    comment,
    withExif.subarray(2 + exif.length),
    trailer(second),
  ]);
}

/**
 * The marker segments of a JPEG (SOI to EOI), without the entropy-coded data after each SOS: the
 * needles are looked for there, since compressed pixels may hold any three bytes, "GPS" included.
 */
function markerSegments(bytes: Buffer): Buffer {
  const parts: Buffer[] = [];
  let at = 2;
  while (at !== -1 && at < bytes.length && bytes[at + 1] !== 0xd9) {
    const marker = bytes[at + 1];
    const end = at + 2 + bytes.readUInt16BE(at + 2);
    parts.push(bytes.subarray(at, end));
    at = end;
    if (marker !== 0xda) continue;
    // the scan runs to the next marker that is neither a restart marker nor a stuffed 0xFF00
    at = bytes.indexOf(0xff, at);
    while (at !== -1 && (bytes[at + 1] === 0x00 || (bytes[at + 1]! >= 0xd0 && bytes[at + 1]! <= 0xd7)))
      at = bytes.indexOf(0xff, at + 2);
  }
  return Buffer.concat(parts);
}

async function expectNoMetadata(copy: Buffer): Promise<void> {
  const segments = markerSegments(copy);
  for (const needle of ['Exif', 'GPS', XMP_NS, 'Photoshop 3.0', '8BIM', 'MPF', 'Jianghan', 'ftyp', 'motion photo'])
    expect(segments.includes(needle, 0, 'latin1'), needle).toBe(false);
  expect(segments.includes('王某某', 0, 'utf8')).toBe(false);
  expect(copy.includes('Exif\0\0', 0, 'latin1')).toBe(false);
  expect(copy.includes(XMP_NS, 0, 'latin1')).toBe(false);
  expect(firstImageEnd(copy)).toBe(copy.length); // nothing after the EOI
  expect(copy.indexOf(Buffer.from([0xff, 0xd8]), 2)).toBe(-1); // no second image
  expect(await exifr.gps(copy).catch(() => undefined)).toBeUndefined();
  const meta = await sharp(copy).metadata();
  expect([meta.exif, meta.xmp, meta.iptc, meta.orientation ?? 1]).toEqual([undefined, undefined, undefined, 1]);
}

async function rejectionOf(p: Promise<unknown>): Promise<PhotoRejectedError> {
  const err: unknown = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(PhotoRejectedError);
  return err as PhotoRejectedError;
}

describe('copies of an upright JPEG within 1600 px', () => {
  it('public copy: the same compressed pixels, no Exif, GPS, XMP, IPTC, MPF, comment or trailer', async () => {
    const bytes = await loadedPhoto();
    for (const needle of ['Exif', 'GPS', XMP_NS, 'Photoshop 3.0', 'MPF', 'Jianghan'])
      // the check sees them
      expect(markerSegments(bytes).includes(needle, 0, 'latin1'), needle).toBe(true);
    const stored = await evidence.ingest(bytes);
    // The facts come from the original, which is kept as sent.
    expect(stored.exifTakenAt?.toISOString()).toBe('2026-03-02T01:15:30.000Z');
    expect(stored.exifLat).toBeCloseTo(WUHAN.lat, 4);
    expect((await bytesOf(await evidence.openOriginal(stored.attachmentId))).equals(bytes)).toBe(true);

    const pub = await bytesOf(await evidence.openPublic(stored.attachmentId));
    await expectNoMetadata(pub);
    // Not re-encoded: the scans are the original's byte for byte, so no quality is lost.
    expect(scans(pub).equals(scans(bytes))).toBe(true);
    expect(await sharp(pub).metadata()).toMatchObject({ format: 'jpeg', width: 1280, height: 960 });

    const thumb = await bytesOf(await evidence.openThumbnail(stored.attachmentId));
    await expectNoMetadata(thumb);
    expect(await sharp(thumb).metadata()).toMatchObject({ format: 'jpeg', width: 480, height: 360 });
  });

  it('a progressive JPEG: every scan kept, thumbnail made', async () => {
    const bytes = await loadedPhoto(true);
    expect((await sharp(bytes).metadata()).isProgressive).toBe(true);
    const stored = await evidence.ingest(bytes);
    const pub = await bytesOf(await evidence.openPublic(stored.attachmentId));
    await expectNoMetadata(pub);
    expect(scans(pub).equals(scans(bytes))).toBe(true);
    expect((await sharp(pub).metadata()).isProgressive).toBe(true);
    const thumb = await sharp(await bytesOf(await evidence.openThumbnail(stored.attachmentId))).metadata();
    expect([thumb.width, thumb.height]).toEqual([480, 360]);
  });

  it('keeps the ICC profile, which the colours need', async () => {
    const bytes = await sharp({ create: { width: 200, height: 150, channels: 3, background: '#36a' } })
      .withIccProfile('p3')
      .jpeg()
      .toBuffer();
    const stored = await evidence.ingest(bytes);
    const pub = await bytesOf(await evidence.openPublic(stored.attachmentId));
    expect((await sharp(pub).metadata()).icc?.equals((await sharp(bytes).metadata()).icc!)).toBe(true);
  });

  it('a rotated photo (orientation 6) of the same size is still re-encoded upright', async () => {
    const base = await phoneJpeg({}, 1280, 960);
    const bytes = withExifSegment(base, await exifSegment({ orientation: 6, ...WUHAN }));
    const stored = await evidence.ingest(bytes);
    expect([stored.width, stored.height]).toEqual([960, 1280]);
    for (const [copy, size] of [
      [await evidence.openPublic(stored.attachmentId), [960, 1280]],
      [await evidence.openThumbnail(stored.attachmentId), [360, 480]],
    ] as const) {
      const copyBytes = await bytesOf(copy);
      await expectNoMetadata(copyBytes);
      const meta = await sharp(copyBytes).metadata();
      expect([meta.width, meta.height]).toEqual(size);
    }
  });

  it('refuses a truncated photo, baseline or progressive, with the same message, and writes nothing', async () => {
    for (const progressive of [false, true]) {
      const bytes = await loadedPhoto(progressive);
      const cut = bytes.subarray(0, Math.floor(firstImageEnd(bytes) * 0.7));
      const err = await rejectionOf(evidence.ingest(cut));
      expect([err.reason, err.message]).toEqual(['corrupt', CORRUPT]);
    }
    expect(readdirSync(dataDir)).toEqual([]);
  });

  it('refuses corrupted scan data and a header without its scans', async () => {
    const bytes = await loadedPhoto(true);
    const broken = Buffer.from(bytes);
    // Bytes that end a progressive scan early: libjpeg meets an unknown marker and fails.
    const sos = broken.indexOf(Buffer.from([0xff, 0xda]));
    Buffer.from([0xff, 0x02, 0x00, 0x00]).copy(broken, sos + Math.floor((firstImageEnd(bytes) - sos) / 2));
    expect((await rejectionOf(evidence.ingest(broken))).message).toBe(CORRUPT);
    const headerOnly = bytes.subarray(0, sos + 2 + bytes.readUInt16BE(sos + 2));
    expect((await rejectionOf(evidence.ingest(headerOnly))).message).toBe(CORRUPT);
    const fake = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(500, 0x37)]);
    expect((await rejectionOf(evidence.ingest(fake))).message).toBe(CORRUPT);
    expect(readdirSync(dataDir)).toEqual([]);
  });

  it('the thumbnail decode itself, shrinking on load, still reads every scan and fails on broken ones', async () => {
    for (const progressive of [false, true]) {
      const bytes = await loadedPhoto(progressive);
      const end = firstImageEnd(bytes);
      await expect(jpegThumbnail(bytes.subarray(0, Math.floor(end * 0.7)))).rejects.toThrow(/premature end/i);
      await expect(jpegThumbnail(bytes.subarray(0, end - 200))).rejects.toThrow(/premature end/i);
    }
    const progressive = await loadedPhoto(true);
    const sos = progressive.indexOf(Buffer.from([0xff, 0xda]));
    const broken = Buffer.from(progressive);
    Buffer.from([0xff, 0x02, 0x00, 0x00]).copy(broken, sos + Math.floor((firstImageEnd(progressive) - sos) / 2));
    await expect(jpegThumbnail(broken)).rejects.toThrow();
  });
});

describe('copies made on first view, not at intake', () => {
  /** The local store, with every put() recorded: what intake and each view write. */
  function recordingStore(dir: string): { files: FileStore; puts: string[] } {
    const local = createLocalFileStore(dir);
    const puts: string[] = [];
    return { puts, files: { ...local, put: (key, bytes, opts) => (puts.push(key), local.put(key, bytes, opts)) } };
  }
  const errors: string[] = [];
  const newEvidence = (files: FileStore) =>
    createPhotoEvidence({
      files,
      maxBytes: 20 * 1024 * 1024,
      store: createAttachmentStore(t.db),
      clock: createFakeClock('2026-03-02T02:00:00Z').now,
      logger: { info: () => {}, warn: () => {}, error: (_o: unknown, msg?: string) => void errors.push(msg ?? '') },
    });
  const folder = (p: string) => p.split('/')[0];

  it('intake of an upright JPEG within 1600 px writes only the original; the copies come on first view, decoded once', async () => {
    const { files, puts } = recordingStore(dataDir);
    const photos = newEvidence(files);
    for (const progressive of [false, true]) {
      puts.length = 0;
      const bytes = await loadedPhoto(progressive);
      const stored = await photos.ingest(bytes);
      expect(puts.map(folder)).toEqual(['evidence']);

      // A messenger sending the photo to staff needs only the public copy: the bytes stripped, no
      // decode, no thumbnail.
      const sent = await photos.readPublic(stored.attachmentId);
      expect(puts.map(folder)).toEqual(['evidence', 'public']);
      await expectNoMetadata(sent!.bytes);
      expect(scans(sent!.bytes).equals(scans(bytes))).toBe(true);

      // Chat previews and the case page ask at once: one decode, one write.
      const [thumb, pub] = await Promise.all([
        photos.openThumbnail(stored.attachmentId).then(bytesOf),
        photos.openPublic(stored.attachmentId).then(bytesOf),
        photos.openThumbnail(stored.attachmentId).then(bytesOf),
        photos.openThumbnail(stored.attachmentId).then(bytesOf),
      ]);
      expect(puts.map(folder)).toEqual(['evidence', 'public', 'thumbs']);
      await expectNoMetadata(thumb);
      expect(pub.equals(sent!.bytes)).toBe(true);
      expect(await sharp(thumb).metadata()).toMatchObject({ format: 'jpeg', width: 480, height: 360 });

      // Later views read the stored copies; a second upload of the same bytes writes nothing.
      await bytesOf(await photos.openThumbnail(stored.attachmentId));
      expect((await photos.ingest(bytes)).duplicate).toBe(true);
      expect(puts).toHaveLength(3);
    }
    expect(errors).toEqual([]);
  });

  it('an original whose pixels do not decode: its copies answer null with an error logged, never a throw', async () => {
    const { files } = recordingStore(dataDir);
    const photos = newEvidence(files);
    const whole = await loadedPhoto(true);
    // What a disk or an upload damaged past what intake's marker checks see would leave: a cut scan.
    const broken = whole.subarray(0, Math.floor(firstImageEnd(whole) * 0.7));
    const sha = createHash('sha256').update(broken).digest('hex');
    await files.put(`evidence/${sha.slice(0, 2)}/${sha.slice(2, 4)}/${sha}.jpg`, broken, { immutable: true });
    const row = await createAttachmentStore(t.db).create({
      sha256: sha,
      mime: 'image/jpeg',
      size: broken.length,
      path: `evidence/${sha.slice(0, 2)}/${sha.slice(2, 4)}/${sha}.jpg`,
      thumbPath: `thumbs/${sha}.jpg`,
      publicPath: `public/${sha}.jpg`,
      exifTakenAt: null,
      exifLat: null,
      exifLng: null,
      uploadedById: null,
      draftKey: null,
      createdAt: new Date('2026-03-02T02:00:00Z'),
    });
    errors.length = 0;
    expect(await photos.openThumbnail(row.id)).toBeNull();
    expect(await photos.openPublic(row.id)).toBeNull();
    expect(await photos.readPublic(row.id)).toBeNull(); // never the original instead
    expect(errors).toContain('could not make the thumbnail or public copy of a stored photo');
    expect(readdirSync(dataDir)).toEqual(['evidence']);
  });
});
