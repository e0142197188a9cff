import type { LatLng } from '../../core/geo/geo-types.ts';
import type { CaseCard } from './wecom-outbound-fns.ts';

/** What a WeCom push about a case shows beyond the notice's text (db/wecom-case-store.ts). */
export interface WecomCaseFacts {
  /** The case as a card, its report photos and its point; null when the case is gone. */
  card(caseId: number): Promise<{ card: CaseCard; photoIds: number[]; location: LatLng | null } | null>;
  /** The id of the case's newest event (0 when none): where a press starts looking. */
  lastEventId(caseId: number): Promise<number>;
  /** The newest step this person took on the case after an event (a pressed card's outcome). */
  lastActionBy(
    caseId: number,
    personId: number,
    afterEventId: number,
  ): Promise<{ type: string; at: Date; actorName: string } | null>;
}

/** A member as the WeCom directory describes them, for the administrator mapping. */
export interface DirectoryMember {
  userid: string;
  name: string;
  /** Active in WeCom (status 1); disabled, not activated or quit otherwise. */
  active: boolean;
  role: string | null;
  streetCode: string | null;
  teamName: string | null;
}

/** Applies a directory sync (db/wecom-directory-store.ts). */
export interface WecomDirectoryStore {
  apply(members: DirectoryMember[], now: Date): Promise<{ created: number; updated: number; deactivated: number }>;
}
