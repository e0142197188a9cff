/**
 * Routing throughput and latency on one core: thousands of generated reports (short chats,
 * inspector findings, long letters, chit-chat) through the full router, street lookup included.
 */
import { availableParallelism, loadavg } from 'node:os';
import { createBundledJurisdiction } from '../config/jurisdiction-data-file.ts';
import { loadPowerListFileSync } from '../config/power-list-file.ts';
import { defaultPowerListPath } from '../config/power-list-file.ts';
import { createRouter } from '../core/routing/router.ts';
import type { RouteInput } from '../core/routing/routing-types.ts';
import { percentile } from './percentile.ts';

const PLACES = [
  '楼下',
  '小区门口',
  '菜场旁边',
  '学校对面',
  '地铁口',
  '路口',
  '巷子里',
  '公交站旁边',
  '江汉路步行街',
  '唐家墩路',
];
const MATTERS = [
  '有人摆摊卖水果 把人行道都占了',
  '垃圾桶满了好几天没人收 臭得很',
  '饭馆的油烟直接对着窗户排',
  '有人在楼顶搭了个彩钢棚',
  '渣土车没盖篷布一路撒土',
  '出租车拒载还骂人',
  '饭店把液化气罐放在门口晒太阳',
  '工地半夜还在打桩',
  '共享单车堆成山',
  '墙上贴满了开锁办证的小广告',
  '路灯坏了好几天',
  '井盖松了车一压就响',
  '下水道堵了污水冒出来',
  '有人在打架',
  '一楼把窗户改成门开店',
  '绿化带被人挖了种菜',
  '有人砍了几棵大树',
  '店门口堆满纸箱',
  '消防通道被车堵了',
  '老板拖欠工资',
];
const TAILS = ['', ' 麻烦管一下', ' 好几天了冇得人管', ' 搞么斯啊', ' 谢谢', '😤', ' 每天都这样 烦死了'];
const CHATS = ['你好', '在吗', '谢谢你们', '这个机器人怎么用', '你们几点上班', '上次反映的问题处理得怎么样了'];

function reports(n: number): RouteInput[] {
  let seed = 20260101;
  const pick = <T>(xs: readonly T[]): T => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return xs[seed % xs.length]!;
  };
  const out: RouteInput[] = [];
  for (let i = 0; i < n; i++) {
    const kind = i % 10;
    if (kind === 0) out.push({ text: pick(CHATS) });
    else if (kind === 1)
      out.push({ text: `巡查发现：${pick(PLACES)}${pick(MATTERS)}，已现场劝导，请求立案。`, reporter: 'inspector' });
    else if (kind === 2) {
      const letter = Array.from({ length: 12 }, () => `${pick(PLACES)}${pick(MATTERS)}${pick(TAILS)}。`).join('');
      out.push({ text: `尊敬的领导：我想反映一个问题。${letter}希望尽快处理。` });
    } else if (kind === 3)
      out.push({
        text: `${pick(PLACES)}${pick(MATTERS)}`,
        lat: 30.58 + (i % 7) * 0.004,
        lng: 114.26 + (i % 5) * 0.004,
      });
    else
      out.push({
        text: `${pick(PLACES)}${pick(MATTERS)}${pick(TAILS)}`,
        address: i % 4 === 0 ? pick(PLACES) : undefined,
      });
  }
  return out;
}

const ROUNDS = 3;

interface Round {
  perSecond: number;
  cpuPerSecond: number;
  p50: number;
  p99: number;
  max: number;
}

function summarise(times: Float64Array, seconds: number, cpuSeconds: number): Round {
  const sorted = Float64Array.from(times).sort();
  return {
    perSecond: times.length / seconds,
    cpuPerSecond: times.length / cpuSeconds,
    p50: percentile(sorted, 50),
    p99: percentile(sorted, 99),
    max: sorted[sorted.length - 1]!,
  };
}

export function run(args: string[]): void {
  const n = Number(args[0] ?? 5000);
  const setupStart = process.hrtime.bigint();
  const router = createRouter({
    powerList: loadPowerListFileSync(defaultPowerListPath()),
    jurisdiction: createBundledJurisdiction(),
  });
  const setupMs = Number(process.hrtime.bigint() - setupStart) / 1e6;
  const inputs = reports(n);
  for (let w = 0; w < 2; w++) for (const input of inputs) router.route(input); // warm-up: JIT and caches
  // Several rounds over the same reports. On a shared machine other processes take the CPU away
  // at random moments; a report's fastest round shows what the router itself costs.
  const rounds: Round[] = [];
  const best = new Float64Array(inputs.length).fill(Infinity);
  for (let r = 0; r < ROUNDS; r++) {
    const times = new Float64Array(inputs.length);
    const cpuStart = process.cpuUsage();
    const start = process.hrtime.bigint();
    for (let i = 0; i < inputs.length; i++) {
      const t0 = process.hrtime.bigint();
      router.route(inputs[i]!);
      times[i] = Number(process.hrtime.bigint() - t0) / 1e6;
      if (times[i]! < best[i]!) best[i] = times[i]!;
    }
    const seconds = Number(process.hrtime.bigint() - start) / 1e9;
    const cpu = process.cpuUsage(cpuStart);
    rounds.push(summarise(times, seconds, (cpu.user + cpu.system) / 1e6));
  }
  const fastest = rounds.reduce((a, b) => (b.perSecond > a.perSecond ? b : a));
  const bestSum = best.reduce((a, b) => a + b, 0) / 1000;
  const floor = summarise(best, bestSum, bestSum);
  const chars = inputs.reduce((sum, r) => sum + r.text.length, 0);
  const ms = (x: number) => `${x.toFixed(3)} ms`;
  const lines = [
    'Routing benchmark (one core, full router: classification, decision, street lookup)',
    `  reports          ${inputs.length} per round, ${ROUNDS} rounds (avg ${Math.round(chars / inputs.length)} chars; every 10th a letter of ~${inputs[2]!.text.length} chars)`,
    `  router setup     ${setupMs.toFixed(0)} ms (jieba dictionary, lexicon, gazetteer)`,
    ...rounds.map(
      (r, i) =>
        `  round ${i + 1}          ${Math.round(r.perSecond)} reports/s (${Math.round(r.cpuPerSecond)}/CPU-s)   p50 ${ms(r.p50)}   p99 ${ms(r.p99)}   max ${ms(r.max)}`,
    ),
    `  throughput       ${Math.round(fastest.perSecond)} reports/s wall clock, best round   target ≥ 5000`,
    `  latency p50      ${ms(fastest.p50)}   p99 ${ms(fastest.p99)} (same round)   target p99 < 2 ms`,
    `  per-report best  ${Math.round(floor.perSecond)} reports/s   p50 ${ms(floor.p50)}   p99 ${ms(floor.p99)}   (fastest of ${ROUNDS} runs of each report)`,
    `  load average     ${loadavg()
      .map((x) => x.toFixed(2))
      .join(' ')} on ${availableParallelism()} CPUs (other processes slow wall-clock figures)`,
  ];
  process.stdout.write(lines.join('\n') + '\n');
}
