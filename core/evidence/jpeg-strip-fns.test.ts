import { describe, expect, it } from 'vitest';
import { stripJpegMetadata } from './jpeg-strip-fns.ts';

// Hand-made segments: the parser looks at markers and lengths only, never at pixels.
const seg = (marker: number, body: Buffer | string) => {
  const b = typeof body === 'string' ? Buffer.from(body, 'latin1') : body;
  const head = Buffer.from([0xff, marker, 0, 0]);
  head.writeUInt16BE(b.length + 2, 2);
  return Buffer.concat([head, b]);
};
const SOI = Buffer.from([0xff, 0xd8]);
const EOI = Buffer.from([0xff, 0xd9]);
const jfif = (thumbW = 0, thumbH = 0) =>
  seg(
    0xe0,
    Buffer.concat([
      Buffer.from('JFIF\0', 'latin1'),
      Buffer.from([1, 1, 0, 0, 72, 0, 72, thumbW, thumbH]),
      Buffer.alloc(thumbW * thumbH * 3, 0x11),
    ]),
  );
const dqt = seg(0xdb, Buffer.alloc(65, 1));
const sof = (marker = 0xc0) => seg(marker, Buffer.from([8, 0, 16, 0, 16, 3, 1, 0x22, 0, 2, 0x11, 1, 3, 0x11, 1]));
const dht = seg(0xc4, Buffer.alloc(29, 2));
const dri = seg(0xdd, Buffer.from([0, 4]));
const sosHeader = seg(0xda, Buffer.from([3, 1, 0, 2, 0x11, 3, 0x11, 0, 63, 0]));
// Entropy-coded data with a stuffed 0xFF00 and a restart marker, which do not end the scan.
const scanData = Buffer.from([0x12, 0x34, 0xff, 0x00, 0x56, 0xff, 0xd0, 0x78, 0x9a]);
const icc = seg(
  0xe2,
  Buffer.concat([Buffer.from('ICC_PROFILE\0', 'latin1'), Buffer.from([1, 1]), Buffer.alloc(20, 3)]),
);
const adobe = seg(0xee, Buffer.concat([Buffer.from('Adobe', 'latin1'), Buffer.from([0, 100, 0, 0, 0, 0, 1])]));
const exif = seg(0xe1, 'Exif\0\0MM\0*GPSLatitude 30.58');
const xmp = seg(0xe1, 'http://ns.adobe.com/xap/1.0/\0<x:xmpmeta>Wuhan</x:xmpmeta>');
const iptc = seg(0xed, 'Photoshop 3.0\x008BIM\x04\x04 by-line');
const mpf = seg(0xe2, 'MPF\0MM\0*secondary image at offset');
const comment = seg(0xfe, 'shot at Jianghan Road');
const other = seg(0xe9, 'vendor data');

/** A complete plain JPEG: what the stripper must keep, in order. */
const kept = (...extra: Buffer[]) => Buffer.concat([SOI, ...extra, dqt, sof(), dht, sosHeader, scanData, EOI]);

describe('stripJpegMetadata', () => {
  it('keeps a plain JPEG as it is', () => {
    const plain = kept(jfif());
    expect(stripJpegMetadata(plain)?.equals(plain)).toBe(true);
  });

  it('drops Exif, XMP, IPTC, MPF, COM and other APPn segments, keeps JFIF, ICC and Adobe', () => {
    const photo = Buffer.concat([
      SOI,
      exif,
      jfif(),
      xmp,
      icc,
      mpf,
      iptc,
      adobe,
      other,
      dqt,
      comment,
      sof(),
      dht,
      dri,
      sosHeader,
      scanData,
      EOI,
    ]);
    const out = stripJpegMetadata(photo)!;
    expect(out.equals(Buffer.concat([SOI, jfif(), icc, adobe, dqt, sof(), dht, dri, sosHeader, scanData, EOI]))).toBe(
      true,
    );
    for (const gone of ['Exif', 'GPS', 'http://ns.adobe.com/xap', 'Photoshop', '8BIM', 'MPF', 'Jianghan', 'vendor'])
      expect(out.includes(gone, 0, 'latin1')).toBe(false);
  });

  it('drops everything after the first EOI: MPF secondary images, motion-photo videos, trailers', () => {
    const second = kept(exif);
    const photo = Buffer.concat([kept(mpf), second, Buffer.from('\0\0\0\x18ftypmp42 motion photo', 'latin1')]);
    const out = stripJpegMetadata(photo)!;
    expect(out.equals(kept())).toBe(true);
    expect(out.subarray(-2).equals(EOI)).toBe(true);
  });

  it('removes an embedded JFIF thumbnail, keeping the fixed fields', () => {
    const out = stripJpegMetadata(kept(jfif(2, 2)))!;
    expect(out.equals(kept(jfif()))).toBe(true);
  });

  it('keeps every scan of a progressive JPEG and the tables between them; drops fill bytes', () => {
    const photo = Buffer.concat([
      SOI,
      dqt,
      sof(0xc2),
      dht,
      sosHeader,
      scanData,
      Buffer.from([0xff, 0xff]), // fill before a marker
      dht,
      comment,
      sosHeader,
      scanData,
      EOI,
    ]);
    expect(
      stripJpegMetadata(photo)?.equals(
        Buffer.concat([SOI, dqt, sof(0xc2), dht, sosHeader, scanData, dht, sosHeader, scanData, EOI]),
      ),
    ).toBe(true);
  });

  it('gives up (null) on what is not a plain complete JPEG, so the photo is re-encoded instead', () => {
    const full = kept(exif);
    expect(stripJpegMetadata(full.subarray(0, full.length - 4))).toBeNull(); // truncated in the scan
    expect(stripJpegMetadata(full.subarray(0, 30))).toBeNull(); // truncated in a segment
    expect(stripJpegMetadata(Buffer.concat([SOI, dqt, EOI]))).toBeNull(); // no frame, no scan
    expect(stripJpegMetadata(Buffer.concat([SOI, dqt, sof(), dht, EOI]))).toBeNull(); // no scan
    expect(stripJpegMetadata(Buffer.concat([SOI, dqt, dht, sosHeader, scanData, EOI]))).toBeNull(); // scan before frame
    expect(stripJpegMetadata(Buffer.concat([SOI, dqt, sof(), sof(), dht, sosHeader, scanData, EOI]))).toBeNull();
    for (const frame of [0xc3, 0xc9, 0xca, 0xcd]) {
      // lossless, arithmetic-coded: browsers cannot show them
      expect(stripJpegMetadata(Buffer.concat([SOI, dqt, sof(frame), sosHeader, scanData, EOI]))).toBeNull();
    }
    expect(stripJpegMetadata(Buffer.concat([SOI, seg(0xcc, Buffer.from([0, 1])), dqt, sof(), EOI]))).toBeNull(); // DAC
    expect(stripJpegMetadata(Buffer.concat([SOI, Buffer.from([0x00, 0x01]), dqt]))).toBeNull(); // no marker
    expect(stripJpegMetadata(Buffer.concat([SOI, Buffer.from([0xff, 0xe1, 0x40, 0x00, 1, 2])]))).toBeNull(); // overlong
    expect(stripJpegMetadata(Buffer.from('\x89PNG\r\n\x1a\n', 'latin1'))).toBeNull();
    expect(stripJpegMetadata(Buffer.alloc(0))).toBeNull();
  });
});
