// Child process for the crash test: the real bot over a database file, with a reply of an
// earlier message in `sending` (the delivery worker had claimed it), then one inbound message
// whose handling stops for good once it is under way, until the parent kills the process.
// Usage: crash-bot.ts <database url> <data dir> <clock ISO> <message JSON>
import { createBot } from '../../app/create-bot.ts';
import { createDomain } from '../../app/create-domain.ts';
import type { InboundMessage } from '../../bot/inbound-types.ts';
import { createPrismaClient } from '../../db/prisma-client.ts';
import { silentLogger, testConfig } from './test-config.ts';

const [url, dir, at, json] = process.argv.slice(2) as [string, string, string, string];
const message = JSON.parse(json) as InboundMessage;
const clock = () => new Date(at);
const db = await createPrismaClient(url);
const logger = silentLogger();
const domain = await createDomain({ db, config: testConfig(dir), logger, clock });
const bot = createBot({ db, domain, config: testConfig(dir), logger });

await domain.outbox.enqueueNow([
  {
    dedupeKey: 'crash:earlier-reply',
    channel: message.channel,
    chatId: message.chatId,
    message: { text: '上一条回复' },
  },
]);
const [sending] = await domain.outbox.claimDue(clock(), 10);
if (!sending) throw new Error('nothing claimed');

// The message's handling gets as far as loading the chat's flow state, and the process dies there.
const load = bot.deps.conversations.load;
bot.deps.conversations.load = async (key) => {
  await load(key);
  process.stdout.write('handling\n');
  return new Promise(() => {});
};
void bot.runtime.receive(message);
