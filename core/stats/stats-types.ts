import type { CaseStatus, Mode721, RatingScore } from '../case/case-types.ts';

/**
 * Rows as the SQL aggregation returns them (db/stats-queries.ts). Grouping happens in SQLite;
 * core/stats/stats-fns.ts folds the groups into the figures, so the arithmetic is testable
 * without a database.
 */

/** Cases created within the period, grouped by street, status, post and 721 mode. */
export interface CaseGroupRow {
  streetId: number | null;
  status: string;
  post: string | null;
  mode721: string | null;
  cases: number;
  reworkSum: number;
  reopened: number; // cases with reopenCount > 0
  resolvedCount: number; // cases with a resolvedAt
  /** Closed by the scheduler after the 核查 deadline (Case.autoVerified); absent in older rows. */
  autoVerified?: number;
  handlingHoursSum: number; // Σ (resolvedAt − createdAt) in hours over those
  /**
   * A rollup marginal (db/stats-queries.ts caseRowsFromRollups) carries only some of the
   * figures: 'status' the counts by status and their measures (post and mode721 not read),
   * 'post' the count by post, 'mode' the 721 count by mode (of the resolved and closed).
   * Absent: a row of every dimension, read from the cases.
   */
  part?: 'status' | 'post' | 'mode';
}

/** The cases due in the period (core/stats/assessment-rules.ts), per street and handling department. */
export interface DueRow {
  streetId: number | null;
  departmentId: number | null;
  due: number;
  postponed: number;
  onTime: number;
  /**
   * A marginal of the rollups (db/stats-queries.ts): 'street' rows (departmentId null) carry the
   * district's and the streets' figures, 'department' rows (streetId null) the departments'.
   * Without it a row counts in all three.
   */
  part?: 'street' | 'department';
}

export interface RatingRow {
  streetId: number | null;
  score: string;
  n: number;
}

/** Patrol findings settled on the spot by persuasion (counted as "service" in 721). */
export interface SettledFindingRow {
  streetId: number | null;
  n: number;
}

export interface TrendRow {
  day: string;
  n: number;
}

/** Referrals to a department and what the department did with them, in the period. */
export interface DepartmentEventRow {
  departmentId: number;
  referred: number;
  acceptedInTime: number;
  returned: number;
}

/** A team lead's or enforcer's cases resolved in the period (assessment-rules.ts). */
export interface PersonRow {
  personId: number;
  name: string;
  role: string;
  streetId: number | null;
  handled: number;
  onTime: number;
  rework: number;
}

export interface StatsRows {
  groups: CaseGroupRow[];
  due: DueRow[];
  departmentEvents: DepartmentEventRow[];
  people: PersonRow[];
  ratings: RatingRow[];
  settled: SettledFindingRow[];
  createdPerDay: TrendRow[];
  closedPerDay: TrendRow[];
}

export interface StatsFigures {
  total: number;
  byStatus: Record<CaseStatus, number>;
  byPost: Record<string, number>;
  closed: number;
  /** Closed cases verified by the system once the inspector's deadline passed (not by a person). */
  autoVerified: number;
  /** closed − autoVerified: verified by an inspector, the reporter or the bureau. */
  verifiedByPerson: number;
  /** closed / (total − merged) */
  closureRate: number | null;
  due: number;
  postponed: number;
  closedOnTime: number;
  /** closedOnTime / (due − postponed) */
  onTimeRate: number | null;
  avgHandlingHours: number | null;
  reworkCount: number;
  reopened: number;
  /** reopened / closed */
  reopenRate: number | null;
  ratings: Record<RatingScore, number> & { total: number };
  /** (satisfied + basic) / ratings */
  satisfactionRate: number | null;
  mode721: Record<Mode721, number> & { patrolSettled: number; total: number; shares: Record<Mode721, number> | null };
}

export interface StreetFigures extends StatsFigures {
  street: string;
}

export interface TrendPoint {
  day: string;
  created: number;
  closed: number;
}

/** 部门考核: referrals received, accepted in time, returned, and the department's on-time closure. */
export interface DepartmentScorecard {
  department: string;
  referralsReceived: number;
  acceptedInTime: number;
  /** acceptedInTime / referralsReceived */
  acceptedInTimeRate: number | null;
  returned: number;
  due: number;
  postponed: number;
  closedOnTime: number;
  /** closedOnTime / (due − postponed) */
  onTimeRate: number | null;
}

/** 人员考核 for team leads: cases handled (resolved in the period), on time, rework. */
export interface PersonFigures {
  person: string;
  role: string;
  street: string | null;
  handled: number;
  onTime: number;
  rework: number;
}
