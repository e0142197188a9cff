import type { Jurisdiction, StreetLocation } from '../geo/geo-types.ts';
import { base } from '../geo/text-reason-fns.ts';
import type { RouteInput } from './routing-types.ts';

export const UNPLACED: StreetLocation = base('未能确定所属街道');

export function validCoordinates(lat: unknown, lng: unknown): boolean {
  return (
    typeof lat === 'number' &&
    typeof lng === 'number' &&
    Number.isFinite(lat) &&
    Number.isFinite(lng) &&
    Math.abs(lat) <= 90 &&
    Math.abs(lng) <= 180
  );
}

/**
 * Street of a report: the address the reporter typed, else the pin, else place names in the
 * text. A later source is tried when an earlier one places nothing; a point outside the district
 * is kept as the answer because that fact matters to the reply.
 */
export function locateStreet(jurisdiction: Jurisdiction, input: RouteInput): StreetLocation {
  let fallback: StreetLocation | null = null;
  const address = input.address?.trim();
  if (address) {
    const byAddress = jurisdiction.locateText(address);
    if (byAddress.street) return byAddress;
    fallback = byAddress;
  }
  if (input.lat !== undefined || input.lng !== undefined) {
    if (validCoordinates(input.lat, input.lng)) {
      try {
        const byPoint = jurisdiction.locatePoint({ lat: input.lat!, lng: input.lng! }, input.crs);
        if (byPoint.street || byPoint.outsideDistrict) return byPoint;
        fallback ??= byPoint;
      } catch (err) {
        if (!(err instanceof RangeError)) throw err;
      }
    }
  }
  const byText = input.text ? jurisdiction.locateText(input.text) : null;
  if (byText?.street) return byText;
  return byText && byText.candidates.length > 0 ? byText : (fallback ?? byText ?? UNPLACED);
}
