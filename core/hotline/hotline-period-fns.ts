import { dayStartMs, DAY_MS, parseYmd } from '../deadlines/shanghai-day-fns.ts';
import { ValidationError } from '../errors.ts';

const MAX_DAYS = 366;

/** --from/--to (YYYY-MM-DD, both days included, Wuhan time) → the instants [from, to). */
export function exportPeriod(fromText: string | undefined, toText: string | undefined): { from: Date; to: Date } {
  const from = fromText ? parseYmd(fromText.trim()) : null;
  const to = toText ? parseYmd(toText.trim()) : null;
  if (from === null || to === null) throw new ValidationError('请用 YYYY-MM-DD 格式给出起止日期（受理时间）');
  if (to < from) throw new ValidationError('结束日期不能早于开始日期');
  if (to - from >= MAX_DAYS) throw new ValidationError(`一次最多导出 ${MAX_DAYS} 天`);
  return { from: new Date(dayStartMs(from)), to: new Date(dayStartMs(to) + DAY_MS) };
}
