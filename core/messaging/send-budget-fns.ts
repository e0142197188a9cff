import type { ChannelLimits } from './rate-limiter.ts';

// The shared send budget's arithmetic, on the sends every process recorded (send-budget-port.ts).
// It counts exactly as the in-process limiter does (rate-limiter.ts): a send holds its slots from
// its start until one window after it ended, and one still in flight is assumed to end now.

const MINUTE = 60_000;
const SECOND = 1_000;

/** One recorded send of a channel, as the store reads it back. */
export interface BudgetUse {
  chatId: string;
  group: boolean;
  cost: number;
  /** While in flight: the time it is held at most (its process may have died); else when it ended. */
  endsAt: number;
  inFlight: boolean;
}

/** What the channel may send now, by every process's sends. */
export interface BudgetView {
  /** Sends of cost 1 the channel may start now (Infinity without a global limit). */
  capacity: number;
  /** Chats that must not be sent to now. */
  heldChats: string[];
  /** Milliseconds until something held frees up; null if nothing is held. */
  nextChangeMs: number | null;
}

/** How far back sends matter to these limits: older ones can be forgotten. */
export function longestWindowMs(l: ChannelLimits): number {
  return Math.max(
    l.globalPerSecond !== undefined ? SECOND : 0,
    l.perChatIntervalMs ?? 0,
    l.groupPerMinute !== undefined ? MINUTE : 0,
  );
}

/** In flight now: an in-flight use past its hold time counts as ended then (its process died). */
const live = (u: BudgetUse, at: number) => u.inFlight && u.endsAt > at;
/** When the use stops counting in a window of `span`, an in-flight one taken to end now. */
const freesAt = (u: BudgetUse, span: number, at: number) => (live(u, at) ? at : u.endsAt) + span;

function windowHeld(uses: BudgetUse[], max: number, span: number, at: number): number {
  let n = 0;
  for (const u of uses) if (freesAt(u, span, at) > at) n += Math.min(u.cost, max);
  return n;
}

function windowWait(uses: BudgetUse[], max: number, span: number, cost: number, at: number): number {
  const need = windowHeld(uses, max, span, at) + Math.min(cost, max) - max;
  if (need <= 0) return 0;
  const frees = uses
    .map((u) => ({ at: freesAt(u, span, at), cost: Math.min(u.cost, max) }))
    .filter((f) => f.at > at)
    .sort((a, b) => a.at - b.at);
  let freed = 0;
  for (const f of frees) {
    freed += f.cost;
    if (freed >= need) return Math.max(1, f.at - at);
  }
  return span;
}

function chatWait(uses: BudgetUse[], interval: number, at: number): number {
  let wait = 0;
  for (const u of uses) wait = Math.max(wait, live(u, at) ? interval : u.endsAt + interval - at);
  return wait;
}

/**
 * Milliseconds until a send of `cost` to `chatId` fits every limit (0: now). `uses` must hold the
 * channel's sends of the last second and every send to this chat within its longest window.
 */
export function budgetWaitMs(
  uses: BudgetUse[],
  l: ChannelLimits,
  chatId: string,
  group: boolean,
  cost: number,
  at: number,
): number {
  const ofChat = uses.filter((u) => u.chatId === chatId);
  return Math.max(
    l.perChatIntervalMs !== undefined ? chatWait(ofChat, l.perChatIntervalMs, at) : 0,
    group && l.groupPerMinute !== undefined ? windowWait(ofChat, l.groupPerMinute, MINUTE, cost, at) : 0,
    l.globalPerSecond !== undefined ? windowWait(uses, l.globalPerSecond, SECOND, cost, at) : 0,
  );
}

/** The channel's state by every process's sends; `uses` as for budgetWaitMs, for every chat. */
export function budgetView(uses: BudgetUse[], l: ChannelLimits, at: number): BudgetView {
  const capacity =
    l.globalPerSecond === undefined
      ? Infinity
      : Math.max(0, l.globalPerSecond - windowHeld(uses, l.globalPerSecond, SECOND, at));
  const held = new Set<string>();
  let next = Infinity;
  const consider = (t: number) => {
    if (t > at && t < next) next = t;
  };
  const byChat = new Map<string, BudgetUse[]>();
  for (const u of uses) {
    const list = byChat.get(u.chatId);
    if (list) list.push(u);
    else byChat.set(u.chatId, [u]);
    if (l.globalPerSecond !== undefined) consider(freesAt(u, SECOND, at));
  }
  for (const [chatId, list] of byChat) {
    if (l.perChatIntervalMs !== undefined) {
      const wait = chatWait(list, l.perChatIntervalMs, at);
      if (wait > 0) {
        held.add(chatId);
        consider(at + wait);
      }
    }
    if (l.groupPerMinute !== undefined && list[0]!.group) {
      const window = windowWait(list, l.groupPerMinute, MINUTE, 1, at);
      if (window > 0) {
        held.add(chatId);
        consider(at + window);
      }
    }
  }
  return { capacity, heldChats: [...held], nextChangeMs: next === Infinity ? null : next - at };
}
