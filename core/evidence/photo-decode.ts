// Sniffing and decoding with file-type and sharp: the only place that touches pixels.
import { fileTypeFromBuffer } from 'file-type';
import sharp, { type Metadata, type SharpOptions } from 'sharp';
import { stripJpegMetadata } from './jpeg-strip-fns.ts';
import { soundJpegFrame, type JpegFrameInfo } from './jpeg-structure-fns.ts';
import { readPhotoExif, type PhotoExif } from './photo-exif.ts';
import {
  acceptedExtension,
  checkPixels,
  keepsCompressedPixels,
  MAX_PIXELS,
  PUBLIC_MAX_PX,
  type PhotoHeader,
  rejectAnimated,
  rejectCorrupt,
  rejectTooManyPixels,
  THUMB_MAX_PX,
} from './photo-fns.ts';

/**
 * failOn 'error' rather than sharp's default 'warning': phone JPEGs often carry harmless quirks
 * (extraneous bytes before a marker) that libjpeg only warns about, and refusing a resident's
 * real photo over them is worse than the risk. Truncated and broken data still fail. The pixel
 * limit backs up the explicit megapixel check in case a header lies about the size.
 */
const SHARP_INPUT: SharpOptions = { failOn: 'error', limitInputPixels: MAX_PIXELS };

export interface InspectedPhoto {
  mime: string;
  ext: string;
  /** As displayed (EXIF orientation applied). */
  width: number;
  height: number;
  /** Null when sharp can decode the pixels; otherwise why thumbnails cannot be made. */
  undecodable: string | null;
  /** An upright 8-bit JPEG within PUBLIC_MAX_PX: its public copy need not be re-encoded. */
  keepsPixels: boolean;
  /** A JPEG whose markers and tables are sound (jpeg-structure-fns.ts jpegStructureSound). */
  soundJpeg: boolean;
  /** Time, place and orientation as the camera wrote them (photo-exif.ts). */
  exif: PhotoExif;
}

/**
 * Whether this sharp build decodes HEVC-coded HEIF (what iPhones write). Sharp's prebuilt libvips
 * carries libheif with the AV1 decoder only, HEVC being left out for patent reasons; a libvips
 * built with libde265 lists ".heic" among the heif loader's suffixes.
 */
export function hevcDecodable(): boolean {
  return sharp.format.heif.input.fileSuffix?.includes('.heic') ?? false;
}

/** What inspectPhoto needs of a header: sharp's Metadata, or a sound JPEG's (jpegHeader). */
type Header = PhotoHeader & Pick<Metadata, 'autoOrient' | 'pages' | 'compression'>;

/**
 * The header of a sound 3-component JPEG as sharp's header read gives it, from the frame header
 * and the EXIF orientation instead: libjpeg reads 3 components as sRGB, 8-bit (the only precision
 * soundJpegFrame takes), no alpha. Null for what only sharp should judge: other component counts
 * (grey, CMYK) and an orientation that is not 1–8 (libvips clamps those).
 */
function jpegHeader(frame: JpegFrameInfo, exif: PhotoExif): Header | null {
  const orientation = exif.orientation ?? 1;
  if (frame.components !== 3 || orientation < 1 || orientation > 8) return null;
  const turned = orientation >= 5; // 5–8 swap the sides
  return {
    format: 'jpeg',
    width: frame.width,
    height: frame.height,
    ...(exif.orientation === null ? {} : { orientation }),
    autoOrient: turned ? { width: frame.height, height: frame.width } : { width: frame.width, height: frame.height },
    space: 'srgb',
    channels: 3,
    depth: 'uchar',
    hasAlpha: false,
  };
}

/**
 * The type file-type finds in the bytes. A JPEG, what nearly every photo is, is told by file-type's
 * own rule (FF D8 FF, and not F7 next, which is JPEG-LS), the first of its rules to match such
 * bytes (none before it starts with FF), without setting up its tokenizer and copying its first
 * 4 KB: about half the CPU of the sniff, on the event loop.
 */
async function sniffMime(bytes: Buffer): Promise<string | undefined> {
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff && bytes[3] !== 0xf7)
    return 'image/jpeg';
  return (await fileTypeFromBuffer(bytes))?.mime;
}

/**
 * Sniffs the real type from the bytes and reads the header; refuses what is not a still photo.
 * A sound JPEG (what the messengers deliver) is read without sharp: its markers are walked once
 * (soundJpegFrame) and its orientation comes from the EXIF block read for its time and place
 * anyway, which saves sharp's header read, a thread-pool job that opens the photo in libvips and
 * parses its EXIF a second time. Anything else goes through sharp's header read as before.
 */
export async function inspectPhoto(bytes: Buffer): Promise<InspectedPhoto> {
  const sniffed = await sniffMime(bytes);
  const ext = acceptedExtension(sniffed);
  const mime = sniffed ?? 'application/octet-stream';
  const frame = ext === 'jpg' ? soundJpegFrame(bytes) : null;
  const exif = await readPhotoExif(bytes);
  const soundJpeg = frame !== null;
  const known = frame && jpegHeader(frame, exif);
  if (known) return described(known, mime, ext, soundJpeg, exif);
  let meta: Metadata;
  try {
    meta = await sharp(bytes, SHARP_INPUT).metadata();
  } catch (err) {
    // sharp applies limitInputPixels to the header already; any other failure means the type's
    // signature is there but the header does not parse: a fake or broken file.
    if (err instanceof Error && /pixel limit/i.test(err.message)) rejectTooManyPixels();
    rejectCorrupt();
  }
  return described(meta, mime, ext, soundJpeg, exif);
}

function described(meta: Header, mime: string, ext: string, soundJpeg: boolean, exif: PhotoExif): InspectedPhoto {
  const width = meta.autoOrient?.width ?? meta.width ?? 0;
  const height = meta.autoOrient?.height ?? meta.height ?? 0;
  checkPixels(width, height);
  if ((ext === 'gif' || ext === 'webp') && (meta.pages ?? 1) > 1) rejectAnimated();
  const undecodable =
    meta.format === 'heif' && meta.compression === 'hevc' && !hevcDecodable()
      ? 'this sharp build has no HEVC decoder (prebuilt libvips: libheif with AV1 only)'
      : null;
  const keepsPixels = ext === 'jpg' && keepsCompressedPixels(meta);
  return { mime, ext, width, height, undecodable, keepsPixels, soundJpeg, exif };
}

export interface Derivatives {
  thumb: Buffer;
  public: Buffer;
}

const bounds = (maxPx: number) => ({ width: maxPx, height: maxPx, fit: 'inside', withoutEnlargement: true }) as const;

/**
 * The thumbnail of an upright JPEG without metadata. Shrinking by 2 or more, libjpeg decodes at
 * half, quarter or eighth scale (sharp's shrink-on-load), which skips most of the inverse DCT but
 * still reads every scan's entropy-coded data: a truncated or broken scan fails here as it does in
 * a full-size decode. Rejects (sharp's error) rather than throwing PhotoRejectedError.
 */
export function jpegThumbnail(uprightJpeg: Buffer): Promise<Buffer> {
  return sharp(uprightJpeg, SHARP_INPUT)
    .resize(bounds(THUMB_MAX_PX))
    .jpeg({ quality: 70, optimiseCoding: false })
    .toBuffer();
}

/**
 * The thumbnail and the public copy, both JPEG, upright, without EXIF, GPS or XMP.
 *
 * An upright JPEG within PUBLIC_MAX_PX (`keepsPixels`, what the messengers deliver) is not
 * re-encoded: its public copy is its own compressed data with every metadata segment and every
 * byte after its EOI cut out (jpeg-strip-fns.ts), which costs a copy of the bytes instead of a
 * decode and an encode, and loses no quality. Its thumbnail is decoded from that copy, and that
 * decode, reading every scan with failOn 'error', is what proves the photo is not truncated.
 *
 * Everything else is decoded once, in full: that decode makes the public copy (upright, flattened,
 * at most PUBLIC_MAX_PX; libjpeg's DCT scaling shrinks a large JPEG while decoding it), and the
 * thumbnail is made from the public copy, a fraction of the bytes, which libjpeg decodes at half
 * or quarter scale. Sharp writes no metadata unless asked (withMetadata/keepExif are never called
 * here). (Handing the decoded pixels to both encoders instead costs about as much CPU, but puts a
 * 6 MB Buffer per photo in V8's external memory, which makes it run full collections, pauses of
 * the event loop, sooner.) Huffman tables are not optimised: a second pass over the data for files
 * about 3 % smaller.
 */
export async function renderDerivatives(
  bytes: Buffer,
  photo: Pick<InspectedPhoto, 'keepsPixels'>,
): Promise<Derivatives> {
  try {
    const stripped = photo.keepsPixels ? stripJpegMetadata(bytes) : null;
    if (stripped) return { thumb: await jpegThumbnail(stripped), public: stripped };
    const pub = await sharp(bytes, SHARP_INPUT)
      .autoOrient()
      .resize(bounds(PUBLIC_MAX_PX))
      .flatten({ background: '#ffffff' }) // transparent PNG/GIF areas become white, not black
      .jpeg({ quality: 82, optimiseCoding: false })
      .toBuffer();
    // Already upright and without metadata: nothing to orient, nothing to strip.
    return { thumb: await jpegThumbnail(pub), public: pub };
  } catch {
    rejectCorrupt();
  }
}
