import { describe, expect, it } from 'vitest';
import { ValidationError } from '../errors.ts';
import { PhotoRejectedError } from './photo-errors.ts';
import {
  acceptedExtension,
  checkPixels,
  checkSize,
  evidencePaths,
  exifTimeToDate,
  formatSize,
  keepsCompressedPixels,
  validGps,
} from './photo-fns.ts';

const reason = (fn: () => unknown): string | undefined => {
  try {
    fn();
  } catch (err) {
    return err instanceof PhotoRejectedError ? err.reason : `other: ${String(err)}`;
  }
  return undefined;
};

describe('checkSize', () => {
  it('refuses empty and oversized input with Chinese messages', () => {
    expect(reason(() => checkSize(0, 1000))).toBe('empty');
    expect(reason(() => checkSize(1001, 1000))).toBe('too_large');
    expect(reason(() => checkSize(1000, 1000))).toBeUndefined();
    expect(() => checkSize(21 * 1024 * 1024, 20 * 1024 * 1024)).toThrow('照片超过 20 MB，请压缩后重新发送');
  });

  it('is a ValidationError with code validation_error, so transports answer 400', () => {
    const err = (() => {
      try {
        checkSize(0, 10);
      } catch (e) {
        return e;
      }
    })();
    expect(err).toBeInstanceOf(ValidationError);
    expect((err as ValidationError).code).toBe('validation_error');
  });
});

describe('formatSize', () => {
  it('says the limit the way a chat user reads it', () => {
    expect(formatSize(20 * 1024 * 1024)).toBe('20 MB');
    expect(formatSize(1.5 * 1024 * 1024)).toBe('1.5 MB');
    expect(formatSize(2048)).toBe('2 KB');
  });
});

describe('acceptedExtension', () => {
  it('maps the still-photo types', () => {
    expect(acceptedExtension('image/jpeg')).toBe('jpg');
    expect(acceptedExtension('image/heic')).toBe('heic');
    expect(acceptedExtension('image/heif')).toBe('heif');
    expect(acceptedExtension('image/png')).toBe('png');
  });

  it('tells "not an image" from "an image we do not take"', () => {
    expect(reason(() => acceptedExtension(undefined))).toBe('not_an_image');
    expect(reason(() => acceptedExtension('application/pdf'))).toBe('not_an_image');
    expect(reason(() => acceptedExtension('image/tiff'))).toBe('unsupported_format');
    expect(reason(() => acceptedExtension('image/heic-sequence'))).toBe('unsupported_format');
    expect(() => acceptedExtension('text/plain')).toThrow('这不是图片文件，请发送 JPG、PNG 或 HEIC 照片');
  });
});

describe('checkPixels', () => {
  it('refuses more than 100 megapixels and zero sizes', () => {
    expect(reason(() => checkPixels(10_000, 10_000))).toBeUndefined();
    expect(reason(() => checkPixels(10_001, 10_000))).toBe('too_large');
    expect(reason(() => checkPixels(0, 100))).toBe('corrupt');
  });
});

describe('evidencePaths', () => {
  const sha = 'ab'.repeat(2) + 'c'.repeat(60);
  it('fans originals out by hash and keeps derivatives as JPEG', () => {
    expect(evidencePaths(sha, 'heic')).toEqual({
      original: `evidence/ab/ab/${sha}.heic`,
      thumb: `thumbs/${sha}.jpg`,
      public: `public/${sha}.jpg`,
    });
  });
  it('refuses anything but a hex digest (it becomes a path)', () => {
    expect(() => evidencePaths('../../etc/passwd', 'jpg')).toThrow();
  });
});

describe('exifTimeToDate', () => {
  it('reads EXIF wall time as Asia/Shanghai when no offset is recorded', () => {
    expect(exifTimeToDate('2026:03:02 09:15:30')?.toISOString()).toBe('2026-03-02T01:15:30.000Z');
  });
  it('uses OffsetTimeOriginal when the camera wrote one', () => {
    expect(exifTimeToDate('2026:03:02 09:15:30', '+09:00')?.toISOString()).toBe('2026-03-02T00:15:30.000Z');
    expect(exifTimeToDate('2026:03:02 09:15:30', '-05:00')?.toISOString()).toBe('2026-03-02T14:15:30.000Z');
    expect(exifTimeToDate('2026:03:02 09:15:30', 'garbage')?.toISOString()).toBe('2026-03-02T01:15:30.000Z');
  });
  it('gives null for garbage rather than a wrong date', () => {
    for (const bad of [
      '',
      '0000:00:00 00:00:00',
      '2026:02:31 10:00:00',
      '2026:13:01 10:00:00',
      '    :  :     :  :  ',
      'yesterday',
      12345,
      null,
      undefined,
    ]) {
      expect(exifTimeToDate(bad)).toBeNull();
    }
  });
});

describe('validGps', () => {
  it('keeps plausible WGS-84 points and drops null island and out-of-range values', () => {
    expect(validGps(30.59, 114.27)).toEqual({ lat: 30.59, lng: 114.27 });
    expect(validGps(-33.9, -70.6)).toEqual({ lat: -33.9, lng: -70.6 });
    expect(validGps(0, 0)).toBeNull();
    expect(validGps(91, 10)).toBeNull();
    expect(validGps(Number.NaN, 10)).toBeNull();
    expect(validGps('30.5', 114)).toBeNull();
    expect(validGps(undefined, undefined)).toBeNull();
  });
});

describe('keepsCompressedPixels', () => {
  const upright = { format: 'jpeg', width: 1280, height: 960, space: 'srgb', channels: 3, depth: 'uchar' };
  it('takes an upright 8-bit sRGB JPEG within 1600 px', () => {
    expect(keepsCompressedPixels(upright)).toBe(true);
    expect(keepsCompressedPixels({ ...upright, orientation: 1 })).toBe(true);
    expect(keepsCompressedPixels({ ...upright, width: 1600, height: 1600 })).toBe(true);
  });
  it('re-encodes rotated, larger, CMYK, grey, 16-bit, non-JPEG photos and unknown sizes', () => {
    expect(keepsCompressedPixels({ ...upright, space: 'b-w', channels: 1 })).toBe(false);
    expect(keepsCompressedPixels({ ...upright, orientation: 6 })).toBe(false);
    expect(keepsCompressedPixels({ ...upright, orientation: 2 })).toBe(false);
    expect(keepsCompressedPixels({ ...upright, width: 1601 })).toBe(false);
    expect(keepsCompressedPixels({ ...upright, height: 2304 })).toBe(false);
    expect(keepsCompressedPixels({ ...upright, space: 'cmyk', channels: 4 })).toBe(false);
    expect(keepsCompressedPixels({ ...upright, depth: 'ushort' })).toBe(false);
    expect(keepsCompressedPixels({ ...upright, format: 'png' })).toBe(false);
    expect(keepsCompressedPixels({ ...upright, width: undefined })).toBe(false);
  });
});
