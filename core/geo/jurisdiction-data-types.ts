import type { Feature, FeatureCollection, MultiPolygon, Polygon } from 'geojson';

/** Shapes of the bundled data files in prisma/data/ (all coordinates WGS-84, [lng, lat]). */

export interface StreetInfo {
  /** Seed name, e.g. '花楼水塔街道'. */
  name: string;
  /** Primary official code (420103002 for 花楼水塔). */
  code: string;
  /** Every official code that maps to this street (花楼街 002 and 水塔街 003). */
  codes: string[];
  /** Other spellings that name the street itself (花楼街, 水塔街道, 民族街街道 …). */
  aliases: string[];
  staff?: number;
  areaKm2?: number;
  note?: string;
}

export interface CommunityEntry {
  /** e.g. '妙三社区'. */
  name: string;
  /** Name without 社区, e.g. '妙三'. */
  short: string;
  code: string;
  street: string;
  aliases?: string[];
  /** The short name is an ordinary word: match only when written with 社区/居委会. */
  requiresSuffix: boolean;
}

/** Hand-compiled entries say where they come from and how sure they are. */
export interface Provenance {
  /** e.g. 'public knowledge of Hankou, compiled 2026; approximate'. */
  source?: string;
  confidence?: 'high' | 'medium' | 'low';
}

export interface RoadEntry extends Provenance {
  name: string;
  aliases?: string[];
  /** Every street the road runs through or along; more than one means ambiguous. */
  streets: string[];
  note?: string;
}

export interface LandmarkEntry extends Provenance {
  name: string;
  aliases?: string[];
  /** null when the landmark spans several streets (then `candidates`). */
  street: string | null;
  candidates?: string[];
  /** 'address' for a full house-numbered address (a street office, the government seat). */
  kind?: 'landmark' | 'address';
  lng?: number;
  lat?: number;
  note?: string;
}

export interface ForeignPlaceEntry extends Provenance {
  name: string;
  aliases?: string[];
  /** The district it is in, e.g. '东西湖区'. */
  district: string;
  note?: string;
}

export interface NeighbourEntry {
  name: string;
  aliases: string[];
  /** Rough WGS-84 [lng, lat] points inside that district, for guessing it from a point. */
  anchors: Array<[number, number]>;
}

export interface Gazetteer {
  note: string;
  district: { name: string; adcode: string; aliases: string[]; govSeat?: string; areaKm2?: number };
  streets: StreetInfo[];
  communities: CommunityEntry[];
  roads: RoadEntry[];
  landmarks: LandmarkEntry[];
  foreignPlaces: ForeignPlaceEntry[];
  neighbours: NeighbourEntry[];
  /** Ordinary phrases containing a place name (交通路口) that must not place a report. */
  ignorePhrases?: string[];
}

export interface StreetFeatureProps {
  name: string;
  code: string;
  staff?: number;
  /** false only for official boundaries brought in by scripts/geo-import.ts. */
  approximate: boolean;
  source: string;
}

export type StreetFeature = Feature<Polygon | MultiPolygon, StreetFeatureProps>;
export type StreetCollection = FeatureCollection<Polygon | MultiPolygon, StreetFeatureProps> & { note?: string };
export type OutlineCollection = FeatureCollection<Polygon | MultiPolygon>;

/** Everything createJurisdiction needs; tests may pass their own. */
export interface JurisdictionData {
  gazetteer: Gazetteer;
  streets: StreetCollection;
  outline: OutlineCollection;
}
