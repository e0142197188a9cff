// The photos of `npm run bench -- intake --photos F`: a share F of the reports carries one phone
// photo (about 4 MP and 1.5 MB, EXIF time and GPS at the report's pin), sent as a file so Telegram
// keeps its EXIF, as residents do who want the place on the photo. `--photo-px 1280` makes it the
// size channels really deliver for an ordinary photo (Telegram's largest PhotoSize, WeChat without
// 原图: at most 1280 px on the long side, ~100–250 KB); EXIF GPS is kept so the same path runs.
// Its texture makes it 0.47 MB at 1280 px, about twice those bytes, and decoding costs about in
// proportion to the bytes, so its figures err on the expensive side. The bot downloads it from the
// Bot API emulator through the real getFile and download path (bot/telegram/telegram-photos.ts).
// `--photo-kb N` re-encodes it to at most N KB (the highest JPEG quality that fits), as the
// messengers' recompression does: `--photo-px 1280 --photo-kb 200` is a typical Telegram photo.
// The default keeps the dense photo, so figures stay comparable with earlier runs.
// Every photo's bytes differ (its own Exif block), so none is taken for a duplicate of another.
import { randomBytes } from 'node:crypto';
import sharp from 'sharp';
import type { TelegramUpdate } from '../bot/telegram/telegram-channel.ts';
import { exifSegment, phoneJpeg, withExifSegmentParts } from '../test/helpers/test-images.ts';
import type { TelegramEmulator } from '../test/helpers/telegram-emulator.ts';
import { reportPoint } from '../test/helpers/telegram-report-updates.ts';

export interface BenchPhotos {
  /** The photo's size in bytes, and its pixels. */
  bytes: number;
  width: number;
  height: number;
  /** The message body of report i's photo (a `document`), or undefined when it has none. */
  photoOf(i: number): Record<string, unknown> | undefined;
  /** Feeds an update, then forgets its file in the emulator (thousands of 1.5 MB files would not fit). */
  wrap(feed: (u: TelegramUpdate) => Promise<void>): (u: TelegramUpdate) => Promise<void>;
}

/** The camera original's size (4:3, about 4 MP): the default long side. */
export const PHONE_LONG_SIDE = 2304;

/** A 4:3 landscape photo with this long side; both sides even, as phoneJpeg draws at half size. */
export function photoSize(longSide: number): { width: number; height: number } {
  if (!(Number.isInteger(longSide) && longSide >= 16 && longSide <= 8192))
    throw new Error('--photo-px takes a long side in pixels between 16 and 8192');
  const even = (n: number) => Math.round(n / 2) * 2;
  return { width: even(longSide), height: even((longSide * 3) / 4) };
}

/** Checks `--photo-kb`: a whole number of kilobytes from 20 to 20,000, or undefined (dense photo). */
export function photoKilobytes(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const kb = Number(value);
  if (!(Number.isInteger(kb) && kb >= 20 && kb <= 20_000))
    throw new Error('--photo-kb takes a size in KB between 20 and 20000');
  return kb;
}

/**
 * The photo re-encoded at the highest quality (20–92) whose file fits in maxBytes, as a messenger
 * recompresses; the lowest quality when none fits. Upright, baseline, without metadata.
 */
export async function recompressed(photo: Buffer, maxBytes: number): Promise<Buffer> {
  const at = (quality: number) => sharp(photo).jpeg({ quality, chromaSubsampling: '4:2:0' }).toBuffer();
  let [low, high] = [20, 92];
  let best = await at(low);
  while (low <= high) {
    const mid = Math.floor((low + high) / 2);
    const candidate = await at(mid);
    if (candidate.length <= maxBytes) {
      best = candidate;
      low = mid + 1;
    } else high = mid - 1;
  }
  return best;
}

/** Report i carries a photo when the running share of photo reports falls behind `fraction`. */
export function hasPhoto(i: number, fraction: number): boolean {
  return Math.floor((i + 1) * fraction) > Math.floor(i * fraction);
}

/**
 * Prepares the photos of reports [from, to): one phone photo, and per report its own Exif block
 * (made up front, so the timed run does not pay for making them).
 */
export async function prepareBenchPhotos(opts: {
  emu: TelegramEmulator;
  fraction: number;
  ranges: Array<[number, number]>;
  points: Array<[number, number]>;
  /** The photo's long side in pixels; the camera original's by default. */
  longSide?: number;
  /** Re-encoded to at most this many KB (--photo-kb); the dense photo as drawn by default. */
  maxKb?: number;
}): Promise<BenchPhotos> {
  const { emu, fraction, points } = opts;
  const { width, height } = photoSize(opts.longSide ?? PHONE_LONG_SIDE);
  const run = randomBytes(4).toString('hex'); // a rerun on the same database gets new photos too
  const drawn = await phoneJpeg({}, width, height);
  const base = opts.maxKb === undefined ? drawn : await recompressed(drawn, opts.maxKb * 1000);
  const segments = new Map<number, Buffer>();
  for (const [from, to] of opts.ranges) {
    for (let i = from; i < to; i++) {
      if (!hasPhoto(i, fraction)) continue;
      const [lat, lng] = reportPoint(i, points);
      segments.set(i, await exifSegment({ lat, lng, takenAt: '2026:12:06 09:30:00', uniqueId: `bench-${run}-${i}` }));
    }
  }
  return {
    bytes: base.length,
    width,
    height,
    photoOf(i) {
      const segment = segments.get(i);
      if (!segment) return undefined;
      const file = emu.addFile(withExifSegmentParts(base, segment), { ext: 'jpg' });
      return {
        document: { ...file, mime_type: 'image/jpeg', file_name: `IMG_20261206_${String(i).padStart(6, '0')}.jpg` },
      };
    },
    wrap(feed) {
      return async (u) => {
        await feed(u);
        const document = (u as { message?: { document?: { file_id: string } } }).message?.document;
        if (document) emu.files.delete(document.file_id);
      };
    },
  };
}
