// A JPEG's marker segments, walked once for the two readers that need them: the public copy's
// metadata strip (jpeg-strip-fns.ts) and intake's structure check (jpeg-structure-fns.ts). Pure
// byte parsing (no I/O, no decoder).

export const SOS = 0xda;
export const EOI = 0xd9;
export const COM = 0xfe;

export interface JpegSegment {
  marker: number;
  /** The 0xFF right before the marker (fill bytes before it are not part of the segment). */
  start: number;
  /** Past the segment; for SOS, past the entropy-coded data that follows its header. */
  end: number;
  /** The segment's payload after its length field (empty for EOI). */
  body: Buffer;
}

/**
 * The segments from SOI to the first EOI (included), or null when the bytes are not a walkable
 * JPEG: no SOI, a byte where a marker must start, a marker that has no segment (TEM, RSTn, a
 * second SOI), a segment running past the end, or no EOI (truncated). Bytes after the first EOI
 * are not read (MPF images, motion-photo videos, trailers).
 */
export function jpegSegments(bytes: Buffer): JpegSegment[] | null {
  if (bytes.length < 4 || bytes[0] !== 0xff || bytes[1] !== 0xd8) return null;
  const segments: JpegSegment[] = [];
  let at = 2;
  while (at < bytes.length) {
    if (bytes[at] !== 0xff) return null; // a marker must start here
    // Any number of 0xFF fill bytes may precede a marker.
    while (at < bytes.length && bytes[at] === 0xff) at++;
    if (at >= bytes.length) return null;
    const marker = bytes[at]!;
    const start = at - 1;
    at++;
    if (marker === EOI) {
      segments.push({ marker, start, end: at, body: bytes.subarray(at, at) });
      return segments;
    }
    if (marker === 0x00 || marker === 0x01 || (marker >= 0xd0 && marker <= 0xd8)) return null; // no segment here
    if (at + 2 > bytes.length) return null;
    const length = bytes.readUInt16BE(at);
    const end = at + length;
    if (length < 2 || end > bytes.length) return null;
    const body = bytes.subarray(at + 2, end);
    at = marker === SOS ? jpegScanEnd(bytes, end) : end;
    segments.push({ marker, start, end: at, body });
  }
  return null; // no EOI: truncated
}

/**
 * Where the entropy-coded data after an SOS header ends: at the first marker that is neither a
 * stuffed 0xFF00 nor a restart marker (RST0–7). The end of the buffer when there is none.
 */
export function jpegScanEnd(bytes: Buffer, from: number): number {
  let at = bytes.indexOf(0xff, from);
  while (at !== -1 && at + 1 < bytes.length) {
    const next = bytes[at + 1]!;
    if (next !== 0x00 && !(next >= 0xd0 && next <= 0xd7)) return at;
    at = bytes.indexOf(0xff, at + 2);
  }
  return bytes.length;
}

/** APPn (0xE0–0xEF) or COM: metadata, never needed to decode the pixels. */
export const isMetadataMarker = (marker: number): boolean => (marker >= 0xe0 && marker <= 0xef) || marker === COM;
