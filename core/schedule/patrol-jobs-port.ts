import type { DeadlineNotice } from './deadline-watch-port.ts';

export type FindingOutcome = 'settled' | 'case' | 'referred';

/** One finding as the daily report (and the dashboard's patrol page) shows it. */
export interface PatrolFindingView {
  id: number;
  inspectorId: number;
  at: Date;
  text: string;
  /** What the inspector typed or the location carried; else the point. */
  address: string | null;
  lat: number | null;
  lng: number | null;
  matter: string | null;
  photos: number;
  /** The first photo, for a page that shows it. */
  firstPhotoId: number | null;
  outcome: FindingOutcome;
  caseNumber: string | null;
  /** For a referred finding: who the case went to. */
  handler: string | null;
}

/** An inspector's day: their patrols and findings. */
export interface InspectorDay {
  inspectorId: number;
  name: string;
  streetId: number | null;
  street: string | null;
  patrols: Array<{ startedAt: Date; endedAt: Date | null }>;
  findings: PatrolFindingView[];
}

export interface OpenPatrol {
  patrolId: number;
  inspectorId: number;
  startedAt: Date;
  /** The newest finding of this patrol, or null. */
  lastFindingAt: Date | null;
}

/** What the patrol jobs read and write; db/patrol-jobs-store.ts implements it. */
export interface PatrolJobsPort {
  /** Active inspectors with a patrol started or a finding recorded in [from, to), with both. */
  inspectorDays(from: Date, to: Date): Promise<InspectorDay[]>;
  /** Active team leads by street. */
  teamLeads(streetId: number): Promise<number[]>;
  /** Marks the patrols started in [from, to) as reported. */
  markReported(inspectorId: number, from: Date, to: Date, at: Date): Promise<void>;
  openPatrols(): Promise<OpenPatrol[]>;
  /** Ends the patrol if still open; false if it had ended meanwhile. */
  endPatrol(patrolId: number, at: Date): Promise<boolean>;
  notify(notices: DeadlineNotice[]): Promise<number>;
}
