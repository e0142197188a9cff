/** Coordinate reference systems Gridline meets: phones/Telegram/browsers send WGS-84,
 * WeChat and most Chinese map services GCJ-02, Baidu BD-09. Everything stored is WGS-84. */
export type Crs = 'wgs84' | 'gcj02' | 'bd09';

export interface LatLng {
  lat: number;
  lng: number;
}

/** Where a report is, as far as the jurisdiction data can tell. */
export interface StreetLocation {
  /** Street name as in the seed (e.g. '万松街道'), or null when nothing places it. */
  street: string | null;
  /** Official street code (e.g. '420103008'), null with street. */
  streetCode: string | null;
  /**
   * How it was decided: the street areas, the gazetteer, what staff confirmed before
   * (`memory`), or the inspector's own street when nothing else placed the report (`reporter`).
   */
  method: 'point' | 'gazetteer' | 'memory' | 'reporter' | 'none';
  /** True when the point is outside the district outline. */
  outsideDistrict: boolean;
  /** Neighbouring district name when known for a point outside (e.g. '江岸区'). */
  neighbour: string | null;
  /** Streets a matched road or name spans when it cannot decide (ambiguous). */
  candidates: string[];
  /** Human-readable reason in Chinese, e.g. '地址“鄱阳路”位于花楼水塔街道'. */
  reason: string;
  /** The gazetteer entry or words that decided it. */
  evidence: string | null;
  /** True when the answer rests on approximate street polygons (not official boundaries). */
  approximate?: boolean;
}

export interface Jurisdiction {
  /** Point → street; converts from `crs` to WGS-84 first. Invalid coordinates throw RangeError. */
  locatePoint(point: LatLng, crs?: Crs): StreetLocation;
  /** Address or free text → street through the gazetteer (communities, roads, landmarks). */
  locateText(text: string): StreetLocation;
}
