import type { Crs } from '../geo/geo-types.ts';
import type { RouteInput, Router } from './routing-types.ts';
import { validCoordinates } from './street-locate-fns.ts';

/** Longer texts are refused rather than silently cut: a report is not a book. */
export const MAX_TEXT_CHARS = 10_000;
/** A title is a line, not a second letter. */
export const MAX_TITLE_CHARS = 500;

export interface LineResult {
  id: string | number | null;
  handling: string;
  post: string | null;
  department: string | null;
  street: string | null;
  urgent: boolean;
  item: string | null;
  confidence: number;
  triage: boolean;
  reasons: string[];
}

export interface LineError {
  id: string | number | null;
  error: { code: string; message: string };
}

const CRS = new Set<Crs>(['wgs84', 'gcj02', 'bd09']);

function fail(id: LineError['id'], code: string, message: string): LineError {
  return { id, error: { code, message } };
}

/** One JSONL input line → one output object, whatever the line holds. Never throws. */
export function classifyLine(router: Router, line: string): LineResult | LineError {
  if (line.trim().length === 0) return fail(null, 'empty_line', 'blank line: expected a JSON object');
  let json: unknown;
  try {
    // Editors on Windows start files with a byte-order mark.
    json = JSON.parse(line.charCodeAt(0) === 0xfeff ? line.slice(1) : line);
  } catch {
    return fail(null, 'invalid_json', 'line is not valid JSON');
  }
  if (json === null || typeof json !== 'object' || Array.isArray(json)) {
    return fail(null, 'invalid_input', 'line must be a JSON object');
  }
  const o = json as Record<string, unknown>;
  const id = typeof o.id === 'string' || (typeof o.id === 'number' && Number.isFinite(o.id)) ? o.id : null;
  const input = toRouteInput(o);
  if ('error' in input) return fail(id, input.error[0], input.error[1]);
  try {
    const d = router.route(input);
    return {
      id,
      handling: d.handling,
      post: d.post,
      department: d.department,
      street: d.street.street,
      urgent: d.urgent,
      item: d.item?.code ?? null,
      confidence: d.confidence,
      triage: d.needsTriage,
      reasons: d.reasons,
    };
  } catch (err) {
    return fail(id, 'internal_error', err instanceof Error ? err.message : String(err));
  }
}

function toRouteInput(o: Record<string, unknown>): RouteInput | { error: [string, string] } {
  if (typeof o.text !== 'string') return { error: ['invalid_text', '"text" must be a string'] };
  if (o.text.trim().length === 0) return { error: ['empty_text', '"text" is empty'] };
  if (o.text.length > MAX_TEXT_CHARS) {
    return {
      error: ['text_too_long', `"text" has ${o.text.length} characters; at most ${MAX_TEXT_CHARS} are accepted`],
    };
  }
  const input: RouteInput = { text: o.text };
  // A 12345 work order or letter comes with a title: it names the matter, so it is read apart.
  if (o.title !== undefined && o.title !== null) {
    if (typeof o.title !== 'string') return { error: ['invalid_title', '"title" must be a string'] };
    if (o.title.length > MAX_TITLE_CHARS)
      return { error: ['title_too_long', `"title" has ${o.title.length} characters; at most ${MAX_TITLE_CHARS}`] };
    if (o.title.trim().length > 0) input.title = o.title;
  }
  if (o.reporter !== undefined && o.reporter !== null) {
    if (o.reporter !== 'resident' && o.reporter !== 'inspector') {
      return { error: ['invalid_reporter', '"reporter" must be "resident" or "inspector"'] };
    }
    input.reporter = o.reporter;
  }
  const hasLat = o.lat !== undefined && o.lat !== null;
  const hasLng = o.lng !== undefined && o.lng !== null;
  if (hasLat || hasLng) {
    if (!validCoordinates(o.lat, o.lng)) {
      return {
        error: [
          'invalid_coordinates',
          '"lat" and "lng" must both be finite numbers, lat within ±90 and lng within ±180',
        ],
      };
    }
    input.lat = o.lat as number;
    input.lng = o.lng as number;
  }
  if (o.crs !== undefined && o.crs !== null) {
    if (typeof o.crs !== 'string' || !CRS.has(o.crs as Crs))
      return { error: ['invalid_crs', '"crs" must be wgs84, gcj02 or bd09'] };
    input.crs = o.crs as Crs;
  }
  if (o.address !== undefined && o.address !== null) {
    if (typeof o.address !== 'string') return { error: ['invalid_address', '"address" must be a string'] };
    if (o.address.length > MAX_TEXT_CHARS) return { error: ['address_too_long', '"address" is too long'] };
    input.address = o.address;
  }
  return input;
}
