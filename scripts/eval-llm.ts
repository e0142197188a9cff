/**
 * `npm run eval -- --llm`: scores the rules alone and the rules with model assistance on the same
 * lines, side by side, with how many reports went to the model and how the calls went. Needs
 * LLM_BASE_URL and LLM_MODEL (and LLM_API_KEY if the server wants one); exits 2 without them.
 */
import pino from 'pino';
import { createLlmAssist } from '../app/create-llm-assist.ts';
import { ConfigError, loadConfig } from '../config/load-config.ts';
import { loadPowerListFileSync } from '../config/power-list-file.ts';
import type { AssistedDecision } from '../core/routing/assisted-router.ts';
import type { Router, RoutingDecision } from '../core/routing/routing-types.ts';
import { routeOk, scoreLines, type EvalLine } from './eval-scoring.ts';

export type { EvalLine };

function figures(lines: readonly EvalLine[], ds: readonly RoutingDecision[]): string[] {
  const {
    n,
    handlingHits: h,
    routeHits: r,
    streetTotal: st,
    streetHits: sh,
    tp,
    fp,
    fn,
    triage: tri,
  } = scoreLines(lines, ds);
  const f = (hit: number, all: number) => `${(all ? hit / all : 1).toFixed(3)} (${hit}/${all})`;
  return [f(h, n), f(r, n), f(sh, st), f(tp, tp + fn), f(tp, tp + fp), `${tri}/${n}`];
}

function percentile(sorted: readonly number[], p: number): number {
  return sorted.length ? sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]! : 0;
}

function tally(keys: readonly string[]): string {
  const counts = new Map<string, number>();
  for (const k of keys) counts.set(k, (counts.get(k) ?? 0) + 1);
  return [...counts].map(([k, v]) => `${k} ${v}`).join(', ') || 'none';
}

export async function runLlmEval(args: {
  file: string;
  lines: readonly EvalLine[];
  router: Router;
  listPath: string;
}): Promise<number> {
  let config;
  try {
    config = loadConfig();
  } catch (err) {
    process.stderr.write(`${err instanceof ConfigError ? err.message : String(err)}\n`);
    return 2;
  }
  // Warnings (the breaker opening) go to stderr so the figures on stdout stay clean.
  const logger = pino({ level: 'warn' }, pino.destination(2));
  const assisted = createLlmAssist(config, logger, {
    router: args.router,
    powerList: loadPowerListFileSync(args.listPath),
  });
  if (!assisted || !config.LLM_BASE_URL) {
    process.stderr.write(
      '--llm needs the model endpoint: set LLM_BASE_URL and LLM_MODEL (and LLM_API_KEY if the server wants one), e.g.\n  LLM_BASE_URL=http://10.0.0.5:8000/v1 LLM_MODEL=qwen2.5-14b-instruct npm run eval -- --llm\n',
    );
    return 2;
  }

  const rules: RoutingDecision[] = [];
  const withModel: AssistedDecision[] = [];
  for (const l of args.lines) {
    const input = { text: l.text, reporter: l.reporter, lat: l.lat, lng: l.lng, address: l.address };
    rules.push(args.router.route(input));
    withModel.push(await assisted.route(input));
  }

  const asked = withModel.flatMap((d) => (d.assist ? [d.assist] : []));
  const httpCalls = asked
    .filter((a) => ['ok', 'invalid', 'timeout', 'error'].includes(a.outcome))
    .map((a) => a.latencyMs)
    .sort((a, b) => a - b);
  const answered = asked.filter((a) => a.agreed !== null);
  const changed = args.lines.flatMap((l, i) => {
    const before = routeOk(l.expected, rules[i]!),
      after = routeOk(l.expected, withModel[i]!);
    if (before === after && rules[i]!.item?.code === withModel[i]!.item?.code) return [];
    const tag = before === after ? 'changed' : after ? 'fixed' : 'broken';
    return [
      `  ${tag.padEnd(7)} ${l.id}  rules ${rules[i]!.item?.code ?? '-'} ${before ? '✓' : '✗'} → with model ${withModel[i]!.item?.code ?? '-'} ${after ? '✓' : '✗'}  ${withModel[i]!.assist?.modelReason ?? ''}`,
    ];
  });
  const a = figures(args.lines, rules),
    b = figures(args.lines, withModel);
  const labels = [
    'handling accuracy',
    'route accuracy',
    'street accuracy',
    'urgent recall',
    'urgent precision',
    'sent to triage',
  ];
  const n = args.lines.length;
  process.stdout.write(
    [
      `Routing evaluation with LLM assistance: ${args.file}`,
      `power list ${args.router.version}, ${n} reports; model ${config.LLM_MODEL} at ${new URL(config.LLM_BASE_URL).host}, time limit ${config.LLM_TIMEOUT_MS} ms, overrule at ≥ ${config.LLM_MIN_CONFIDENCE}`,
      '',
      `${''.padEnd(20)}${'rules only'.padEnd(22)}rules + model`,
      ...labels.map((label, i) => `${label.padEnd(20)}${a[i]!.padEnd(22)}${b[i]!}`),
      '',
      `sent to the model   ${asked.length}/${n} (${tally(asked.map((x) => x.asked))})`,
      `call outcomes       ${tally(asked.map((x) => x.outcome))}`,
      `call latency        p50 ${percentile(httpCalls, 50)} ms, p99 ${percentile(httpCalls, 99)} ms over ${httpCalls.length} HTTP calls`,
      `model vs rules      agreed ${answered.filter((x) => x.agreed).length}, disagreed ${answered.filter((x) => !x.agreed).length} (model's item taken ${answered.filter((x) => x.final === 'model').length}), no usable answer ${asked.length - answered.length}`,
      '',
      `routes changed by the model (${changed.length}):`,
      ...changed,
      '',
    ].join('\n'),
  );
  return 0;
}
