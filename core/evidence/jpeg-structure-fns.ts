// Whether a JPEG is complete and its tables are sound, by reading its markers, without decoding a
// pixel. Pure byte parsing (no I/O, no decoder), unit-tested on hand-made segments.
//
// Why: at intake, an upright JPEG within 1600 px used to be decoded (the thumbnail) only to prove
// it was not truncated, about 11 ms of CPU per 0.5 MB photo. With failOn 'error', what libjpeg
// refuses in such a file is structural: a missing end (truncation: libvips fails on the premature
// end), an unknown or misplaced marker, a second frame, a table that does not parse or is not
// defined when a scan uses it, impossible progressive parameters. Damaged entropy-coded data
// between intact markers is only a libjpeg warning, which failOn 'error' accepts anyway. So these
// checks refuse what the decode refused, and the thumbnail is made on first view instead.

import { EOI, isMetadataMarker, jpegSegments, SOS } from './jpeg-segments-fns.ts';

const SOF_HUFFMAN = new Set([0xc0, 0xc1, 0xc2]); // baseline, extended sequential, progressive
const DHT = 0xc4;
const DQT = 0xdb;
const DRI = 0xdd;

interface Component {
  h: number;
  v: number;
  /** The quantisation table it uses. */
  table: number;
}

interface Frame {
  progressive: boolean;
  /** As stored (before any EXIF orientation). */
  width: number;
  height: number;
  components: Map<number, Component>;
}

/** A sound JPEG's frame header: its stored size and how many colour components it has. */
export interface JpegFrameInfo {
  width: number;
  height: number;
  components: number;
}

/**
 * True when the bytes are one complete Huffman-coded JPEG (SOI, one SOF0/1/2 frame, its scans,
 * EOI) whose DQT, DHT and SOS segments parse and whose scans use only tables defined before them.
 * False for anything else (truncated, fake, arithmetic or lossless coding, a broken table…): the
 * caller then decodes the photo, and that decode decides. Bytes after the first EOI are ignored
 * (MPF images, motion-photo videos), as the public copy drops them.
 */
export function jpegStructureSound(bytes: Buffer): boolean {
  return soundJpegFrame(bytes) !== null;
}

/**
 * The frame header of a JPEG that jpegStructureSound accepts, null for any other bytes: one walk
 * over the markers gives intake both the structure check and the header (photo-decode.ts).
 */
export function soundJpegFrame(bytes: Buffer): JpegFrameInfo | null {
  const segments = jpegSegments(bytes);
  if (segments === null) return null;
  const quant = new Set<number>();
  const dc = new Set<number>();
  const ac = new Set<number>();
  let frame: Frame | null = null;
  let scans = 0;
  for (const { marker, body } of segments) {
    if (marker === EOI) {
      if (frame === null || scans === 0) return null;
      return { width: frame.width, height: frame.height, components: frame.components.size };
    }
    if (SOF_HUFFMAN.has(marker)) {
      if (frame !== null) return null;
      frame = parseFrame(body, marker === 0xc2);
      if (frame === null) return null;
    } else if (marker === DQT) {
      if (!readQuantTables(body, quant)) return null;
    } else if (marker === DHT) {
      if (!readHuffmanTables(body, dc, ac)) return null;
    } else if (marker === DRI) {
      if (body.length !== 2) return null;
    } else if (marker === SOS) {
      if (frame === null || !scanSound(body, frame, quant, dc, ac)) return null;
      scans++;
    } else if (!isMetadataMarker(marker)) {
      return null; // arithmetic coding (DAC, SOF9+), lossless or hierarchical frames, DNL, JPGn…
    }
  }
  return null; // jpegSegments ends with EOI
}

/**
 * SOF: precision 8, non-zero size, 1–4 components with sampling factors 1–4 and table 0–3, each
 * factor dividing the largest (libjpeg does not implement fractional upsampling).
 */
function parseFrame(body: Buffer, progressive: boolean): Frame | null {
  if (body.length < 6) return null;
  const count = body[5]!;
  if (body[0] !== 8 || body.readUInt16BE(1) === 0 || body.readUInt16BE(3) === 0) return null;
  if (count < 1 || count > 4 || body.length !== 6 + 3 * count) return null;
  const components = new Map<number, Component>();
  for (let i = 0; i < count; i++) {
    const id = body[6 + 3 * i]!;
    const h = body[7 + 3 * i]! >> 4;
    const v = body[7 + 3 * i]! & 15;
    const table = body[8 + 3 * i]!;
    if (h < 1 || h > 4 || v < 1 || v > 4 || table > 3 || components.has(id)) return null;
    components.set(id, { h, v, table });
  }
  const all = [...components.values()];
  const maxH = Math.max(...all.map((c) => c.h));
  const maxV = Math.max(...all.map((c) => c.v));
  if (all.some((c) => maxH % c.h !== 0 || maxV % c.v !== 0)) return null;
  return { progressive, width: body.readUInt16BE(3), height: body.readUInt16BE(1), components };
}

/** DQT: one or more tables of 64 bytes (8-bit) or 128 (16-bit) that fill the segment exactly. */
function readQuantTables(body: Buffer, defined: Set<number>): boolean {
  let at = 0;
  while (at < body.length) {
    const precision = body[at]! >> 4;
    const id = body[at]! & 15;
    if (precision > 1 || id > 3) return false;
    at += 1 + 64 * (precision + 1);
    if (at > body.length) return false;
    defined.add(id);
  }
  return body.length > 0;
}

/** DHT: one or more tables (class, id, 16 counts, the values) that fill the segment exactly. */
function readHuffmanTables(body: Buffer, dc: Set<number>, ac: Set<number>): boolean {
  let at = 0;
  while (at < body.length) {
    const cls = body[at]! >> 4;
    const id = body[at]! & 15;
    if (cls > 1 || id > 3 || at + 17 > body.length) return false;
    let values = 0;
    for (let i = 1; i <= 16; i++) values += body[at + i]!;
    if (values === 0 || values > 256) return false;
    at += 17 + values;
    if (at > body.length) return false;
    (cls === 0 ? dc : ac).add(id);
  }
  return body.length > 0;
}

/**
 * SOS: 1–4 of the frame's components, each with its quantisation table and the Huffman tables the
 * scan needs already defined; spectral selection and approximation as libjpeg accepts them.
 */
function scanSound(body: Buffer, frame: Frame, quant: Set<number>, dc: Set<number>, ac: Set<number>): boolean {
  const count = body[0] ?? 0;
  if (count < 1 || count > 4 || body.length !== 1 + 2 * count + 3) return false;
  const ss = body[1 + 2 * count]!;
  const se = body[2 + 2 * count]!;
  const ah = body[3 + 2 * count]! >> 4;
  const al = body[3 + 2 * count]! & 15;
  if (frame.progressive) {
    if (ss === 0 ? se !== 0 : se < ss || se > 63 || count !== 1) return false;
    if ((ah !== 0 && al !== ah - 1) || al > 13) return false;
  }
  // A DC scan decodes with the DC table, except a progressive refinement, which reads raw bits;
  // a scan with AC coefficients needs the AC table.
  const needsDc = ss === 0 && !(frame.progressive && ah !== 0);
  const needsAc = frame.progressive ? se > 0 : true;
  let blocks = 0; // per MCU of an interleaved scan: at most 10 (libjpeg's JERR_BAD_MCU_SIZE)
  for (let i = 0; i < count; i++) {
    const component = frame.components.get(body[1 + 2 * i]!);
    if (component === undefined || !quant.has(component.table)) return false;
    blocks += component.h * component.v;
    const tables = body[2 + 2 * i]!;
    if (needsDc && !dc.has(tables >> 4)) return false;
    if (needsAc && !ac.has(tables & 15)) return false;
  }
  return count === 1 || blocks <= 10;
}
