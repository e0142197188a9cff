import { describe, expect, it } from 'vitest';
import { ForbiddenError, ValidationError } from '../errors.ts';
import { assertAttachable, attachRefusal } from './attachment-access-fns.ts';

const mine = { id: 1, uploadedById: 10, caseId: null };
const onCase5 = { id: 2, uploadedById: 10, caseId: 5 };
const theirs = { id: 3, uploadedById: 11, caseId: null };
const nobodys = { id: 4, uploadedById: null, caseId: null };

describe('attachRefusal', () => {
  it('lets the uploader attach a photo on no case, or one already on the target case', () => {
    expect(attachRefusal([1], [mine], 10, null)).toBeNull();
    expect(attachRefusal([1, 2], [mine, onCase5], 10, 5)).toBeNull();
  });

  it('refuses unknown ids before anything else', () => {
    expect(attachRefusal([1, 99], [mine], 10, null)).toEqual({ kind: 'unknown', ids: [99] });
  });

  it('refuses another person’s photo, a photo without uploader and one on another case', () => {
    expect(attachRefusal([3], [theirs], 10, null)).toEqual({ kind: 'foreign', ids: [3] });
    expect(attachRefusal([4], [nobodys], 10, null)).toEqual({ kind: 'foreign', ids: [4] });
    expect(attachRefusal([2], [onCase5], 10, 6)).toEqual({ kind: 'foreign', ids: [2] });
    expect(attachRefusal([2], [onCase5], 10, null)).toEqual({ kind: 'foreign', ids: [2] });
  });

  it('throws 400-type errors for unknown ids and 403-type for foreign ones', () => {
    expect(() => assertAttachable([99], [], 10, null)).toThrow(ValidationError);
    expect(() => assertAttachable([3], [theirs], 10, null)).toThrow(ForbiddenError);
    expect(() => assertAttachable([1, 1], [mine], 10, null)).not.toThrow();
  });
});
