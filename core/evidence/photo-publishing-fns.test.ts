import { describe, expect, it } from 'vitest';
import { isPublishablePhoto, type PublishFacts } from './photo-publishing-fns.ts';

const REPORTER = 1;
const LEAD = 2;
const resolvedBy = (actorId: number | null, actorRole = 'team_lead') => ({ type: 'resolved', actorId, actorRole });
const photo = (over: Partial<PublishFacts> = {}): PublishFacts => ({
  publicPath: 'public/a.jpg',
  uploadedById: LEAD,
  event: resolvedBy(LEAD),
  ...over,
});

describe('isPublishablePhoto', () => {
  it('publishes the resolving handler’s photo of the resolution', () => {
    expect(isPublishablePhoto(photo(), REPORTER)).toBe(true);
  });

  it('never publishes without an EXIF-free copy, an uploader, or the resolution event', () => {
    expect(isPublishablePhoto(photo({ publicPath: null }), REPORTER)).toBe(false);
    expect(isPublishablePhoto(photo({ uploadedById: null }), REPORTER)).toBe(false);
    expect(isPublishablePhoto(photo({ event: null }), REPORTER)).toBe(false);
    expect(isPublishablePhoto(photo({ event: { ...resolvedBy(LEAD), type: 'submitted' } }), REPORTER)).toBe(false);
  });

  it('never publishes a resident’s photo, even one on the resolution event', () => {
    expect(isPublishablePhoto(photo({ uploadedById: REPORTER }), REPORTER)).toBe(false);
    expect(isPublishablePhoto(photo({ uploadedById: 3 }), REPORTER)).toBe(false); // not who resolved
    expect(isPublishablePhoto(photo({ event: resolvedBy(LEAD, 'resident') }), REPORTER)).toBe(false);
  });
});
