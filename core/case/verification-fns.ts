import type { Jurisdiction, LatLng } from '../geo/geo-types.ts';
import { distanceM } from '../geo/geo-measure-fns.ts';
import type { PhotoPoint } from './case-port.ts';

/** How verification (核查) is set up: the inspector's deadline, and when a photo is "far". */
export interface VerificationSettings {
  /** The inspector's deadline for a task opened at `from` (working time); then the case is auto-verified. */
  dueAt(from: Date): Date;
  /** A resolution photo taken farther than this from the report point gets a warning. */
  farM: number;
  /** Tells whether a photo's point lies outside the district. */
  jurisdiction: Pick<Jurisdiction, 'locatePoint'>;
}

export interface PhotoCheck {
  /** Report point to the farthest resolution photo with an EXIF point, rounded to metres; null when unknown. */
  distanceM: number | null;
  /** Said to the resolver and the inspector; the resolution is accepted all the same. */
  warning: string | null;
  /** One line for the 核查 task. */
  summary: string;
}

const located = (p: PhotoPoint): p is PhotoPoint & LatLng => p.lat !== null && p.lng !== null;

/**
 * Compares where the resolution photos were taken (their EXIF points) with where the problem was
 * reported. A photo outside the district or far from the case is not refused (a phone's GPS can
 * be off, a photo can be taken from across the road), but the resolver and the inspector are told.
 */
export function checkResolutionPhotos(
  casePoint: LatLng | null,
  photos: readonly PhotoPoint[],
  settings: Pick<VerificationSettings, 'farM' | 'jurisdiction'>,
): PhotoCheck {
  const points = photos.filter(located);
  if (!photos.length) return { distanceM: null, warning: null, summary: '办结时未附照片' };
  if (!points.length) return { distanceM: null, warning: null, summary: '办结照片无拍摄位置信息' };
  const outside = points.some((p) => {
    try {
      return settings.jurisdiction.locatePoint({ lat: p.lat, lng: p.lng }).outsideDistrict;
    } catch {
      return true; // not a coordinate on Earth: certainly not in the district
    }
  });
  const far = casePoint ? Math.round(Math.max(...points.map((p) => distanceM(casePoint, p)))) : null;
  const warnings = [
    outside ? '办结照片拍摄位置不在江汉区范围内' : null,
    far !== null && far > settings.farM ? `办结照片拍摄位置距报告位置约 ${far} 米（超过 ${settings.farM} 米）` : null,
  ].filter((w): w is string => w !== null);
  return {
    distanceM: far,
    warning: warnings.length ? `${warnings.join('；')}，请核实是否在现场拍摄` : null,
    summary: far === null ? '报告未标注位置，无法比对照片位置' : `办结照片与报告位置相距约 ${far} 米`,
  };
}
