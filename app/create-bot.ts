// Wires the channel-neutral conversation core to the database and the domain services.
import type { Config } from '../config/config-schema.ts';
import type { Logger } from '../config/logger.ts';
import { BOT_MESSAGES } from '../bot/bot-messages.ts';
import { createBotRuntime, type BotRuntime } from '../bot/bot-runtime.ts';
import { createConversation } from '../bot/conversation.ts';
import type { BotDeps } from '../bot/bot-context.ts';
import type { IdentifySender } from '../bot/inbound-types.ts';
import { createCaseLookupStore } from '../db/case-lookup-store.ts';
import { createConversationStore } from '../db/conversation-store.ts';
import { createIdentityStore } from '../db/identity-store.ts';
import { createLoginLinkStore } from '../db/login-link-store.ts';
import { createPatrolStore } from '../db/patrol-store.ts';
import { createHandledMessageStore } from '../db/processed-update-store.ts';
import type { Db } from '../db/prisma-client.ts';
import { createStaffDirectory } from '../db/staff-directory.ts';
import type { Domain } from './create-domain.ts';

export { BOT_MESSAGES };

export interface Bot {
  runtime: BotRuntime;
  deps: BotDeps;
  /** For channel adapters: the uploader of a photo they store (see IdentifySender). */
  identify: IdentifySender;
}

export function createBot(opts: { db: Db; domain: Domain; config: Config; logger: Logger; kick?: () => void }): Bot {
  const { db, domain, config, logger } = opts;
  const deps: BotDeps = {
    conversations: createConversationStore(db),
    identities: createIdentityStore(db),
    patrols: createPatrolStore(db),
    lookup: createCaseLookupStore(db, domain.clock),
    staff: createStaffDirectory(db),
    loginLinks: createLoginLinkStore(db),
    reports: domain.reports,
    cases: domain.cases,
    jurisdiction: domain.jurisdiction,
    messages: domain.messages,
    clock: domain.clock,
    settings: {
      draftTtlMinutes: config.DRAFT_TTL_MINUTES,
      publicUrl: config.PUBLIC_URL,
      patrolReportHour: config.PATROL_REPORT_HOUR,
    },
    notify: async (personIds, message, key) => {
      await domain.outbox.enqueueForPeopleNow(personIds, message, key);
    },
  };
  const handler = createConversation(deps, logger.child({ component: 'conversation' }));
  const runtime = createBotRuntime({
    handler,
    store: createHandledMessageStore(db, domain.outbox),
    kick: () => opts.kick?.(),
    logger,
  });
  const identify: IdentifySender = async (m) => {
    const { actor, isNew } = await deps.identities.resolve(m.channel, m.userId, m.chatId, m.displayName);
    return { personId: actor.personId, isNew };
  };
  return { runtime, deps, identify };
}
