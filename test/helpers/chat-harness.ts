import { createBot, type Bot } from '../../app/create-bot.ts';
import type { Channel, InboundMessage } from '../../bot/inbound-types.ts';
import type { OutboundMessage } from '../../core/messaging/outbound-types.ts';
import { issueBindCode } from '../../db/identity-store.ts';
import type { Role } from '../../core/case/case-types.ts';
import { createTestApp, type TestApp } from './test-app.ts';
import { silentLogger, testConfig } from './test-config.ts';

export interface ChatUser {
  userId: string;
  /** Sends a message; returns the replies' texts (buttons on `lastButtons`). */
  send(m: Partial<InboundMessage>): Promise<string[]>;
  press(label: string): Promise<string[]>;
  /** The last replies' button labels, flattened. */
  lastButtons: Array<{ id: string; label: string }>;
  /** Pushes queued for this user's chat (not replies), oldest first. */
  pushes(): Promise<OutboundMessage[]>;
  personId(): Promise<number>;
}

export interface ChatHarness extends TestApp {
  bot: Bot;
  user(userId: string, channel?: Channel): ChatUser;
  /** A chat user bound to a staff role through a one-time code, as an administrator would. */
  staffUser(
    userId: string,
    role: Role,
    opts: { street?: string; department?: string; name?: string },
  ): Promise<ChatUser>;
  /** A new bot on the same database: what a restart looks like. */
  restart(): void;
}

export async function createChatHarness(
  opts: { clock?: () => Date; env?: Record<string, string> } = {},
): Promise<ChatHarness> {
  const t = await createTestApp(opts);
  const make = () =>
    createBot({ db: t.db, domain: t.domain, config: testConfig(t.dir, opts.env), logger: silentLogger() });
  let bot = make();
  let seq = 0;
  const harness: ChatHarness = {
    ...t,
    get bot() {
      return bot;
    },
    restart() {
      bot = make();
    },
    user(userId, channel = 'web') {
      const u: ChatUser = {
        userId,
        lastButtons: [],
        async send(m) {
          seq += 1;
          const replies = await bot.runtime.receive({
            channel,
            chatId: userId,
            userId,
            updateId: `u${seq}`,
            displayName: `用户${userId}`,
            ...m,
          });
          u.lastButtons = replies.flatMap((r) => r.buttons?.flat() ?? []);
          return replies.map((r) => r.text);
        },
        async press(label) {
          const b = u.lastButtons.find((x) => x.label === label);
          if (!b) throw new Error(`no button “${label}” among ${u.lastButtons.map((x) => x.label).join(', ')}`);
          return u.send({ button: b.id });
        },
        async pushes() {
          const rows = await t.db.outboxMessage.findMany({
            where: { channel, chatId: userId, personId: { not: null } },
            orderBy: { id: 'asc' },
          });
          return rows.map((r) => JSON.parse(r.payload) as OutboundMessage);
        },
        async personId() {
          return (
            await t.db.chatIdentity.findUniqueOrThrow({
              where: { channel_externalId: { channel, externalId: userId } },
            })
          ).personId;
        },
      };
      return u;
    },
    async staffUser(userId, role, o) {
      const code = await issueBindCode(t.db, {
        role,
        displayName: o.name ?? `${role}-${userId}`,
        streetName: o.street,
        departmentName: o.department,
      });
      const u = harness.user(userId);
      await u.send({ command: { name: 'bind', args: code } });
      return u;
    },
  };
  return harness;
}

/** Buttons of the newest push, by label. */
export function pushButton(push: OutboundMessage | undefined, label: string): string {
  const b = push?.buttons?.flat().find((x) => x.label === label);
  if (!b) throw new Error(`push has no button “${label}”: ${JSON.stringify(push)}`);
  return b.id;
}
