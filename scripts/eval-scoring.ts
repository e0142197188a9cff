/** The routing evaluation contract's lines and scores (../shared/eval/README.md), shared by `npm run eval` and its `--llm` mode. */
import type { RoutingDecision } from '../core/routing/routing-types.ts';

export interface Expected {
  handling: string[];
  post: string[] | null;
  department: string[] | null;
  street: string | null;
  urgent: boolean;
}

export interface EvalLine {
  id: string;
  text: string;
  reporter?: 'resident' | 'inspector';
  lat?: number;
  lng?: number;
  address?: string;
  expected: Expected;
}

/** Handling right, and the post (street/district) or department in its accepted set. */
export function routeOk(e: Expected, d: RoutingDecision): boolean {
  if (!e.handling.includes(d.handling)) return false;
  if (d.handling === 'street' || d.handling === 'district')
    return e.post === null || (d.post !== null && e.post.includes(d.post));
  if (d.handling === 'department')
    return e.department === null || (d.department !== null && e.department.includes(d.department));
  return true;
}

export function streetScored(e: Expected): boolean {
  return e.street !== null && e.street !== undefined; // a line without the key places nothing, like null
}

export interface Scores {
  n: number;
  handlingHits: number;
  routeHits: number;
  streetTotal: number;
  streetHits: number;
  tp: number;
  fp: number;
  fn: number;
  triage: number;
}

export function scoreLines(lines: readonly EvalLine[], decisions: readonly RoutingDecision[]): Scores {
  const s: Scores = {
    n: lines.length,
    handlingHits: 0,
    routeHits: 0,
    streetTotal: 0,
    streetHits: 0,
    tp: 0,
    fp: 0,
    fn: 0,
    triage: 0,
  };
  lines.forEach(({ expected: e }, i) => {
    const d = decisions[i]!;
    s.handlingHits += e.handling.includes(d.handling) ? 1 : 0;
    s.routeHits += routeOk(e, d) ? 1 : 0;
    s.triage += d.needsTriage ? 1 : 0;
    if (streetScored(e)) {
      s.streetTotal++;
      s.streetHits += d.street.street === e.street ? 1 : 0;
    }
    if (d.urgent && e.urgent) s.tp++;
    else if (d.urgent) s.fp++;
    else if (e.urgent) s.fn++;
  });
  return s;
}
