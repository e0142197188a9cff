import type { LatLng, StreetLocation } from './geo-types.ts';
import { distanceM } from './geo-measure-fns.ts';
import { placeKeysIn, roadNumbersIn } from './place-key-fns.ts';
import { base } from './text-reason-fns.ts';

/*
 * What staff have confirmed about places: a case returned to the right street, a street
 * chosen in triage, a point or street confirmed on a case. The approximate street areas
 * are wrong near their edges and the gazetteer does not know most compounds, so each
 * confirmation is kept and places later reports: the same place text first, then house
 * numbers close by on the same road and side, then confirmed points near the pin.
 * Lookups are synchronous and in memory (routing is); the rows live in the database
 * (PlaceCorrection) and are loaded at start.
 */

export type PlaceCorrectionSource = 'returned' | 'registered' | 'confirmed';

export interface PlaceCorrection {
  /** Street name as in the seed (万松街道). */
  street: string;
  /** WGS-84 point of the case, when it had one. */
  lat: number | null;
  lng: number | null;
  /** Normalised place keys (place-key-fns.ts) of the case's address and text. */
  placeKeys: string[];
  source: PlaceCorrectionSource;
  caseId?: number | null;
  at: Date;
}

/** The router's view of what staff confirmed; implemented in memory, fed from the database. */
export interface PlaceMemoryPort {
  /** A place named in the text (compound, building, road + number) that staff placed before. */
  locateText(text: string): StreetLocation | null;
  /** Confirmed points near a WGS-84 point vote. */
  locatePoint(point: LatLng): StreetLocation | null;
  remember(c: PlaceCorrection): void;
  readonly size: number;
}

export interface PlaceMemoryOptions {
  codeOf?: (street: string) => string | null;
  /** Confirmed points farther than this do not vote (default 200 m). */
  radiusM?: number;
  /** House numbers farther apart than this on one road do not vote (default 30). */
  numberSpan?: number;
  /** Share of the votes the winner needs (default 0.6); below it the memory stays silent. */
  minShare?: number;
}

type Votes = Map<string, number>;

function winner(votes: Votes, minShare: number): { street: string; weight: number; share: number } | null {
  let total = 0;
  let best: { street: string; weight: number } | null = null;
  for (const [street, w] of votes) {
    total += w;
    if (!best || w > best.weight) best = { street, weight: w };
  }
  if (!best || total === 0) return null;
  const share = best.weight / total;
  return share >= minShare ? { ...best, share } : null;
}

function add(votes: Votes, street: string, w: number): void {
  votes.set(street, (votes.get(street) ?? 0) + w);
}

export function createPlaceMemory(
  initial: Iterable<PlaceCorrection> = [],
  options: PlaceMemoryOptions = {},
): PlaceMemoryPort {
  const codeOf = options.codeOf ?? (() => null);
  const radiusM = options.radiusM ?? 200;
  const numberSpan = options.numberSpan ?? 30;
  const minShare = options.minShare ?? 0.6;

  const byKey = new Map<string, Votes>();
  const byRoad = new Map<string, Array<{ number: number; street: string }>>();
  // Points in a grid of cells at least radiusM wide: a lookup reads the 3×3 cells around the pin.
  const cellLat = radiusM / 111_000;
  const cellLng = radiusM / 95_000; // a degree of longitude is ≥ 95 km up to 31° N
  const cellOf = (lat: number, lng: number) => [Math.floor(lat / cellLat), Math.floor(lng / cellLng)] as const;
  const grid = new Map<string, Array<{ lat: number; lng: number; street: string }>>();
  let pointCount = 0;
  let size = 0;

  const found = (street: string, reason: string, evidence: string): StreetLocation => ({
    ...base(reason),
    street,
    streetCode: codeOf(street),
    method: 'memory',
    evidence,
  });

  const memory: PlaceMemoryPort = {
    get size() {
      return size;
    },
    remember(c) {
      size++;
      for (const key of c.placeKeys) {
        const votes = byKey.get(key) ?? new Map<string, number>();
        add(votes, c.street, 1);
        byKey.set(key, votes);
        for (const rn of roadNumbersIn(key)) {
          const list = byRoad.get(rn.road) ?? [];
          list.push({ number: rn.number, street: c.street });
          byRoad.set(rn.road, list);
        }
      }
      if (c.lat !== null && c.lng !== null && Number.isFinite(c.lat) && Number.isFinite(c.lng)) {
        const [y, x] = cellOf(c.lat, c.lng);
        const cell = grid.get(`${y}:${x}`) ?? [];
        cell.push({ lat: c.lat, lng: c.lng, street: c.street });
        grid.set(`${y}:${x}`, cell);
        pointCount++;
      }
    },
    locateText(text) {
      if (size === 0 || !text) return null;
      for (const key of placeKeysIn(text)) {
        const w = byKey.get(key) && winner(byKey.get(key)!, minShare);
        if (w) return found(w.street, `“${key}”经人工确认属${w.street}（${Math.round(w.weight)}次）`, key);
      }
      // Same road, same side (odd/even numbers face each other across a boundary road), close numbers.
      for (const rn of roadNumbersIn(text)) {
        const votes: Votes = new Map();
        let nearest: { number: number; street: string } | null = null;
        for (const known of byRoad.get(rn.road) ?? []) {
          const gap = Math.abs(known.number - rn.number);
          if (gap > numberSpan || known.number % 2 !== rn.number % 2) continue;
          add(votes, known.street, 1 / (1 + gap / 10));
          if (!nearest || gap < Math.abs(nearest.number - rn.number)) nearest = known;
        }
        const w = winner(votes, minShare);
        if (w && nearest) {
          const near = `${rn.road}${nearest.number}号`;
          return found(w.street, `同侧相近门牌“${near}”经人工确认属${w.street}`, `${rn.road}${rn.number}号`);
        }
      }
      return null;
    },
    locatePoint(point) {
      if (pointCount === 0) return null;
      const votes: Votes = new Map();
      let count = 0;
      let closest = Infinity;
      const [y0, x0] = cellOf(point.lat, point.lng);
      for (let y = y0 - 1; y <= y0 + 1; y++) {
        for (let x = x0 - 1; x <= x0 + 1; x++) {
          for (const p of grid.get(`${y}:${x}`) ?? []) {
            const d = distanceM(point, p);
            if (d > radiusM) continue;
            count++;
            closest = Math.min(closest, d);
            add(votes, p.street, 1 / (1 + d / 50));
          }
        }
      }
      const w = winner(votes, minShare);
      if (!w) return null;
      return found(
        w.street,
        `定位点${radiusM}米内有${count}处经人工确认的位置（最近约${Math.round(closest)}米），属${w.street}`,
        `${count}处确认位置`,
      );
    },
  };
  for (const c of initial) memory.remember(c);
  return memory;
}
