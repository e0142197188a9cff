import type { InboundLocation, InboundMessage } from '../inbound-types.ts';

/** A report or a patrol finding being gathered across several messages, in any order. */
export interface Draft {
  text: string[];
  photos: number[];
  /** Voice recordings kept as evidence; attached to the case with the photos. */
  voices?: number[];
  location: (InboundLocation & { source: 'pin' | 'photo' }) | null;
  address: string | null;
  /** What the bot asked for last: a text reply then answers that question. */
  asked: 'text' | 'location' | null;
  urgentShown: boolean;
  /** Asked once which part of a road through several streets: the second answer is taken as is. */
  askedAmbiguous?: boolean;
  /** The last search for an open case nearby (nearby-flow.ts) that found none to offer: where and when. */
  nearbyNone?: { spot: string; at: string };
}

export const emptyDraft = (): Draft => ({
  text: [],
  photos: [],
  location: null,
  address: null,
  asked: null,
  urgentShown: false,
});

export function asDraft(data: Record<string, unknown> | undefined): Draft {
  return { ...emptyDraft(), ...(data as Partial<Draft> | undefined) };
}

/** Positions coarser than this are not trusted for the problem's location. */
export const IMPRECISE_M = 150;

/** Adds what one message carries. Returns true when a photo's EXIF supplied the location. */
export function addToDraft(d: Draft, msg: InboundMessage): boolean {
  let fromPhoto = false;
  const text = msg.text?.trim();
  if (text) {
    if (d.asked === 'location') d.address = text.slice(0, 200);
    else d.text.push(text.slice(0, 4000));
  }
  if (msg.voice?.attachmentId && !(d.voices ??= []).includes(msg.voice.attachmentId))
    d.voices.push(msg.voice.attachmentId);
  for (const p of msg.photos ?? []) {
    if (!d.photos.includes(p.attachmentId)) d.photos.push(p.attachmentId);
    if (!d.location && typeof p.exifLat === 'number' && typeof p.exifLng === 'number') {
      d.location = { lat: p.exifLat, lng: p.exifLng, crs: 'wgs84', source: 'photo' };
      fromPhoto = true;
    }
  }
  if (msg.location) d.location = { ...msg.location, source: 'pin' };
  if (msg.location?.address && !d.address) d.address = msg.location.address.slice(0, 200);
  return fromPhoto;
}

export function draftText(d: Draft): string {
  return d.text.join('\n');
}

export function hasContent(msg: InboundMessage): boolean {
  return Boolean(msg.text?.trim() || msg.photos?.length || msg.location || msg.voice);
}

/** Typed answers to the confirm step, for people who type rather than press. */
export function typedChoice(text: string | undefined): 'confirm' | 'edit' | 'cancel' | null {
  const t = (text ?? '').trim().replace(/[。！!，,\s]/g, '');
  if (/^(确认|确认提交|提交|确定|好的?|是的?|对|ok|OK|yes)$/.test(t)) return 'confirm';
  if (/^(修改|更改|改一下|重新填写?)$/.test(t)) return 'edit';
  if (/^(取消|不提交|算了|不用了)$/.test(t)) return 'cancel';
  return null;
}
