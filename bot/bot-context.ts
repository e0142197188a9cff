import type { CaseServices } from '../core/case/case-services.ts';
import type { ReportService } from '../core/case/report-service.ts';
import type { Actor } from '../core/case/case-types.ts';
import type { Jurisdiction } from '../core/geo/geo-types.ts';
import type { Button, OutboundMessage } from '../core/messaging/outbound-types.ts';
import type {
  CaseLookupPort,
  ConversationKey,
  ConversationPort,
  FlowState,
  IdentityPort,
  LoginLinkPort,
  PatrolPort,
  StaffDirectory,
} from './bot-ports.ts';
import type { BotMessageKey } from './bot-messages.ts';
import type { InboundMessage } from './inbound-types.ts';

export interface BotSettings {
  draftTtlMinutes: number;
  publicUrl: string;
  /** When the day's 巡查日报 goes out (PATROL_REPORT_HOUR, Shanghai); told when a patrol ends. */
  patrolReportHour?: number;
}

/** Everything the flows use, handed in by the composition root. No messenger library in sight. */
export interface BotDeps {
  conversations: ConversationPort;
  identities: IdentityPort;
  patrols: PatrolPort;
  lookup: CaseLookupPort;
  staff: StaffDirectory;
  loginLinks: LoginLinkPort;
  reports: ReportService;
  cases: CaseServices;
  jurisdiction: Jurisdiction;
  messages: { t(key: string, vars?: Record<string, string | number | null | undefined>): string };
  /** Queues a push to people (patrol reports to team leads) through the outbox. */
  notify(personIds: number[], message: OutboundMessage, dedupeKey: string): Promise<void>;
  clock: () => Date;
  settings: BotSettings;
}

/** One inbound message being handled: who sent it, their flow state, and the replies so far. */
export class BotContext {
  readonly replies: OutboundMessage[] = [];
  /** The flow changed or ended its state; it is written once, when the message is handled. */
  stateChanged = false;
  constructor(
    readonly deps: BotDeps,
    readonly msg: InboundMessage,
    readonly actor: Actor,
    readonly key: ConversationKey,
    public state: FlowState | null,
  ) {}

  t(key: BotMessageKey, vars?: Record<string, string | number | null | undefined>): string {
    return this.deps.messages.t(key, vars);
  }

  say(key: BotMessageKey, vars?: Record<string, string | number | null | undefined>, buttons?: Button[][]): void {
    this.reply({ text: this.t(key, vars), ...(buttons ? { buttons } : {}) });
  }

  reply(message: OutboundMessage): void {
    this.replies.push(message);
  }

  get now(): Date {
    return this.deps.clock();
  }

  get isStaff(): boolean {
    return this.actor.role !== 'resident';
  }

  async saveState(
    flow: string,
    step: string,
    data: Record<string, unknown>,
    ttlMinutes = this.deps.settings.draftTtlMinutes,
  ): Promise<void> {
    this.state = { flow, step, data, expiresAt: new Date(this.now.getTime() + ttlMinutes * 60_000) };
    this.stateChanged = true;
  }

  async clearState(): Promise<void> {
    this.state = null;
    this.stateChanged = true;
  }
}
