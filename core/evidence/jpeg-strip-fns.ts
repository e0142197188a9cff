// A JPEG's public copy without re-encoding it: the same compressed pixels, every metadata segment
// dropped. Pure byte parsing (no I/O, no decoder), so it is unit-tested on hand-made segments.
//
// No npm package fits: the maintained ones (exif-be-gone, piexifjs, exifremove) remove APP1
// Exif/XMP, which leaves IPTC, MPF and the secondary images and motion-photo videos stored
// after the first image's EOI. This keeps an allow-list instead, so whatever a camera invents
// next is dropped too.

/** Markers whose segments the pixels need, copied as they are. */
const STRUCTURE = new Set([
  0xc0, // SOF0 baseline
  0xc1, // SOF1 extended sequential, Huffman
  0xc2, // SOF2 progressive, Huffman
  0xc4, // DHT
  0xdb, // DQT
  0xdd, // DRI
]);

const SOS = 0xda;
const EOI = 0xd9;
const APP0 = 0xe0;
const APP2 = 0xe2;
const APP14 = 0xee;
const COM = 0xfe;

const startsWith = (segment: Buffer, tag: string) =>
  segment.length >= tag.length && segment.toString('latin1', 0, tag.length) === tag;

/**
 * The photo with only what its pixels need: SOF0/SOF1/SOF2, DQT, DHT, DRI, SOS and the scan data,
 * APP0 JFIF (without its embedded thumbnail), APP2 ICC_PROFILE and APP14 Adobe (both change how
 * the colours are read). APP1 (Exif, XMP), APP13 (IPTC), APP2 MPF, every other APPn and COM are
 * dropped, and so is every byte after the first image's EOI (MPF secondary images, motion-photo
 * videos, trailers).
 *
 * Null when the file is anything but a plain, complete JPEG of that kind: no EOI (truncated),
 * arithmetic coding or a hierarchical or lossless frame (browsers cannot show those), a second
 * frame, a segment running past the end. The caller then re-encodes it, and that decode refuses
 * what is broken. Null never means the photo is bad, only that this shortcut does not apply.
 */
export function stripJpegMetadata(bytes: Buffer): Buffer | null {
  if (bytes.length < 4 || bytes[0] !== 0xff || bytes[1] !== 0xd8) return null;
  const kept: Buffer[] = [bytes.subarray(0, 2)];
  let at = 2;
  let frames = 0;
  let scans = 0;
  while (at < bytes.length) {
    if (bytes[at] !== 0xff) return null; // a marker must start here
    // Any number of 0xFF fill bytes may precede a marker; they are dropped.
    while (at < bytes.length && bytes[at] === 0xff) at++;
    if (at >= bytes.length) return null;
    const marker = bytes[at]!;
    const start = at - 1;
    at++;
    if (marker === EOI) {
      if (frames !== 1 || scans === 0) return null;
      kept.push(bytes.subarray(start, at));
      return Buffer.concat(kept);
    }
    if (marker === 0x00 || marker === 0x01 || (marker >= 0xd0 && marker <= 0xd8)) return null; // no segment here
    if (at + 2 > bytes.length) return null;
    const length = bytes.readUInt16BE(at);
    const end = at + length;
    if (length < 2 || end > bytes.length) return null;
    const body = bytes.subarray(at + 2, end);
    at = end;

    if (marker === SOS) {
      if (frames !== 1) return null;
      scans++;
      at = jpegScanEnd(bytes, at);
      kept.push(bytes.subarray(start, at));
    } else if (STRUCTURE.has(marker)) {
      if (marker <= 0xc2 && ++frames > 1) return null;
      kept.push(bytes.subarray(start, end));
    } else if (marker === APP0) {
      if (startsWith(body, 'JFIF\0')) {
        const jfif = jfifWithoutThumbnail(bytes.subarray(start, end));
        if (jfif === null) return null;
        kept.push(jfif);
      }
    } else if (marker === APP2) {
      if (startsWith(body, 'ICC_PROFILE\0')) kept.push(bytes.subarray(start, end));
    } else if (marker === APP14) {
      if (startsWith(body, 'Adobe')) kept.push(bytes.subarray(start, end));
    } else if ((marker >= 0xe0 && marker <= 0xef) || marker === COM) {
      // metadata: dropped
    } else {
      return null; // arithmetic coding (DAC, SOF9+), lossless or hierarchical frames, DNL, JPGn…
    }
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

/**
 * The JFIF APP0 segment as written, unless it embeds a thumbnail: then its first 16 bytes (the
 * fixed fields) with the thumbnail's size set to 0×0, a thumbnail being an image of its own that
 * may show what the photo was before it was cropped.
 */
function jfifWithoutThumbnail(segment: Buffer): Buffer | null {
  // FF E0, length (2), "JFIF\0" (5), version (2), units (1), densities (4), thumbnail w, h (2)
  if (segment.length < 18) return null;
  if (segment[16] === 0 && segment[17] === 0) return segment;
  const fixed = Buffer.from(segment.subarray(0, 18));
  fixed.writeUInt16BE(16, 2);
  fixed[16] = 0;
  fixed[17] = 0;
  return fixed;
}
