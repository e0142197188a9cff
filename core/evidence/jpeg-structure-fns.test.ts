import { describe, expect, it } from 'vitest';
import { jpegStructureSound } from './jpeg-structure-fns.ts';

// Hand-made segments: the checks read markers and tables only, never pixels (real photos, cut
// and broken, are in test/integration/photo-copies.test.ts).
const seg = (marker: number, body: number[] | Buffer) => {
  const b = Buffer.from(body);
  const head = Buffer.from([0xff, marker, 0, 0]);
  head.writeUInt16BE(b.length + 2, 2);
  return Buffer.concat([head, b]);
};
const SOI = Buffer.from([0xff, 0xd8]);
const EOI = Buffer.from([0xff, 0xd9]);
const quant = (id: number) => [id, ...Array<number>(64).fill(1)];
const dqt = seg(0xdb, [...quant(0), ...quant(1)]);
/** One Huffman table: class, id, one code of length 1, its value. */
const huff = (cls: number, id: number) => [(cls << 4) | id, 1, ...Array<number>(15).fill(0), 0];
const dht = seg(0xc4, [...huff(0, 0), ...huff(1, 0), ...huff(0, 1), ...huff(1, 1)]);
/** A 16×16 frame: Y 2×2 on table 0, Cb and Cr 1×1 on table 1. */
const sof = (marker = 0xc0, ySampling = 0x22, cbSampling = 0x11) =>
  seg(marker, [8, 0, 16, 0, 16, 3, 1, ySampling, 0, 2, cbSampling, 1, 3, 0x11, 1]);
const sos = (components: number[][], ss = 0, se = 63, ahAl = 0) =>
  seg(0xda, [components.length, ...components.flat(), ss, se, ahAl]);
const allThree = [
  [1, 0x00],
  [2, 0x11],
  [3, 0x11],
];
const scanData = Buffer.from([0x12, 0x34, 0xff, 0x00, 0x56, 0xff, 0xd0, 0x78]);
const jpeg = (...middle: Buffer[]) => Buffer.concat([SOI, ...middle, EOI]);
const baseline = jpeg(dqt, sof(), dht, sos(allThree), scanData);

describe('jpegStructureSound', () => {
  it('accepts a complete baseline JPEG, with metadata segments and bytes after its EOI', () => {
    expect(jpegStructureSound(baseline)).toBe(true);
    const withApp = Buffer.concat([SOI, seg(0xe1, Buffer.from('Exif\0\0')), seg(0xfe, [1, 2]), baseline.subarray(2)]);
    expect(jpegStructureSound(Buffer.concat([withApp, Buffer.from('motion photo video')]))).toBe(true);
  });

  it('accepts a progressive JPEG: a DC scan, AC scans per component, a refinement', () => {
    const progressive = jpeg(
      dqt,
      sof(0xc2),
      dht,
      sos(allThree, 0, 0, 0x01),
      scanData,
      sos([[1, 0x00]], 1, 63, 0x01),
      scanData,
      sos(allThree, 0, 0, 0x10),
      scanData,
    );
    expect(jpegStructureSound(progressive)).toBe(true);
  });

  it('refuses a cut file wherever it is cut', () => {
    for (let end = 0; end < baseline.length - 1; end++)
      expect(jpegStructureSound(baseline.subarray(0, end)), `cut at ${end}`).toBe(false);
  });

  it('refuses a fake file, an unknown marker in a scan, a second frame, arithmetic coding', () => {
    expect(jpegStructureSound(Buffer.concat([SOI, Buffer.alloc(200, 0x37)]))).toBe(false);
    expect(jpegStructureSound(jpeg(dqt, sof(), dht, sos(allThree), Buffer.from([0x12, 0xff, 0x02, 0, 0])))).toBe(false);
    expect(jpegStructureSound(jpeg(dqt, sof(), sof(), dht, sos(allThree), scanData))).toBe(false);
    expect(jpegStructureSound(jpeg(dqt, sof(0xc9), dht, sos(allThree), scanData))).toBe(false);
    expect(jpegStructureSound(jpeg(dqt, sof(), dht))).toBe(false); // no scan
  });

  it('refuses tables that do not parse or are missing when a scan uses them', () => {
    expect(jpegStructureSound(jpeg(seg(0xdb, quant(0).slice(0, 40)), sof(), dht, sos(allThree), scanData))).toBe(false);
    expect(jpegStructureSound(jpeg(dqt, sof(), seg(0xc4, huff(0, 0).slice(0, 17)), sos(allThree), scanData))).toBe(
      false,
    );
    const onlyTable0 = seg(0xc4, [...huff(0, 0), ...huff(1, 0)]);
    expect(jpegStructureSound(jpeg(dqt, sof(), onlyTable0, sos(allThree), scanData))).toBe(false);
    expect(jpegStructureSound(jpeg(seg(0xdb, quant(0)), sof(), dht, sos(allThree), scanData))).toBe(false);
    expect(jpegStructureSound(jpeg(dqt, sof(), dht, sos([[9, 0x00]]), scanData))).toBe(false); // no such component
  });

  it('refuses what libjpeg cannot decode: fractional sampling, impossible progressive parameters', () => {
    expect(jpegStructureSound(jpeg(dqt, sof(0xc0, 0x31, 0x21), dht, sos(allThree), scanData))).toBe(false);
    expect(jpegStructureSound(jpeg(dqt, sof(0xc0, 0x44, 0x22), dht, sos(allThree), scanData))).toBe(false); // 24 blocks
    expect(jpegStructureSound(jpeg(dqt, sof(0xc2), dht, sos(allThree, 0, 5, 0), scanData))).toBe(false);
    expect(jpegStructureSound(jpeg(dqt, sof(0xc2), dht, sos(allThree, 1, 63, 0), scanData))).toBe(false);
    expect(jpegStructureSound(jpeg(dqt, sof(0xc2), dht, sos([[1, 0x00]], 1, 63, 0x31), scanData))).toBe(false);
  });
});
