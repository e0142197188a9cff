/**
 * At most `max` tasks at once; the rest wait their turn in arrival order. Used for photo
 * downloads (bounded memory) and for the conversation step (enough chats at once to share
 * database commits, not so many that the event loop stops turning).
 */
export function concurrencyLimit(max: number): <T>(task: () => Promise<T>) => Promise<T> {
  let active = 0;
  const waiting: Array<() => void> = [];
  return async (task) => {
    if (active >= max) await new Promise<void>((r) => waiting.push(r));
    active += 1;
    try {
      return await task();
    } finally {
      active -= 1;
      waiting.shift()?.();
    }
  };
}
