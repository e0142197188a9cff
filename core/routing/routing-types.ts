import type { Crs, StreetLocation } from '../geo/geo-types.ts';
import type { Department, Level, Mode721, Post, TimeBasis } from '../power-list/power-list-types.ts';

export type Handling = 'street' | 'district' | 'department' | 'none';

export interface RouteInput {
  text: string;
  /** A work order's or letter's title (12345, 市长信箱), when it comes apart from the text. */
  title?: string;
  reporter?: 'resident' | 'inspector';
  lat?: number;
  lng?: number;
  crs?: Crs;
  address?: string;
  /** The reporting staff member's own street: places a report nothing else places. */
  reporterStreet?: string;
}

/** The matched power-list item as a case records it (vocabulary left out). */
export interface RoutedItem {
  code: string;
  name: string;
  version: string;
  post: Post | null;
  department: Department | null;
  level: Level;
  legalBasis: string;
  responseHours: number;
  handlingHours: number;
  timeBasis: TimeBasis;
  urgent: boolean;
  mode721: Mode721;
}

export interface RoutingCandidate {
  code: string;
  name: string;
  score: number;
  evidence: string[];
}

export interface RoutingDecision {
  handling: Handling;
  post: Post | null;
  department: Department | null;
  item: RoutedItem | null;
  /** 0..1: how sure the router is of handling and post/department together. */
  confidence: number;
  urgent: boolean;
  /** What the reporter should do at once (Chinese), when urgent. */
  urgentAdvice: string | null;
  street: StreetLocation;
  /** Up to five list items with evidence, best first. */
  candidates: RoutingCandidate[];
  /** Low confidence or close rivals: a person confirms before dispatch. */
  needsTriage: boolean;
  /** Short Chinese sentences: which item matched, on which words, why this level, why urgent. */
  reasons: string[];
}

export interface Router {
  route(input: RouteInput): RoutingDecision;
  /** Power list version the router was built from. */
  readonly version: string;
}
