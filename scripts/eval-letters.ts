/**
 * `npm run eval -- --letters`: scores the router on real letters (12345 / 市长信箱 style).
 *
 * The letters themselves are development material and are not shipped: only our labels are
 * committed (eval/letters-labels.jsonl, without any letter text). They are joined by id to the
 * shared file ../shared/eval/letters.jsonl beside the repository. The frozen split is scored but
 * its misses are never printed, so nobody tunes on it. Street is not scored (another city).
 */
import { existsSync, readFileSync } from 'node:fs';
import type { Router } from '../core/routing/routing-types.ts';
import { routeOk, scoreLines, type EvalLine } from './eval-scoring.ts';

export interface LetterLabel {
  id: string;
  split: 'dev' | 'frozen';
  handling: string[];
  post: string[] | null;
  department: string[] | null;
  urgent: boolean;
  note?: string;
}

interface Letter {
  id: string;
  title?: string;
  text: string;
}

export interface LetterLine extends EvalLine {
  title: string;
  split: 'dev' | 'frozen';
}

function readJsonl<T>(file: string): T[] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.trim().length > 0)
    .map((l) => JSON.parse(l) as T);
}

/** Labels joined to letters by id; exits the process with an explanation when a file is missing. */
export function loadLetterLines(labelsFile: string, lettersFile: string): LetterLine[] {
  if (!existsSync(labelsFile)) {
    process.stderr.write(`eval --letters: label file not found: ${labelsFile}\n`);
    process.exit(2);
  }
  if (!existsSync(lettersFile)) {
    process.stderr.write(
      [
        `eval --letters: the letters file is missing: ${lettersFile}`,
        'The labels in eval/letters-labels.jsonl hold no letter text; they are joined by id to the',
        'development-only file letters.jsonl from the shared evaluation folder (../shared/eval/ beside',
        'the repository). Put it there, or pass its path with --letters-file <path>.',
        '',
      ].join('\n'),
    );
    process.exit(2);
  }
  const letters = new Map(readJsonl<Letter>(lettersFile).map((l) => [l.id, l]));
  const out: LetterLine[] = [];
  const unknown: string[] = [];
  for (const label of readJsonl<LetterLabel>(labelsFile)) {
    const letter = letters.get(label.id);
    if (!letter) {
      unknown.push(label.id);
      continue;
    }
    out.push({
      id: label.id,
      split: label.split,
      title: letter.title ?? '',
      text: letter.text,
      expected: {
        handling: label.handling,
        post: label.post,
        department: label.department,
        street: null,
        urgent: label.urgent,
      },
    });
  }
  if (unknown.length > 0)
    process.stderr.write(
      `eval --letters: ${unknown.length} labels name no letter (${unknown.slice(0, 5).join(', ')}…)\n`,
    );
  return out;
}

export function runLettersEval(router: Router, lines: readonly LetterLine[], listMisses: boolean): string {
  const report: string[] = [`Letters evaluation (street not scored), power list ${router.version}`, ''];
  for (const split of ['dev', 'frozen'] as const) {
    const part = lines.filter((l) => l.split === split);
    const decisions = part.map((l) => router.route({ title: l.title, text: l.text }));
    const s = scoreLines(part, decisions);
    const n = part.length || 1;
    const recall = s.tp + s.fn === 0 ? 1 : s.tp / (s.tp + s.fn);
    const precision = s.tp + s.fp === 0 ? 1 : s.tp / (s.tp + s.fp);
    report.push(
      `${split} (${part.length} letters)`,
      `  handling accuracy  ${(s.handlingHits / n).toFixed(3)}  (${s.handlingHits}/${part.length})`,
      `  route accuracy     ${(s.routeHits / n).toFixed(3)}  (${s.routeHits}/${part.length})`,
      `  urgent recall      ${recall.toFixed(3)}  (${s.tp}/${s.tp + s.fn})`,
      `  urgent precision   ${precision.toFixed(3)}  (${s.tp}/${s.tp + s.fp})`,
      `  sent to triage     ${s.triage}/${part.length}`,
      '',
    );
    // The frozen split's misses stay unseen: reading them would turn it into a tuning set.
    if (split !== 'dev' || !listMisses) continue;
    const misses: string[] = [];
    part.forEach((l, i) => {
      const d = decisions[i]!;
      const e = l.expected;
      if (routeOk(e, d) && d.urgent === e.urgent) return;
      const want = `${e.handling.join('/')} ${(e.post ?? []).concat(e.department ?? []).join('/')}${e.urgent ? ' 紧急' : ''}`;
      const got = `${d.handling} ${d.post ?? d.department ?? ''}${d.urgent ? ' 紧急' : ''} [${d.item?.code ?? '-'} ${d.confidence}]`;
      misses.push(`  ${l.id}  ${l.title.slice(0, 40)}\n        expected: ${want}\n        got:      ${got}`);
    });
    report.push(`dev misses (${misses.length}):`, ...misses, '');
  }
  return report.join('\n');
}
