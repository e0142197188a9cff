// Test photos generated at test time with sharp, so no binary fixtures live in the repository.
// sharp can write the GPS IFD (IFD3) itself, so no hand-built EXIF segment is needed for JPEGs.
import sharp, { type Exif } from 'sharp';

export interface ExifFacts {
  /** EXIF wall time, "YYYY:MM:DD HH:MM:SS". */
  takenAt?: string;
  /** EXIF 2.31 OffsetTimeOriginal, e.g. "+08:00". */
  offset?: string;
  lat?: number;
  lng?: number;
  /** EXIF orientation 1–8. */
  orientation?: number;
}

const canvas = (width: number, height: number, alpha = false) =>
  sharp({
    create: {
      width,
      height,
      channels: alpha ? 4 : 3,
      background: alpha ? { r: 200, g: 40, b: 40, alpha: 0.5 } : '#c83030',
    },
  });

/** Degrees as the EXIF rational triple "d/1 m/1 s*100/100". */
function dms(value: number): string {
  const v = Math.abs(value);
  const d = Math.floor(v);
  const m = Math.floor((v - d) * 60);
  const s = Math.round(((v - d) * 60 - m) * 60 * 100);
  return `${d}/1 ${m}/1 ${s}/100`;
}

function exifDirs(facts: ExifFacts): Exif {
  const exif: Exif = { IFD0: { Make: 'GridlineTestCam', Model: 'T1' } };
  if (facts.takenAt)
    exif.IFD2 = { DateTimeOriginal: facts.takenAt, ...(facts.offset ? { OffsetTimeOriginal: facts.offset } : {}) };
  if (facts.lat !== undefined && facts.lng !== undefined) {
    exif.IFD3 = {
      GPSLatitudeRef: facts.lat < 0 ? 'S' : 'N',
      GPSLatitude: dms(facts.lat),
      GPSLongitudeRef: facts.lng < 0 ? 'W' : 'E',
      GPSLongitude: dms(facts.lng),
    };
  }
  return exif;
}

export async function jpeg(width = 64, height = 48, facts?: ExifFacts): Promise<Buffer> {
  let img = canvas(width, height).jpeg({ quality: 90 });
  // withMetadata sets the orientation tag; withExifMerge then adds the rest to the same block.
  if (facts?.orientation) img = img.withMetadata({ orientation: facts.orientation });
  if (facts) img = img.withExifMerge(exifDirs(facts));
  return img.toBuffer();
}

/** A noisy JPEG, so it is large enough that cutting it leaves a header but loses scan data. */
export async function noisyJpeg(width = 320, height = 240): Promise<Buffer> {
  return sharp({
    create: { width, height, channels: 3, background: '#808080', noise: { type: 'gaussian', mean: 128, sigma: 50 } },
  })
    .jpeg()
    .toBuffer();
}

/**
 * A photo as a phone camera writes it: about 4 megapixels (2304×1728) and about 1.5 MB, because
 * the pixels carry texture at every scale (blurred noise over a colour), so decoding it costs what
 * a real photo's does; the Exif block (APP1, no JFIF) comes first, as phones write it. Makes take
 * about half a second: build one and vary it with `withExifSegment`.
 */
export async function phoneJpeg(
  facts: ExifFacts & { uniqueId?: string } = {},
  width = 2304,
  height = 1728,
): Promise<Buffer> {
  const texture = await sharp({
    create: {
      width: width / 2,
      height: height / 2,
      channels: 3,
      background: '#7a8a70',
      noise: { type: 'gaussian', mean: 110, sigma: 30 },
    },
  })
    .png()
    .toBuffer();
  const pixels = await sharp(texture)
    .resize(width, height, { kernel: 'cubic' })
    .blur(1)
    .jpeg({ quality: 92 })
    .toBuffer();
  return withExifSegment(pixels, await exifSegment(facts));
}

/** The Exif APP1 segment (marker included) a phone would write for these facts. */
export async function exifSegment(facts: ExifFacts & { uniqueId?: string }): Promise<Buffer> {
  const dirs = exifDirs(facts);
  // libvips cannot write ImageUniqueID (an undefined-type tag); ImageDescription is an ASCII tag.
  if (facts.uniqueId) dirs.IFD0 = { ...dirs.IFD0, ImageDescription: facts.uniqueId };
  let img = canvas(8, 8).jpeg();
  if (facts.orientation) img = img.withMetadata({ orientation: facts.orientation });
  const carrier = await img.withExifMerge(dirs).toBuffer();
  const app1 = jpegSegments(carrier).find((s) => s[1] === 0xe1);
  if (!app1) throw new Error('sharp wrote no Exif segment');
  return app1;
}

/** The JPEG with its APP0–APP15 segments replaced by one Exif segment: SOI, Exif, then the rest. */
export function withExifSegment(jpegBytes: Buffer, app1: Buffer): Buffer {
  return Buffer.concat(withExifSegmentParts(jpegBytes, app1));
}

/**
 * withExifSegment's file as its three pieces (views of the inputs, nothing copied), for a server
 * that can send them one after the other: the intake benchmark's driver otherwise copied each
 * report's 0.5 MB photo on the measured machine, ~2 ms of CPU a report.
 */
export function withExifSegmentParts(jpegBytes: Buffer, app1: Buffer): Buffer[] {
  const segments = jpegSegments(jpegBytes);
  const headerEnd = segments.reduce((end, s) => end + s.length, 2);
  return [jpegBytes.subarray(0, 2), app1, jpegBytes.subarray(headerEnd)];
}

/** The APPn segments right after SOI, each with its marker and length bytes. */
function jpegSegments(bytes: Buffer): Buffer[] {
  const out: Buffer[] = [];
  let at = 2;
  while (bytes[at] === 0xff && bytes[at + 1]! >= 0xe0 && bytes[at + 1]! <= 0xef) {
    const end = at + 2 + bytes.readUInt16BE(at + 2);
    out.push(bytes.subarray(at, end));
    at = end;
  }
  return out;
}

export async function png(width = 40, height = 30, alpha = true): Promise<Buffer> {
  return canvas(width, height, alpha).png().toBuffer();
}

export async function animatedGif(): Promise<Buffer> {
  const frames = await Promise.all(
    ['#c83030', '#30c830'].map((c) =>
      sharp({ create: { width: 16, height: 16, channels: 3, background: c } })
        .png()
        .toBuffer(),
    ),
  );
  return sharp(frames, { join: { animated: true } })
    .gif()
    .toBuffer();
}

// ---------------------------------------------------------------- a synthetic iPhone-style HEIC

const u16 = (n: number) => Buffer.from([n >> 8, n & 0xff]);
const u32 = (n: number) => {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(n);
  return b;
};
const box = (type: string, ...parts: Buffer[]) => {
  const body = Buffer.concat(parts);
  return Buffer.concat([u32(8 + body.length), Buffer.from(type, 'latin1'), body]);
};
const fullBox = (type: string, versionFlags: number, ...parts: Buffer[]) => box(type, u32(versionFlags), ...parts);
const infe = (id: number, itemType: string) =>
  fullBox('infe', 0x02000000, u16(id), u16(0), Buffer.from(itemType, 'latin1'), Buffer.from([0]));

/**
 * A HEIF container laid out like an iPhone photo: major brand "heic", one hvc1 image item
 * (hvcC + ispe properties, 4032×3024) and an Exif item, with absolute iloc offsets. The HEVC
 * payload is filler: sharp reads the header (type, size, EXIF) but cannot decode HEVC here anyway,
 * which is the case the evidence store must survive. The EXIF block is taken from a sharp JPEG.
 */
export async function syntheticHeic(facts: ExifFacts): Promise<Buffer> {
  const tiff = (await sharp(await jpeg(8, 8, facts)).metadata()).exif!.subarray(6); // drop "Exif\0\0"
  const exifItem = Buffer.concat([u32(6), Buffer.from('Exif\0\0', 'latin1'), tiff]);
  const hevc = Buffer.alloc(64, 0x5a);
  const hvcC = box(
    'hvcC',
    Buffer.from([1, 1, 0x60, 0, 0, 0, 0x90, 0, 0, 0, 0, 0, 90, 0xf0, 0, 0xfc, 0xfd, 0xf8, 0xf8, 0, 0, 0x0f, 0]),
  );
  const ftyp = box('ftyp', Buffer.from('heic', 'latin1'), u32(0), Buffer.from('mif1heic', 'latin1'));
  const meta = (dataStart: number) =>
    fullBox(
      'meta',
      0,
      fullBox('hdlr', 0, u32(0), Buffer.from('pict', 'latin1'), Buffer.alloc(12), Buffer.from([0])),
      fullBox('pitm', 0, u16(1)),
      fullBox('iinf', 0, u16(2), infe(1, 'hvc1'), infe(2, 'Exif')),
      // offset_size 4, length_size 4, base_offset_size 4; extents hold absolute file offsets
      fullBox(
        'iloc',
        0,
        Buffer.from([0x44, 0x40]),
        u16(2),
        u16(1),
        u16(0),
        u32(0),
        u16(1),
        u32(dataStart),
        u32(hevc.length),
        u16(2),
        u16(0),
        u32(0),
        u16(1),
        u32(dataStart + hevc.length),
        u32(exifItem.length),
      ),
      box(
        'iprp',
        box('ipco', hvcC, fullBox('ispe', 0, u32(4032), u32(3024))),
        fullBox('ipma', 0, u32(1), u16(1), Buffer.from([2, 0x81, 0x02])),
      ),
      fullBox('iref', 0, box('cdsc', u16(2), u16(1), u16(1))),
    );
  const dataStart = ftyp.length + meta(0).length + 8; // the meta box's size does not depend on the offsets
  return Buffer.concat([ftyp, meta(dataStart), box('mdat', hevc, exifItem)]);
}
