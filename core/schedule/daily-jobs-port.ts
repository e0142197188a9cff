import type { DeadlineNotice } from './deadline-watch-port.ts';

/** What a digest is about: one street's team, one department, or the whole district. */
export type DigestScope =
  | { kind: 'street'; streetId: number; name: string }
  | { kind: 'department'; departmentId: number; name: string }
  | { kind: 'district' };

export interface DigestCounts {
  /** Awaiting handling (triage, dispatched, accepted). */
  open: number;
  /** Awaiting handling, due between now and the end of the day. */
  dueToday: number;
  /** Awaiting handling, past the deadline. */
  overdue: number;
  /** Resolved, waiting for verification. */
  awaitingVerification: number;
}

/** What the morning digest and the evening patrol reminder read and write; db/deadline-watch-store.ts implements it. */
export interface DailyJobsPort {
  /** Active team leads (by street), department liaisons (by department) and district admins. */
  digestRecipients(): Promise<Array<{ personId: number; scope: DigestScope }>>;
  digestCounts(scope: DigestScope, now: Date, dayEnd: Date): Promise<DigestCounts>;
  /** Inspectors with a patrol started in [from, to) that is still open. */
  inspectorsWithOpenPatrols(from: Date, to: Date): Promise<number[]>;
  /** Enqueues the notices in one transaction; returns the outbox rows written. */
  notify(notices: DeadlineNotice[]): Promise<number>;
}
