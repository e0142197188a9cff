/**
 * Scores the router against a labelled JSONL file (default ../shared/eval/dev.jsonl beside the
 * repository) and lists the misses. Always exits 0: the figures are for people to read.
 */
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { createJurisdiction } from '../core/geo/jurisdiction.ts';
import { loadPowerListFileSync } from '../core/power-list/power-list-loader.ts';
import { defaultPowerListPath } from '../core/power-list/power-list-path.ts';
import { createRouter } from '../core/routing/router.ts';
import type { RoutingDecision } from '../core/routing/routing-types.ts';
import { runLlmEval } from './eval-llm.ts';

interface Expected {
  handling: string[];
  post: string[] | null;
  department: string[] | null;
  street: string | null;
  urgent: boolean;
}
interface Line {
  id: string;
  text: string;
  reporter?: 'resident' | 'inspector';
  lat?: number;
  lng?: number;
  address?: string;
  expected: Expected;
}

const TARGETS = { route: 0.92, handling: 0.95, urgentRecall: 1, urgentPrecision: 0.9 };

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const { values } = parseArgs({ options: { file: { type: 'string' }, list: { type: 'string' }, llm: { type: 'boolean' } } });
const file = resolve(values.file ?? resolve(repoRoot, '../shared/eval/dev.jsonl'));
const lines: Line[] = readFileSync(file, 'utf8')
  .split('\n')
  .filter((l) => l.trim().length > 0)
  .map((l) => JSON.parse(l) as Line);

const router = createRouter({
  powerList: loadPowerListFileSync(values.list ?? defaultPowerListPath()),
  jurisdiction: createJurisdiction(),
});
// --llm: rules alone and rules with model assistance side by side (scripts/eval-llm.ts); exits 2 without LLM_* settings.
if (values.llm) process.exit(await runLlmEval({ file, lines, router, listPath: values.list ?? defaultPowerListPath() }));

function routeOk(e: Expected, d: RoutingDecision): boolean {
  if (!e.handling.includes(d.handling)) return false;
  if (d.handling === 'street' || d.handling === 'district') return e.post === null || (d.post !== null && e.post.includes(d.post));
  if (d.handling === 'department') return e.department === null || (d.department !== null && e.department.includes(d.department));
  return true;
}

let handlingHits = 0, routeHits = 0, streetTotal = 0, streetHits = 0, tp = 0, fp = 0, fn = 0, triage = 0;
const misses: string[] = [];
for (const line of lines) {
  const d = router.route({ text: line.text, reporter: line.reporter, lat: line.lat, lng: line.lng, address: line.address });
  const e = line.expected;
  const hOk = e.handling.includes(d.handling);
  const rOk = routeOk(e, d);
  handlingHits += hOk ? 1 : 0;
  routeHits += rOk ? 1 : 0;
  if (d.needsTriage) triage++;
  let sOk = true;
  if (e.street !== null) {
    streetTotal++;
    sOk = d.street.street === e.street;
    streetHits += sOk ? 1 : 0;
  }
  if (d.urgent && e.urgent) tp++;
  else if (d.urgent) fp++;
  else if (e.urgent) fn++;
  if (!rOk || !sOk || d.urgent !== e.urgent) {
    const want = `${e.handling.join('/')} ${(e.post ?? e.department ?? []).join('/')}${e.street ? ' @' + e.street : ''}${e.urgent ? ' 紧急' : ''}`;
    const got = `${d.handling} ${d.post ?? d.department ?? ''}${d.street.street ? ' @' + d.street.street : ''}${d.urgent ? ' 紧急' : ''} [${d.item?.code ?? '-'} ${d.confidence}${d.needsTriage ? ' 人工' : ''}]`;
    misses.push(`  ${line.id}  ${line.text.slice(0, 40)}${line.text.length > 40 ? '…' : ''}\n        expected: ${want}\n        got:      ${got}  top: ${d.candidates.slice(0, 3).map((c) => `${c.code}:${c.score}`).join(' ')}`);
  }
}

const n = lines.length;
const pct = (x: number) => x.toFixed(3);
const recall = tp + fn === 0 ? 1 : tp / (tp + fn);
const precision = tp + fp === 0 ? 1 : tp / (tp + fp);
const mark = (v: number, t: number) => (v >= t ? 'ok' : 'MISSED');
process.stdout.write(
  [
    `Routing evaluation: ${file}`,
    `power list ${router.version}, ${n} reports`,
    '',
    `handling accuracy  ${pct(handlingHits / n)}  (${handlingHits}/${n})   target ≥ ${TARGETS.handling}  ${mark(handlingHits / n, TARGETS.handling)}`,
    `route accuracy     ${pct(routeHits / n)}  (${routeHits}/${n})   target ≥ ${TARGETS.route}  ${mark(routeHits / n, TARGETS.route)}`,
    `street accuracy    ${pct(streetTotal ? streetHits / streetTotal : 1)}  (${streetHits}/${streetTotal} with a street label)`,
    `urgent recall      ${pct(recall)}  (${tp}/${tp + fn})   target = ${TARGETS.urgentRecall}  ${mark(recall, TARGETS.urgentRecall)}`,
    `urgent precision   ${pct(precision)}  (${tp}/${tp + fp})   target ≥ ${TARGETS.urgentPrecision}  ${mark(precision, TARGETS.urgentPrecision)}`,
    `sent to triage     ${triage}/${n}`,
    '',
    `misses (${misses.length}):`,
    ...misses,
    '',
  ].join('\n'),
);
