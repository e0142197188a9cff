import { toWgs84 } from '../geo/coord-transform-fns.ts';
import type { Crs } from '../geo/geo-types.ts';
import type { AssistedRouter } from '../routing/assisted-router.ts';
import type { RouteInput, Router, RoutingDecision } from '../routing/routing-types.ts';
import type { CaseServices } from './case-services.ts';
import { toRoutedReport } from './case-services.ts';
import type { CaseRow } from './case-port.ts';
import type { ExternalOrder, SubmitResult } from './case-intake-service.ts';
import { STAFF_ROLES, type Role } from './case-types.ts';

export interface ReportInput {
  text: string;
  lat?: number | null;
  lng?: number | null;
  crs?: Crs;
  address?: string | null;
  channel: string;
  /** streetId: a staff member's own street, which places a report nothing else places. */
  reporter: { personId: number; role: Role; streetId?: number | null };
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
  reporterStreetId?: number | null;
};

function routeInput(input: PreviewInput, streetNameOf?: (id: number) => string | null): RouteInput {
  const hasPoint = typeof input.lat === 'number' && typeof input.lng === 'number';
  // Staff report from their own street's patrol; residents' streets say nothing about the problem's.
  const staff = input.reporter !== undefined && input.reporter !== 'resident';
  const ownStreet = staff && typeof input.reporterStreetId === 'number' ? streetNameOf?.(input.reporterStreetId) : null;
  return {
    text: input.text,
    reporter: input.reporter === 'inspector' ? 'inspector' : 'resident',
    ...(hasPoint ? { lat: input.lat!, lng: input.lng!, crs: input.crs ?? 'wgs84' } : {}),
    ...(input.address ? { address: input.address } : {}),
    ...(ownStreet ? { reporterStreet: ownStreet } : {}),
  };
}

export function createReportService(deps: {
  router: Router;
  assisted?: AssistedRouter | null;
  cases: CaseServices;
  minConfidence: number;
  /** Street id → name, for the reporting staff member's own street. */
  streetNameOf?: (streetId: number) => string | null;
}) {
  /** Rules only and synchronous: what a chat shows while a report is still being written. */
  function preview(input: PreviewInput): RoutingDecision {
    return deps.router.route(routeInput(input, deps.streetNameOf));
  }

  async function submit(input: ReportInput): Promise<ReportOutcome> {
    // The model (when configured) is asked only when the report is actually filed.
    const asInput = { ...input, reporter: input.reporter.role, reporterStreetId: input.reporter.streetId ?? null };
    const decision = deps.assisted
      ? await deps.assisted.route(routeInput(asInput, deps.streetNameOf))
      : preview(asInput);
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
        // A report that names only a road or a landmark keeps that place as its address: the
        // handler must not read "地点：万松街道" with nothing to find it by.
        address: input.address ?? (point ? null : decision.street.evidence) ?? null,
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
   * Files an order another system handed over (a 12345 work order). Unlike a chat report it is
   * never turned away: what the rules cannot place goes to manual triage at the street centre,
   * and the order's own street (所属街道) stands in when the text and address place none.
   */
  async function fileOrder(input: OrderInput): Promise<OrderOutcome> {
    const route = routeInput({ text: input.text, address: input.address, reporter: 'resident' });
    const decision = deps.assisted ? await deps.assisted.route(route) : deps.router.route(route);
    const routed = toRoutedReport(decision, deps.minConfidence);
    const reasons = [...routed.reasons];
    let streetName = decision.street.outsideDistrict ? null : routed.streetName;
    if (!streetName && input.streetHint) {
      streetName = input.streetHint;
      reasons.push(`地址未能确定街道，按工单所属街道“${input.streetHint}”办理`);
    }
    let needsTriage = routed.needsTriage;
    if (decision.handling === 'none') {
      needsTriage = true;
      reasons.push('工单未匹配到权力清单事项，转人工分拣');
    }
    if (decision.street.outsideDistrict) {
      needsTriage = true;
      reasons.push('诉求地址不在江汉区内，请核实后退回热线');
    }
    const result = await deps.cases.intake.submit(
      {
        text: input.text,
        lat: null,
        lng: null,
        address: input.address,
        channel: input.channel,
        reporterId: input.reporterId,
        external: input.external,
      },
      { ...routed, streetName, needsTriage, reasons },
    );
    return { ...result, decision };
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

  return { preview, submit, fileOrder, needsPerson };
}

export interface OrderInput {
  text: string;
  address: string | null;
  /** The street the other system assigned the order to: used only when routing places none. */
  streetHint: string | null;
  channel: string;
  reporterId: number;
  external: ExternalOrder;
}

export type OrderOutcome = SubmitResult & { decision: RoutingDecision };

export type ReportService = ReturnType<typeof createReportService>;
