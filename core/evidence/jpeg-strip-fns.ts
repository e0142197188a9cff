// A JPEG's public copy without re-encoding it: the same compressed pixels, every metadata segment
// dropped. Pure byte parsing (no I/O, no decoder), so it is unit-tested on hand-made segments.
//
// No npm package fits: the maintained ones (exif-be-gone, piexifjs, exifremove) remove APP1
// Exif/XMP, which leaves IPTC, MPF and the secondary images and motion-photo videos stored
// after the first image's EOI. This keeps an allow-list instead, so whatever a camera invents
// next is dropped too.

import { EOI, isMetadataMarker, jpegSegments, SOS } from './jpeg-segments-fns.ts';

/** Markers whose segments the pixels need, copied as they are. */
const STRUCTURE = new Set([
  0xc0, // SOF0 baseline
  0xc1, // SOF1 extended sequential, Huffman
  0xc2, // SOF2 progressive, Huffman
  0xc4, // DHT
  0xdb, // DQT
  0xdd, // DRI
]);

const APP0 = 0xe0;
const APP2 = 0xe2;
const APP14 = 0xee;

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
  const segments = jpegSegments(bytes);
  if (segments === null) return null;
  const kept: Buffer[] = [bytes.subarray(0, 2)];
  let frames = 0;
  let scans = 0;
  for (const { marker, start, end, body } of segments) {
    if (marker === EOI) {
      if (frames !== 1 || scans === 0) return null;
      kept.push(bytes.subarray(start, end));
      return Buffer.concat(kept);
    }
    if (marker === SOS) {
      if (frames !== 1) return null;
      scans++;
      kept.push(bytes.subarray(start, end));
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
    } else if (isMetadataMarker(marker)) {
      // metadata: dropped
    } else {
      return null; // arithmetic coding (DAC, SOF9+), lossless or hierarchical frames, DNL, JPGn…
    }
  }
  return null; // jpegSegments ends with EOI
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
