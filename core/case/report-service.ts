import { toWgs84 } from '../geo/coord-transform-fns.ts';
import type { Crs } from '../geo/geo-types.ts';
import type { AssistedRouter } from '../routing/assisted-router.ts';
import type { RouteInput, Router, RoutingDecision } from '../routing/routing-types.ts';
import type { CaseServices } from './case-services.ts';
import { toRoutedReport } from './case-services.ts';
import type { CaseRow } from './case-port.ts';
import { STAFF_ROLES, type Role } from './case-types.ts';

export interface ReportInput {
  text: string;
  lat?: number | null;
  lng?: number | null;
  crs?: Crs;
  address?: string | null;
  channel: string;
  reporter: { personId: number; role: Role };
  attachmentIds?: number[];
  /** See IntakeReport.answeredInChat. */
  answeredInChat?: boolean;
}

export type ReportOutcome =
  | { kind: 'not_actionable'; decision: RoutingDecision }
  | { kind: 'outside'; decision: RoutingDecision }
  | { kind: 'created'; decision: RoutingDecision; case: CaseRow }
  | { kind: 'duplicate'; decision: RoutingDecision; case: CaseRow; existing: CaseRow };

/** Routes a report and, when it is an actionable problem inside the district, opens a case. Shared by the bot and the API. */
type PreviewInput = Omit<ReportInput, 'channel' | 'reporter' | 'attachmentIds' | 'answeredInChat'> & {
  reporter?: Role;
};

function routeInput(input: PreviewInput): RouteInput {
  const hasPoint = typeof input.lat === 'number' && typeof input.lng === 'number';
  return {
    text: input.text,
    reporter: input.reporter === 'inspector' ? 'inspector' : 'resident',
    ...(hasPoint ? { lat: input.lat!, lng: input.lng!, crs: input.crs ?? 'wgs84' } : {}),
    ...(input.address ? { address: input.address } : {}),
  };
}

export function createReportService(deps: {
  router: Router;
  assisted?: AssistedRouter | null;
  cases: CaseServices;
  minConfidence: number;
}) {
  /** Rules only and synchronous: what a chat shows while a report is still being written. */
  function preview(input: PreviewInput): RoutingDecision {
    return deps.router.route(routeInput(input));
  }

  async function submit(input: ReportInput): Promise<ReportOutcome> {
    // The model (when configured) is asked only when the report is actually filed.
    const asInput = { ...input, reporter: input.reporter.role };
    const decision = deps.assisted ? await deps.assisted.route(routeInput(asInput)) : preview(asInput);
    if (decision.handling === 'none') return { kind: 'not_actionable', decision };
    if (decision.street.outsideDistrict) return { kind: 'outside', decision };
    // Everything stored is WGS-84, whatever the channel sent.
    const point =
      typeof input.lat === 'number' && typeof input.lng === 'number'
        ? toWgs84({ lat: input.lat, lng: input.lng }, input.crs ?? 'wgs84')
        : null;
    const result = await deps.cases.intake.submit(
      {
        text: input.text,
        lat: point?.lat ?? null,
        lng: point?.lng ?? null,
        address: input.address ?? null,
        channel: input.channel,
        reporterId: input.reporter.personId,
        reporterIsStaff: STAFF_ROLES.includes(input.reporter.role),
        attachmentIds: input.attachmentIds,
        answeredInChat: input.answeredInChat,
      },
      toRoutedReport(decision, deps.minConfidence),
    );
    return result.kind === 'duplicate'
      ? { kind: 'duplicate', decision, case: result.case, existing: result.existing }
      : { kind: 'created', decision, case: result.case };
  }

  /**
   * Whether intake will leave this decision to a person (manual triage), by the same rule intake
   * applies, so a summary never promises a handler the case will not get.
   */
  function needsPerson(decision: RoutingDecision): boolean {
    const routed = toRoutedReport(decision, deps.minConfidence);
    const streetUnknown = decision.handling === 'street' && !decision.street.street;
    const departmentUnknown = decision.handling === 'department' && !decision.department;
    return routed.needsTriage || !decision.item || streetUnknown || departmentUnknown;
  }

  return { preview, submit, needsPerson };
}

export type ReportService = ReturnType<typeof createReportService>;
