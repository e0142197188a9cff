/**
 * Scores the router against a labelled JSONL file (default ../shared/eval/dev.jsonl beside the
 * repository) and lists the misses. Always exits 0: the figures are for people to read.
 */
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { createBundledJurisdiction } from '../config/jurisdiction-data-file.ts';
import { loadPowerListFileSync } from '../config/power-list-file.ts';
import { defaultPowerListPath } from '../config/power-list-file.ts';
import { createRouter } from '../core/routing/router.ts';
import { runLlmEval } from './eval-llm.ts';
import { loadLetterLines, runLettersEval } from './eval-letters.ts';
import { routeOk, scoreLines, streetScored, type EvalLine } from './eval-scoring.ts';

const TARGETS = { route: 0.92, handling: 0.95, urgentRecall: 1, urgentPrecision: 0.9 };

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const { values } = parseArgs({
  options: {
    file: { type: 'string' },
    list: { type: 'string' },
    llm: { type: 'boolean' },
    letters: { type: 'boolean' },
    'letters-file': { type: 'string' },
    'no-misses': { type: 'boolean' },
  },
});
const file = resolve(values.file ?? resolve(repoRoot, '../shared/eval/dev.jsonl'));
// --letters: real letters joined to our labels by id (scripts/eval-letters.ts); runs before the dev file is read.
if (values.letters) {
  const letterLines = loadLetterLines(
    resolve(repoRoot, 'eval/letters-labels.jsonl'),
    resolve(values['letters-file'] ?? resolve(repoRoot, '../shared/eval/letters.jsonl')),
  );
  const letterRouter = createRouter({
    powerList: loadPowerListFileSync(values.list ?? defaultPowerListPath()),
    jurisdiction: createBundledJurisdiction(),
  });
  process.stdout.write(runLettersEval(letterRouter, letterLines, !values['no-misses']));
  process.exit(0);
}
const lines: EvalLine[] = readFileSync(file, 'utf8')
  .split('\n')
  .filter((l) => l.trim().length > 0)
  .map((l) => JSON.parse(l) as EvalLine);

const router = createRouter({
  powerList: loadPowerListFileSync(values.list ?? defaultPowerListPath()),
  jurisdiction: createBundledJurisdiction(),
});
// --llm: rules alone and rules with model assistance side by side (scripts/eval-llm.ts); exits 2 without LLM_* settings.
if (values.llm)
  process.exit(await runLlmEval({ file, lines, router, listPath: values.list ?? defaultPowerListPath() }));

const decisions = lines.map((line) =>
  router.route({ text: line.text, reporter: line.reporter, lat: line.lat, lng: line.lng, address: line.address }),
);
const { handlingHits, routeHits, streetTotal, streetHits, tp, fp, fn, triage } = scoreLines(lines, decisions);
const misses: string[] = [];
lines.forEach((line, i) => {
  const d = decisions[i]!;
  const e = line.expected;
  const sOk = !streetScored(e) || d.street.street === e.street;
  if (!routeOk(e, d) || !sOk || d.urgent !== e.urgent) {
    const want = `${e.handling.join('/')} ${(e.post ?? e.department ?? []).join('/')}${e.street ? ' @' + e.street : ''}${e.urgent ? ' 紧急' : ''}`;
    const got = `${d.handling} ${d.post ?? d.department ?? ''}${d.street.street ? ' @' + d.street.street : ''}${d.urgent ? ' 紧急' : ''} [${d.item?.code ?? '-'} ${d.confidence}${d.needsTriage ? ' 人工' : ''}]`;
    misses.push(
      `  ${line.id}  ${line.text.slice(0, 40)}${line.text.length > 40 ? '…' : ''}\n        expected: ${want}\n        got:      ${got}  top: ${d.candidates
        .slice(0, 3)
        .map((c) => `${c.code}:${c.score}`)
        .join(' ')}`,
    );
  }
});

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
