// Passive replies (被动回复): the answer to a follower's message may go back in the HTTP response
// to the callback, free of the customer-service budget, if it is ready within WeChat's 5 seconds.
// The callback opens a slot for the follower; the sender offers the first message for that chat
// to it. Whatever is not taken in time goes through the customer-service API as usual.

interface Slot {
  resolve(text: string | null): void;
}

export interface PassiveSlots {
  /**
   * Opens a slot: `reply` settles with a text for this follower within `ms`, or null when none
   * came (answer "success"). `cancel` closes it early (nothing to wait for, or the handling failed:
   * a text offered to a slot nobody answers with would be lost).
   */
  open(openid: string, ms: number): { reply: Promise<string | null>; cancel(): void };
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
    open(openid, ms) {
      let slot!: Slot;
      const remove = () => {
        const list = slots.get(openid);
        const i = list?.indexOf(slot) ?? -1;
        if (list && i >= 0) list.splice(i, 1);
        if (list && !list.length) slots.delete(openid);
      };
      const reply = new Promise<string | null>((resolve) => {
        let done = false;
        slot = {
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
          remove();
          slot.resolve(null);
        }, ms);
      });
      const list = slots.get(openid) ?? [];
      list.push(slot);
      slots.set(openid, list);
      return {
        reply,
        cancel() {
          remove();
          slot.resolve(null);
        },
      };
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
