// inspectPhoto (core/evidence/photo-decode.ts): a sound JPEG's header is read from its own markers
// and EXIF, without sharp's header read; every photo gets the answer sharp's header read gives.
import { fileTypeFromBuffer } from 'file-type';
import sharp from 'sharp';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { jpegStructureSound } from '../../core/evidence/jpeg-structure-fns.ts';
import { inspectPhoto } from '../../core/evidence/photo-decode.ts';
import { keepsCompressedPixels } from '../../core/evidence/photo-fns.ts';
import { jpeg, noisyJpeg } from '../helpers/test-images.ts';

const WUHAN = { lat: 30.5801, lng: 114.2734 };

// file-type as it is, its sniff counted.
vi.mock('file-type', async (original) => {
  const real = await original<typeof import('file-type')>();
  return { ...real, fileTypeFromBuffer: vi.fn(real.fileTypeFromBuffer) };
});

/** What inspectPhoto said before it read any header itself: sharp's header read and the walk. */
async function bySharp(bytes: Buffer) {
  const meta = await sharp(bytes).metadata();
  return {
    width: meta.autoOrient?.width ?? meta.width,
    height: meta.autoOrient?.height ?? meta.height,
    keepsPixels: keepsCompressedPixels(meta),
    soundJpeg: jpegStructureSound(bytes),
  };
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe('inspectPhoto', () => {
  it('reads a sound JPEG without sharp: size, upright, EXIF time and place from one pass', async () => {
    const photo = await jpeg(64, 48, { takenAt: '2026:03:02 09:30:00', ...WUHAN });
    const metadata = vi.spyOn(sharp.prototype, 'metadata');
    const inspected = await inspectPhoto(photo);
    expect(metadata).not.toHaveBeenCalled();
    expect(inspected).toMatchObject({ mime: 'image/jpeg', ext: 'jpg', width: 64, height: 48, undecodable: null });
    expect(inspected).toMatchObject({ keepsPixels: true, soundJpeg: true });
    expect(inspected.exif).toMatchObject({ takenAt: new Date('2026-03-02T01:30:00Z'), orientation: 1 });
    expect(inspected.exif.lat).toBeCloseTo(WUHAN.lat, 3);
  });

  it("tells a JPEG by file-type's rule without running file-type; anything else goes to file-type", async () => {
    const sniff = vi.mocked(fileTypeFromBuffer);
    sniff.mockClear();
    expect(await inspectPhoto(await jpeg(64, 48))).toMatchObject({ mime: 'image/jpeg', ext: 'jpg' });
    expect(sniff).not.toHaveBeenCalled();
    // JPEG-LS (FF D8 FF F7) is file-type's to name: image/jls, which is refused.
    const jls = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xf7]), Buffer.alloc(64)]);
    expect((await fileTypeFromBuffer(jls))?.mime).toBe('image/jls');
    await expect(inspectPhoto(jls)).rejects.toMatchObject({ reason: 'unsupported_format' });
    const png = await sharp({ create: { width: 4, height: 4, channels: 3, background: '#000' } })
      .png()
      .toBuffer();
    expect(await inspectPhoto(png)).toMatchObject({ mime: 'image/png', ext: 'png' });
    expect(sniff).toHaveBeenCalledTimes(3);
  });

  it('reads EXIF time with the offset the camera wrote, else the digitized time, and the place', async () => {
    const withOffset = await jpeg(64, 48, { takenAt: '2026:03:02 09:30:00', offset: '+02:00', ...WUHAN });
    expect((await inspectPhoto(withOffset)).exif.takenAt).toEqual(new Date('2026-03-02T07:30:00Z'));
    const digitizedOnly = await sharp(await jpeg(64, 48))
      .withExifMerge({ IFD2: { DateTimeDigitized: '2026:03:02 10:00:00', OffsetTimeDigitized: '+08:00' } })
      .toBuffer();
    expect((await inspectPhoto(digitizedOnly)).exif).toMatchObject({
      takenAt: new Date('2026-03-02T02:00:00Z'),
      lat: null,
    });
  });

  const cases: Array<[string, (plain: Buffer) => Promise<Buffer>]> = [
    ['no EXIF', (plain) => Promise.resolve(plain)],
    ['upright, EXIF orientation 1', () => jpeg(64, 48, { orientation: 1 })],
    ['turned a quarter (orientation 6): sides swapped, re-encoded', () => jpeg(64, 48, { orientation: 6 })],
    ['mirrored (orientation 2): not upright', () => jpeg(64, 48, { orientation: 2 })],
    ['wider than the public copy', () => jpeg(1700, 40)],
    [
      'progressive',
      async () =>
        sharp(await noisyJpeg())
          .jpeg({ progressive: true })
          .toBuffer(),
    ],
    ['grey (one component): left to sharp', (plain) => sharp(plain).toColourspace('b-w').jpeg().toBuffer()],
    ['CMYK: left to sharp', (plain) => sharp(plain).toColourspace('cmyk').jpeg().toBuffer()],
    ['truncated: left to sharp', async () => (await noisyJpeg()).subarray(0, 4000)],
  ];

  for (const [title, make] of cases) {
    it(`gives what sharp's header read gives: ${title}`, async () => {
      const bytes = await make(await jpeg(64, 48));
      const inspected = await inspectPhoto(bytes);
      expect({
        width: inspected.width,
        height: inspected.height,
        keepsPixels: inspected.keepsPixels,
        soundJpeg: inspected.soundJpeg,
      }).toEqual(await bySharp(bytes));
    });
  }
});
