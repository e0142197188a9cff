import { computeDeadlines } from '../deadlines/working-time-fns.ts';
import type { HolidayCalendar } from '../deadlines/holiday-calendar.ts';
import type { AssistedDecision } from '../routing/assisted-router.ts';
import { createCaseActionService } from './case-action-service.ts';
import { createCaseFeedbackService } from './case-feedback-service.ts';
import { createCaseFollowService } from './case-follow-service.ts';
import {
  createCaseIntakeService,
  type DeadlineFn,
  type IntakeSettings,
  type RoutedReport,
} from './case-intake-service.ts';
import type { MessageRenderer } from './case-messages.ts';
import type { CaseStore } from './case-port.ts';
import type { PlaceMemoryPort } from '../geo/place-memory.ts';
import { createPlaceConfirmService } from './place-confirm-service.ts';
import type { Jurisdiction } from '../geo/geo-types.ts';
import type { VerificationSettings } from './verification-fns.ts';
import { staffCards } from './case-notices.ts';
import type { OutboundMessage } from '../messaging/outbound-types.ts';

export interface CaseServicesDeps {
  store: CaseStore;
  clock: () => Date;
  messages: MessageRenderer;
  calendar: HolidayCalendar;
  settings: IntakeSettings & { minConfidence: number };
  /** The router's place memory, told of every street staff choose or confirm for a case. */
  places?: PlaceMemoryPort | null;
  /** 核查 tasks: the inspector's time in working hours, the distance that earns a warning, the district. */
  verification?: { withinWorkingHours: number; farM: number; jurisdiction: Pick<Jurisdiction, 'locatePoint'> };
}

/** A router's decision as the case workflow needs it; low confidence always goes to a person. */
export function toRoutedReport(d: AssistedDecision, minConfidence: number): RoutedReport {
  return {
    handling: d.handling,
    itemCode: d.item?.code ?? null,
    department: d.department,
    streetName: d.street.street,
    confidence: d.confidence,
    urgent: d.urgent,
    needsTriage: d.needsTriage || d.confidence < minConfidence,
    reasons: d.reasons,
    assist: d.assist ?? null,
  };
}

export function createCaseServices(deps: CaseServicesDeps) {
  const deadlines: DeadlineFn = (item, from, urgent) =>
    computeDeadlines(
      {
        createdAt: from,
        responseHours: item.responseHours,
        handlingHours: item.handlingHours,
        timeBasis: item.timeBasis,
        urgent: urgent || item.urgent,
      },
      deps.calendar,
    );
  /**
   * When the street centre usually has decided who handles a report sent to manual triage: one
   * working day, what residents are told (the centre's triage list is worked daily).
   */
  const triageDueAt = (from: Date): Date =>
    computeDeadlines(
      { createdAt: from, responseHours: 24, handlingHours: 24, timeBasis: 'working', urgent: false },
      deps.calendar,
    ).dueAt;
  const v = deps.verification;
  const verification: VerificationSettings | null = v
    ? {
        farM: v.farM,
        jurisdiction: v.jurisdiction,
        dueAt: (from) =>
          computeDeadlines(
            {
              createdAt: from,
              responseHours: v.withinWorkingHours,
              handlingHours: v.withinWorkingHours,
              timeBasis: 'working',
              urgent: false,
            },
            deps.calendar,
          ).dueAt,
      }
    : null;
  const base = {
    store: deps.store,
    clock: deps.clock,
    messages: deps.messages,
    deadlines,
    places: deps.places,
    verification,
  };
  /**
   * A notice written elsewhere (the scheduler's 督办, reminders) as case cards for these people:
   * one per group of readers who may do the same things, `key` telling the groups apart ('' for one).
   */
  const cardsFor = (
    caseId: number,
    personIds: number[],
    text: string,
  ): Promise<Array<{ personIds: number[]; message: OutboundMessage; key: string }>> =>
    deps.store.transaction(async (tx) => {
      const c = await tx.getCase({ id: caseId });
      if (!c) return [];
      const m = { t: () => text, ...(deps.messages.caseUrl ? { caseUrl: deps.messages.caseUrl } : {}) };
      const cards = await staffCards(tx, m, { personIds, key: 'notice', c, dedupeKey: '', now: deps.clock() });
      return cards.map((n) => ({ personIds: n.personIds, message: n.message, key: n.dedupeKey }));
    });
  return {
    intake: createCaseIntakeService({ ...base, settings: deps.settings }),
    actions: createCaseActionService(base),
    feedback: createCaseFeedbackService(base),
    places: createPlaceConfirmService(base),
    follows: createCaseFollowService({ ...base, settings: deps.settings }),
    deadlines,
    triageDueAt,
    cardsFor,
    store: deps.store,
  };
}

export type CaseServices = ReturnType<typeof createCaseServices>;
