import type { Jurisdiction, StreetLocation } from '../geo/geo-types.ts';
import { toWgs84 } from '../geo/coord-transform-fns.ts';
import type { PlaceMemoryPort } from '../geo/place-memory.ts';
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

/** The reporting staff member's own street, for a report nothing else placed (or a road through it). */
function ownStreet(jurisdiction: Jurisdiction, input: RouteInput, unplaced: StreetLocation): StreetLocation {
  const own = input.reporterStreet?.trim();
  if (!own || unplaced.street || unplaced.outsideDistrict) return unplaced;
  const mine = jurisdiction.locateText(own);
  if (!mine.street) return unplaced;
  if (unplaced.candidates.length > 0 && !unplaced.candidates.includes(mine.street)) return unplaced;
  const who = input.reporter === 'inspector' ? '巡查员' : '上报人员';
  const why =
    unplaced.candidates.length > 0
      ? `${unplaced.reason.replace(/，请补充.*$/, '')}；按${who}所属街道${mine.street}处理`
      : `报告未注明位置，按${who}所属街道${mine.street}处理`;
  return { ...unplaced, street: mine.street, streetCode: mine.streetCode, method: 'reporter', reason: why };
}

/**
 * Street of a report: a place staff confirmed before (named in the address, the text, or
 * confirmed points near the pin) and the address through the gazetteer, else the pin, else
 * place names in the text, else the reporting inspector's own street. A later source is tried
 * when an earlier one places nothing; a point outside the district is kept as the answer
 * because that fact matters to the reply.
 */
export function locateStreet(
  jurisdiction: Jurisdiction,
  input: RouteInput,
  memory?: PlaceMemoryPort | null,
): StreetLocation {
  let fallback: StreetLocation | null = null;
  const address = input.address?.trim();
  if (address) {
    const remembered = memory?.locateText(address);
    if (remembered) return remembered;
    const byAddress = jurisdiction.locateText(address);
    if (byAddress.street) return byAddress;
    fallback = byAddress;
  }
  const rememberedText = input.text ? memory?.locateText(input.text) : null;
  if (rememberedText) return rememberedText;
  if (input.lat !== undefined || input.lng !== undefined) {
    if (validCoordinates(input.lat, input.lng)) {
      try {
        const point = toWgs84({ lat: input.lat!, lng: input.lng! }, input.crs ?? 'wgs84');
        const byPoint = jurisdiction.locatePoint(point, 'wgs84');
        if (byPoint.outsideDistrict) return byPoint;
        // Staff confirmations near the pin outrank the approximate areas, which err near edges.
        const near = memory?.locatePoint(point);
        if (near) return near;
        if (byPoint.street) return byPoint;
        fallback ??= byPoint;
      } catch (err) {
        if (!(err instanceof RangeError)) throw err;
      }
    }
  }
  const byText = input.text ? jurisdiction.locateText(input.text) : null;
  if (byText?.street) return byText;
  const unplaced = byText && byText.candidates.length > 0 ? byText : (fallback ?? byText ?? UNPLACED);
  return ownStreet(jurisdiction, input, unplaced);
}
