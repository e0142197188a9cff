import { placeKeysIn } from '../geo/place-key-fns.ts';
import type { PlaceCorrection, PlaceCorrectionSource } from '../geo/place-memory.ts';
import type { CaseRow, NewPlaceCorrection } from './case-port.ts';

/** Place names sit early in a report; a long letter's tail only adds false keys. */
const PLACE_TEXT_CHARS = 2000;

/**
 * What a staff decision about a case's street teaches about places: the case's point and
 * the place keys of its address and text, now known to be in `street`. Null when the case
 * names no place and has no point, since then there is nothing to remember.
 */
export function placeCorrectionOf(
  c: Pick<CaseRow, 'id' | 'lat' | 'lng' | 'address' | 'text'>,
  street: { id: number; name: string },
  source: PlaceCorrectionSource,
  actorId: number | null,
  at: Date,
): { row: NewPlaceCorrection; memory: PlaceCorrection } | null {
  const keys = placeKeysIn([c.address ?? '', c.text.slice(0, PLACE_TEXT_CHARS)].join(' '));
  const hasPoint = c.lat !== null && c.lng !== null;
  if (keys.length === 0 && !hasPoint) return null;
  const lat = hasPoint ? c.lat : null;
  const lng = hasPoint ? c.lng : null;
  return {
    row: {
      streetId: street.id,
      lat,
      lng,
      placeText: keys.length ? keys.join('|') : null,
      source,
      caseId: c.id,
      actorId,
      at,
    },
    memory: { street: street.name, lat, lng, placeKeys: keys, source, caseId: c.id, at },
  };
}
