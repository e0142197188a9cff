// `npm run bench -- intake --photos F --db FILE` (issue 17, Deliver 5): the photo reports go the
// real way (getFile, download from the Bot API emulator, evidence.ingest) and the run can use an
// existing database, which it keeps.
import { existsSync } from 'node:fs';
import path from 'node:path';
import exifr from 'exifr';
import sharp from 'sharp';
import { afterAll, describe, expect, it } from 'vitest';
import { hasPhoto, photoKilobytes, photoSize, prepareBenchPhotos } from '../../bench/intake-photos.ts';
import { startIntakeWorld } from '../../bench/intake-world.ts';
import { createFakeClock } from '../helpers/fake-clock.ts';
import { createTestDb } from '../helpers/test-db.ts';
import { reportPoint, reportUpdates } from '../helpers/telegram-report-updates.ts';

const t = await createTestDb('sqlite');
const dbFile = t.url.replace(/^file:/, '');
afterAll(() => t.db.$disconnect());

/**
 * A world on the test's database with every report given one 1280-px bench photo (`maxKb`:
 * re-encoded to fit, as --photo-kb does): the photos, the first one's bytes as the emulator
 * serves them, and the point its EXIF should hold.
 */
async function withOnePhoto(
  name: string,
  opts: { maxKb?: number },
  check: (p: {
    photos: Awaited<ReturnType<typeof prepareBenchPhotos>>;
    bytes: Buffer;
    point: [number, number];
  }) => Promise<void>,
): Promise<void> {
  const clock = createFakeClock('2026-03-02T02:00:00Z');
  const world = await startIntakeWorld({ name, synchronous: 'full', dbFile, clock: clock.now });
  try {
    const points = world.points(10);
    const photos = await prepareBenchPhotos({
      emu: world.emu,
      fraction: 1,
      ranges: [[0, 1]],
      points,
      longSide: 1280,
      ...(opts.maxKb ? { maxKb: opts.maxKb } : {}),
    });
    const document = photos.photoOf(0)!.document as { file_id: string };
    const [lat, lng] = reportPoint(0, points);
    await check({ photos, bytes: world.emu.files.get(document.file_id)!.bytes, point: [lat, lng] });
  } finally {
    await world.close(false, () => {});
  }
}

describe('intake benchmark with photos', () => {
  it('gives the asked share of reports a photo, spread over the run', () => {
    const with25 = Array.from({ length: 100 }, (_, i) => hasPhoto(i, 0.25));
    expect(with25.filter(Boolean)).toHaveLength(25);
    expect(with25.slice(0, 8).filter(Boolean)).toHaveLength(2);
    expect(Array.from({ length: 10 }, (_, i) => hasPhoto(i, 1)).every(Boolean)).toBe(true);
    expect(Array.from({ length: 10 }, (_, i) => hasPhoto(i, 0)).some(Boolean)).toBe(false);
  });

  it('makes the photo the size channels deliver with --photo-px, EXIF GPS kept', async () => {
    expect(photoSize(1280)).toEqual({ width: 1280, height: 960 });
    expect(photoSize(2304)).toEqual({ width: 2304, height: 1728 });
    expect(() => photoSize(Number('abc'))).toThrow(/--photo-px/);
    await withOnePhoto('test', {}, async ({ photos, bytes, point }) => {
      expect([photos.width, photos.height]).toEqual([1280, 960]);
      // Telegram's recompressed photo is ~100–250 KB; this noisy one is a little larger, far below 1.5 MB.
      expect(photos.bytes).toBeLessThan(600_000);
      expect(await sharp(bytes).metadata()).toMatchObject({ width: 1280, height: 960 });
      const gps = await exifr.gps(bytes);
      expect(gps.latitude).toBeCloseTo(point[0], 4);
      expect(gps.longitude).toBeCloseTo(point[1], 4);
    });
  });

  it("serves each report's photo as pieces of the one drawn photo (nothing copied while the driver runs), downloaded as one file", async () => {
    const clock = createFakeClock('2026-03-02T02:00:00Z');
    const world = await startIntakeWorld({ name: 'test-parts', synchronous: 'full', dbFile, clock: clock.now });
    try {
      const points = world.points(10);
      const photos = await prepareBenchPhotos({ emu: world.emu, fraction: 1, ranges: [[0, 2]], points, longSide: 640 });
      const stored = [0, 1].map((i) => {
        const { file_id } = photos.photoOf(i)!.document as { file_id: string };
        return world.emu.files.get(file_id)!;
      });
      // SOI, the report's own Exif segment, then the drawn photo's data, shared by every report.
      expect(stored.map((f) => f.parts.length)).toEqual([3, 3]);
      expect(stored[0]!.parts[2]!.buffer).toBe(stored[1]!.parts[2]!.buffer);
      const res = await fetch(`${world.emu.apiRoot}/file/bot${world.emu.token}/${stored[0]!.path}`);
      const body = Buffer.from(await res.arrayBuffer());
      expect(res.headers.get('content-length')).toBe(String(body.length));
      expect(body.equals(stored[0]!.bytes)).toBe(true);
      expect((await exifr.gps(body)).latitude).toBeCloseTo(reportPoint(0, points)[0], 4);
    } finally {
      await world.close(false, () => {});
    }
  });

  it('re-encodes the photo to at most --photo-kb KB, as messengers recompress, EXIF GPS still added', async () => {
    expect(photoKilobytes(undefined)).toBeUndefined();
    expect(photoKilobytes('200')).toBe(200);
    for (const bad of ['abc', '0', '12.5', '99999']) expect(() => photoKilobytes(bad)).toThrow(/--photo-kb/);
    await withOnePhoto('test-kb', { maxKb: 200 }, async ({ photos, bytes, point }) => {
      expect(photos.bytes).toBeLessThanOrEqual(200_000);
      expect(photos.bytes).toBeGreaterThan(100_000); // the highest quality that fits, not the lowest
      expect(await sharp(bytes).metadata()).toMatchObject({ width: 1280, height: 960 });
      expect((await exifr.gps(bytes)).latitude).toBeCloseTo(point[0], 4);
    });
  });

  it('sends a phone photo through the Telegram download path into the report, on the database it was given', async () => {
    const before = await t.db.case.count();
    const clock = createFakeClock('2026-03-02T02:00:00Z');
    const world = await startIntakeWorld({ name: 'test', synchronous: 'full', dbFile, clock: clock.now });
    try {
      const points = world.points(10);
      const photos = await prepareBenchPhotos({ emu: world.emu, fraction: 1, ranges: [[0, 2]], points });
      expect(photos.bytes).toBeGreaterThan(1_000_000);
      expect(photos.width * photos.height).toBeGreaterThan(3_000_000);

      const feed = photos.wrap((u) => world.telegram.handleUpdate(u));
      let updateId = 1;
      const steps: string[] = [];
      for (const i of [0, 1]) {
        for (const [step, update] of reportUpdates(i, points, () => updateId++, photos.photoOf(i))) {
          steps.push(step);
          await feed(update);
        }
      }
      expect(steps.slice(0, 4)).toEqual(['text', 'location', 'photo', 'confirm']);
      // Downloaded through getFile and the file URL, then forgotten by the emulator.
      expect(world.emu.downloads).toHaveLength(2);
      expect(world.emu.files.size).toBe(0);

      const cases = await world.db.case.findMany({
        where: { id: { gt: 0 } },
        orderBy: { id: 'desc' },
        take: 2,
        include: { attachments: true },
      });
      expect(await world.db.case.count()).toBe(before + 2);
      const shas = new Set<string>();
      for (const c of cases) {
        expect(c.attachments).toHaveLength(1);
        const a = c.attachments[0]!;
        shas.add(a.sha256);
        const i = cases.length - 1 - cases.indexOf(c);
        const [lat, lng] = reportPoint(i, points);
        expect(a.exifLat).toBeCloseTo(lat, 4);
        expect(a.exifLng).toBeCloseTo(lng, 4);
        expect(existsSync(path.join(world.dir, a.path))).toBe(true);
        const pub = path.join(world.dir, a.publicPath!);
        expect((await sharp(pub).metadata()).width).toBe(1600);
        expect(await exifr.gps(pub).catch(() => undefined)).toBeUndefined();
      }
      expect(shas.size).toBe(2); // every photo its own bytes: none taken for a duplicate
    } finally {
      await world.close(false, () => {});
    }
    expect(existsSync(world.dir)).toBe(false); // the run's photos go
    expect(existsSync(dbFile)).toBe(true); // the database it was given stays
  });
});
