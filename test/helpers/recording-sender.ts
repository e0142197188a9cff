import type { ChannelSender, OutboundMessage } from '../../core/messaging/outbound-types.ts';

export interface RecordedSend {
  chatId: string;
  message: OutboundMessage;
  /** When the send was attempted, by the clock given to the sender (wall clock otherwise). */
  at: Date;
}

/**
 * A ChannelSender that records what it is asked to send and fails on demand, for any test that
 * delivers messages. `attempts` holds every call, `sent` only the ones that succeeded.
 */
export interface RecordingSender extends ChannelSender {
  readonly sent: RecordedSend[];
  readonly attempts: RecordedSend[];
  /** The next calls fail with these errors, in order (whatever chat they are for). */
  failNext(...errors: Error[]): void;
  /** Every send to this chat fails with this error until cleared with null. */
  failChat(chatId: string, error: Error | null): void;
  /** Sends wait (in flight) until the returned function is called; simulates a stalled network. */
  hold(): () => void;
  textsTo(chatId: string): string[];
  reset(): void;
}

export function createRecordingSender(channel = 'telegram', clock: () => Date = () => new Date()): RecordingSender {
  const sent: RecordedSend[] = [];
  const attempts: RecordedSend[] = [];
  let queued: Error[] = [];
  const chatErrors = new Map<string, Error>();
  let gate: Promise<void> | null = null;

  return {
    channel,
    sent,
    attempts,
    async send(chatId, message) {
      const record = { chatId, message, at: clock() };
      attempts.push(record);
      if (gate) await gate;
      const queuedError = queued.shift();
      if (queuedError) throw queuedError;
      const chatError = chatErrors.get(chatId);
      if (chatError) throw chatError;
      sent.push(record);
    },
    failNext(...errors) {
      queued.push(...errors);
    },
    failChat(chatId, error) {
      if (error) chatErrors.set(chatId, error);
      else chatErrors.delete(chatId);
    },
    hold() {
      let open!: () => void;
      gate = new Promise<void>((resolve) => (open = resolve));
      return () => {
        gate = null;
        open();
      };
    },
    textsTo: (chatId) => sent.filter((s) => s.chatId === chatId).map((s) => s.message.text),
    reset() {
      sent.length = 0;
      attempts.length = 0;
      queued = [];
      chatErrors.clear();
      gate = null;
    },
  };
}
