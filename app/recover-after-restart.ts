// Start-up recovery: what a process killed mid-work (kill -9, power loss) left half done.
import type { Logger } from '../config/logger.ts';
import type { OutboxStore } from '../db/outbox-store.ts';

/**
 * Runs before the channels and the delivery worker start. Rows the dead process was sending are
 * taken back at once (their lease would otherwise hold the chat silent for minutes). Inbound
 * updates need nothing here: their claim commits with their effects (see bot-runtime.ts).
 * On SQLite there is one server process per database file, so nothing else can be sending at
 * this point. On PostgreSQL other processes may be sending right now: taking their rows back
 * would send those messages twice, so a dead process's rows return only when their lease ends.
 */
export async function recoverAfterRestart(deps: {
  outbox: Pick<OutboxStore, 'reclaimSending'>;
  clock: () => Date;
  logger: Logger;
  /** Several processes may share the database (PostgreSQL). */
  shared?: boolean;
}): Promise<void> {
  if (deps.shared) return;
  const reclaimed = await deps.outbox.reclaimSending(deps.clock());
  if (reclaimed > 0) deps.logger.warn({ reclaimed }, 'messages the previous process was sending are queued again');
}
