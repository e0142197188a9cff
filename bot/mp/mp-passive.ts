// Passive replies (被动回复): the answer to a follower's message may go back in the HTTP response
// to the callback, free of the customer-service budget, if it is ready within WeChat's 5 seconds.
// The callback opens a slot for the follower; the sender offers the first message for that chat
// to it. Whatever is not taken in time goes through the customer-service API as usual.

interface Slot {
  resolve(text: string | null): void;
}

export interface PassiveSlots {
  /** Waits up to `ms` for a text for this follower; null when none came (answer "success"). */
  wait(openid: string, ms: number): Promise<string | null>;
  /** A text message for the follower: true when a waiting callback took it (it is delivered). */
  offer(openid: string, text: string): boolean;
  /** Something that cannot go passively is next for this follower: stop waiting, keep the order. */
  decline(openid: string): void;
}

export function createPassiveSlots(): PassiveSlots {
  const slots = new Map<string, Slot[]>();
  const take = (openid: string): Slot | undefined => {
    const list = slots.get(openid);
    const slot = list?.shift();
    if (list && !list.length) slots.delete(openid);
    return slot;
  };
  return {
    wait(openid, ms) {
      return new Promise((resolve) => {
        let done = false;
        const slot: Slot = {
          resolve(text) {
            if (done) return;
            done = true;
            clearTimeout(timer);
            resolve(text);
          },
        };
        // Closing on time is synchronous with the check in offer(): a text is either taken here or
        // sent through the API, never both and never neither.
        const timer = setTimeout(() => {
          const list = slots.get(openid);
          const i = list?.indexOf(slot) ?? -1;
          if (list && i >= 0) list.splice(i, 1);
          if (list && !list.length) slots.delete(openid);
          slot.resolve(null);
        }, ms);
        const list = slots.get(openid) ?? [];
        list.push(slot);
        slots.set(openid, list);
      });
    },
    offer(openid, text) {
      const slot = take(openid);
      if (!slot) return false;
      slot.resolve(text);
      return true;
    },
    decline(openid) {
      let slot: Slot | undefined;
      while ((slot = take(openid))) slot.resolve(null);
    },
  };
}
