import type { Period } from './period-fns.ts';

/**
 * The assessment rules (考核口径), written once. db/stats-queries.ts implements each rule as
 * SQL for speed and names the function here it follows; test/integration/stats-assessment.test.ts
 * checks the SQL against these functions and against a table worked out by hand. The pages,
 * the exports and the public page print ASSESSMENT_NOTES, so readers see the same wording.
 *
 * Why "whichever comes first" below: each case is assessed in exactly one period and a past
 * period's figures do not change when a late case is finally closed. A case closed before its
 * deadline is assessed when it was closed; any other case when its deadline passed (open, or
 * closed late). A case whose deadline is still ahead and that is not closed is not due yet, so
 * it neither helps nor lowers the rate.
 */

/** What the rules read from a case. `dueAt` is the deadline as moved by an approved 缓办. */
export interface AssessedCase {
  status: string;
  dueAt: Date | null;
  closedAt: Date | null;
  postponed: boolean;
}

/** Merged and rejected cases are never due (they are not 应结案). */
export const NEVER_DUE_STATUSES: readonly string[] = ['merged', 'rejected'];

/** Closed at or before the deadline (the deadline as moved by an approved 缓办). */
export function closedByDeadline(c: AssessedCase): boolean {
  return c.status === 'closed' && c.closedAt !== null && c.dueAt !== null && c.closedAt <= c.dueAt;
}

/**
 * 应结案 in the period, judged at `now`: closed by its deadline within the period, or (not
 * closed by its deadline) its deadline fell within the period and has passed (dueAt < now).
 */
export function isDueInPeriod(c: AssessedCase, period: Period, now: Date): boolean {
  if (c.dueAt === null || NEVER_DUE_STATUSES.includes(c.status)) return false;
  if (closedByDeadline(c)) return c.closedAt! >= period.from && c.closedAt! < period.to;
  return c.dueAt >= period.from && c.dueAt < period.to && c.dueAt < now;
}

/** 缓办: the bureau approved a postponement; such cases leave the denominator. */
export function isPostponed(c: AssessedCase): boolean {
  return c.postponed;
}

/** 按期结案: due, closed by its deadline, and not postponed. */
export function isClosedOnTime(c: AssessedCase, period: Period, now: Date): boolean {
  return isDueInPeriod(c, period, now) && isHandledOnTime(c);
}

/** A person's handled case counts as on time when it was closed by its deadline and not postponed. */
export function isHandledOnTime(c: AssessedCase): boolean {
  return closedByDeadline(c) && !isPostponed(c);
}

export interface OnTimeCounts {
  due: number;
  postponed: number;
  closedOnTime: number;
}

export function onTimeCounts(cases: readonly AssessedCase[], period: Period, now: Date): OnTimeCounts {
  const due = cases.filter((c) => isDueInPeriod(c, period, now));
  return {
    due: due.length,
    postponed: due.filter(isPostponed).length,
    closedOnTime: due.filter((c) => isClosedOnTime(c, period, now)).length,
  };
}

/** A rate as a fraction with 4 decimals; null when there is nothing to divide by. */
export function rate(numerator: number, denominator: number): number | null {
  return denominator > 0 ? Math.round((numerator / denominator) * 10_000) / 10_000 : null;
}

/** 按期结案率 = 按期结案数 /（应结案数 − 缓办数）. */
export function onTimeRate(c: OnTimeCounts): number | null {
  return rate(c.closedOnTime, c.due - c.postponed);
}

/** The roles whose per-person figures team leads see. */
export const PERSON_FIGURE_ROLES = ['team_lead', 'enforcer'] as const;

/** Who may see per-person figures: team leads (their street) and the bureau, not colleagues. */
export function seesPersonFigures(role: string): boolean {
  return role === 'team_lead' || role === 'district_admin';
}

/** Events that send a resolved case back to its handler (核查不通过, 重新办理). */
export const REWORK_EVENT_TYPES = ['rework', 'reopened'] as const;

/**
 * 口径说明, printed beside the figures on the dashboard, the public page and in the exports.
 * Keep in step with the functions above and the SQL in db/stats-queries.ts.
 */
export const ASSESSMENT_NOTES: ReadonlyArray<readonly [string, string]> = [
  [
    '应结案数',
    '期内应当结案的案件：在期限前结案的，计入结案所在期间；其余（未结案或超期结案）计入期限所在期间，且期限须已届满。期限未到的在办案件不计入。合并、不予受理的案件不计入。期限以批准缓办后的期限为准。',
  ],
  ['缓办数', '应结案件中经区局批准缓办的案件，不计入按期结案率的分母。'],
  ['按期结案数', '应结案件中在期限（含批准缓办后的期限）或之前结案、且未缓办的案件。'],
  ['按期结案率', '按期结案数 ÷（应结案数 − 缓办数）。'],
  ['部门：收到移送', '期内移送（referred）给该部门的次数。'],
  ['部门：按时受理', '其中该部门人员在受理时限（responseDueAt）或之前受理的次数。'],
  ['部门：退回', '期内该部门人员退回案件的次数。'],
  ['部门：按期结案', '由该部门承办的案件，口径同按期结案数。'],
  ['人员：办结案件', '期内由该队员（执法队员、执法队长）办结的案件数（同一案件只计一次）。'],
  ['人员：按期', '其中已在期限或之前结案且未缓办的案件数。'],
  ['人员：返工', '其中在其办结之后被核查不通过或重新办理的案件数。'],
];

/** The public sees no per-person figures, so neither their definitions. */
export const PUBLIC_NOTES = ASSESSMENT_NOTES.filter(([k]) => !k.startsWith('人员'));
