// Pure rules of the photo evidence store: what is accepted, where files go, how EXIF values
// become facts. No I/O here so every rule is unit-tested without images or disks.
import { PhotoRejectedError } from './photo-errors.ts';

/** Decompression-bomb guard: no phone camera comes near 100 megapixels of decoded pixels. */
export const MAX_PIXELS = 100_000_000;
export const THUMB_MAX_PX = 480;
export const PUBLIC_MAX_PX = 1600;

/** Sniffed MIME type → file extension of the stored original. Still images only. */
const ACCEPTED: Readonly<Record<string, string>> = {
  'image/jpeg': 'jpg',
  'image/png': 'png',
  'image/webp': 'webp',
  'image/heic': 'heic',
  'image/heif': 'heif',
  'image/gif': 'gif',
};

const FORMATS_HINT = '请发送 JPG、PNG 或 HEIC 照片';

/** "20 MB", "1.5 MB", "512 KB": the limit as a chat user reads it (PHOTO_MAX_BYTES may be small). */
export function formatSize(bytes: number): string {
  const mb = bytes / (1024 * 1024);
  if (mb >= 1) return `${Math.round(mb * 10) / 10} MB`;
  return `${Math.max(1, Math.round(bytes / 1024))} KB`;
}

/** Refuses empty and oversized input: the first check, before anything reads the bytes. */
export function checkSize(size: number, maxBytes: number): void {
  if (size === 0) throw new PhotoRejectedError('empty', '收到的照片是空文件，请重新发送');
  if (size > maxBytes) throw new PhotoRejectedError('too_large', `照片超过 ${formatSize(maxBytes)}，请压缩后重新发送`);
}

/** The extension for a sniffed type, or the refusal that fits (not an image at all / an image we do not take). */
export function acceptedExtension(sniffedMime: string | undefined): string {
  if (sniffedMime === undefined || !sniffedMime.startsWith('image/')) {
    throw new PhotoRejectedError('not_an_image', `这不是图片文件，${FORMATS_HINT}`);
  }
  const ext = ACCEPTED[sniffedMime];
  if (ext === undefined) throw new PhotoRejectedError('unsupported_format', `暂不支持这种图片格式，${FORMATS_HINT}`);
  return ext;
}

export function rejectAnimated(): never {
  throw new PhotoRejectedError('unsupported_format', `暂不支持动图，${FORMATS_HINT}`);
}

export function rejectCorrupt(): never {
  throw new PhotoRejectedError('corrupt', '照片文件已损坏或不完整，无法打开，请重新拍摄或重新发送');
}

export function rejectTooManyPixels(): never {
  throw new PhotoRejectedError('too_large', '照片分辨率过大（超过 1 亿像素），请缩小后重新发送');
}

export function checkPixels(width: number, height: number): void {
  if (!(width > 0 && height > 0)) rejectCorrupt();
  if (width * height > MAX_PIXELS) rejectTooManyPixels();
}

/** What sharp's header read says about a photo, as far as its public copy is concerned. */
export interface PhotoHeader {
  format?: string | undefined;
  width?: number | undefined;
  height?: number | undefined;
  orientation?: number | undefined;
  space?: string | undefined;
  channels?: number | undefined;
  depth?: string | undefined;
  hasAlpha?: boolean | undefined;
}

/**
 * Whether the public copy can be the photo's own compressed pixels with the metadata cut out
 * (jpeg-strip-fns.ts) instead of a re-encoded image: a JPEG that is already upright (no EXIF
 * orientation, or 1), within PUBLIC_MAX_PX, 8-bit YCbCr (sRGB). That is what Telegram and WeChat
 * deliver for an ordinary photo, and re-encoding it was half of what a photo cost. Anything else
 * (rotated, too large, CMYK, grey, 16-bit) is re-encoded as before: the copies stay 3-channel sRGB.
 */
export function keepsCompressedPixels(h: PhotoHeader): boolean {
  return (
    h.format === 'jpeg' &&
    (h.orientation === undefined || h.orientation === 1) &&
    (h.width ?? Infinity) <= PUBLIC_MAX_PX &&
    (h.height ?? Infinity) <= PUBLIC_MAX_PX &&
    h.depth === 'uchar' &&
    h.hasAlpha !== true &&
    h.space === 'srgb' &&
    h.channels === 3
  );
}

export interface EvidencePaths {
  original: string;
  thumb: string;
  public: string;
}

/**
 * Paths relative to DATA_DIR, always with forward slashes (they are stored in the database and
 * must mean the same on any host). Originals are content-addressed and fanned out by the first
 * two byte pairs of the hash so no folder grows past a few hundred entries.
 */
export function evidencePaths(sha256: string, ext: string): EvidencePaths {
  if (!/^[0-9a-f]{64}$/.test(sha256)) throw new Error(`not a sha256 hex digest: ${sha256}`);
  return {
    original: `evidence/${sha256.slice(0, 2)}/${sha256.slice(2, 4)}/${sha256}.${ext}`,
    thumb: `thumbs/${sha256}.jpg`,
    public: `public/${sha256}.jpg`,
  };
}

/** China Standard Time: UTC+8 all year (no daylight saving since 1991). */
const SHANGHAI_OFFSET_MIN = 8 * 60;

function parseOffset(offset: unknown): number | null {
  if (typeof offset !== 'string') return null;
  const m = /^\s*([+-])(\d{2}):?(\d{2})\s*$/.exec(offset);
  if (!m) return null;
  const minutes = Number(m[2]) * 60 + Number(m[3]);
  if (minutes > 14 * 60) return null;
  return (m[1] === '-' ? -1 : 1) * minutes;
}

/**
 * An EXIF DateTimeOriginal ("YYYY:MM:DD HH:MM:SS", local wall time with no zone) as an instant.
 * EXIF 2.31 cameras add OffsetTimeOriginal, which wins when valid. Otherwise the time is read as
 * Asia/Shanghai: the phones photographing streets in Jianghan are set to China Standard Time, and
 * reading the wall time as UTC would move every photo eight hours. Garbage (blank, zeros, 31 Feb)
 * gives null rather than a wrong date on a piece of evidence.
 */
export function exifTimeToDate(value: unknown, offset?: unknown): Date | null {
  if (typeof value !== 'string') return null;
  const m = /^\s*(\d{4})[:-](\d{2})[:-](\d{2})[ T](\d{2}):(\d{2}):(\d{2})/.exec(value);
  if (!m) return null;
  const [y, mo, d, h, mi, s] = m.slice(1).map(Number) as [number, number, number, number, number, number];
  if (y < 1900 || mo < 1 || mo > 12 || d < 1 || h > 23 || mi > 59 || s > 59) return null;
  const wallAsUtc = Date.UTC(y, mo - 1, d, h, mi, s);
  if (new Date(wallAsUtc).getUTCDate() !== d) return null; // 31 February and the like
  const offsetMin = parseOffset(offset) ?? SHANGHAI_OFFSET_MIN;
  return new Date(wallAsUtc - offsetMin * 60_000);
}

/**
 * Decimal GPS degrees as exifr gives them (WGS-84 for phone cameras). Out-of-range values and
 * exactly (0, 0), which devices write when they had no fix, are dropped.
 */
export function validGps(lat: unknown, lng: unknown): { lat: number; lng: number } | null {
  if (typeof lat !== 'number' || typeof lng !== 'number') return null;
  if (!Number.isFinite(lat) || !Number.isFinite(lng)) return null;
  if (Math.abs(lat) > 90 || Math.abs(lng) > 180) return null;
  if (lat === 0 && lng === 0) return null;
  return { lat, lng };
}
