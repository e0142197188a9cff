import type { PlaceCorrection, PlaceCorrectionSource } from '../core/geo/place-memory.ts';
import type { Db } from './prisma-client.ts';

/** Every confirmed place, oldest first, for the router's place memory at start. */
export async function loadPlaceCorrections(db: Db): Promise<PlaceCorrection[]> {
  const rows = await db.placeCorrection.findMany({
    orderBy: { id: 'asc' },
    select: {
      lat: true,
      lng: true,
      placeText: true,
      source: true,
      caseId: true,
      createdAt: true,
      street: { select: { name: true } },
    },
  });
  return rows.map((r) => ({
    street: r.street.name,
    lat: r.lat,
    lng: r.lng,
    placeKeys: r.placeText ? r.placeText.split('|').filter(Boolean) : [],
    source: r.source as PlaceCorrectionSource,
    caseId: r.caseId,
    at: r.createdAt,
  }));
}
