/** Sending limits of one channel. Omitted limits are not enforced. */
export interface ChannelLimits {
  /** Minimum gap between two messages to the same chat. */
  perChatIntervalMs?: number;
  /** Messages per minute to one group chat. */
  groupPerMinute?: number;
  /** Messages per second across all chats of the channel. */
  globalPerSecond?: number;
}

export type RateLimits = Record<string, ChannelLimits>;

/**
 * Telegram's published limits: about one message a second per chat, 20 a minute per group,
 * 30 a second overall. WeChat has no published numbers; accounts driven by Wechaty get
 * restricted when they flood, so it is held well below Telegram. The web chat needs none.
 * WeCom (发送应用消息 频率限制): an app may send one member at most 30 messages a minute and 1000
 * an hour, and a company may call one API 10 000 times a minute; a message to a member every
 * 2 s keeps both, with room for the card updates and media uploads that use the same budget.
 */
export const DEFAULT_RATE_LIMITS: RateLimits = {
  telegram: { perChatIntervalMs: 1_000, groupPerMinute: 20, globalPerSecond: 30 },
  wechat: { perChatIntervalMs: 1_000, groupPerMinute: 20, globalPerSecond: 5 },
  wecom: { perChatIntervalMs: 2_000, globalPerSecond: 100 },
};

/** Telegram group and channel ids are negative; WeChat rooms end in @chatroom. */
export function isGroupChat(chatId: string): boolean {
  return chatId.startsWith('-') || chatId.endsWith('@chatroom');
}

/**
 * Counts sends the way the receiving server sees them. A send occupies its slots from the moment
 * it starts until one window *after it finished*: the request reaches the server at some instant
 * between the two, which only the server knows. So any window of the server's clock holds at most
 * the limit, however long the request was on its way, and a retry is simply another send.
 */
export interface RateLimiter {
  /** Milliseconds until a send of `cost` messages to this chat fits every limit (0: now). Counts nothing. */
  waitMs(channel: string, chatId: string, cost?: number): number;
  /** Counts a send starting now; call the returned function once its request has ended, either way. */
  begin(channel: string, chatId: string, cost?: number): () => void;
  /** Sends of cost 1 the channel may start now (Infinity without a global limit). */
  capacity(channel: string): number;
  /** Chats of the channel that must not be sent to now (recent or in-flight sends, full group windows). */
  heldChats(channel: string): string[];
  /** Milliseconds until the channel's state next changes (a slot or a chat frees up); null if nothing is held. */
  nextChangeMs(channel: string): number | null;
}

const MINUTE = 60_000;
const SECOND = 1_000;
/** Forget idle chats once the maps grow past this, so memory stays flat over months. */
const SWEEP_AT = 5_000;

/** A send holding `cost` slots; `end` undefined while its request is in flight. */
interface Use {
  cost: number;
  end?: number;
}

interface ChatState {
  inFlight: number;
  lastEnd: number;
}

export function createRateLimiter(opts: {
  clock: () => Date;
  limits?: RateLimits;
  isGroup?: (chatId: string) => boolean;
}): RateLimiter {
  const limits = opts.limits ?? DEFAULT_RATE_LIMITS;
  const isGroup = opts.isGroup ?? isGroupChat;
  const chats = new Map<string, Map<string, ChatState>>();
  const groupUses = new Map<string, Use[]>();
  const globalUses = new Map<string, Use[]>();
  const now = () => opts.clock().getTime();
  const groupKey = (channel: string, chatId: string) => `${channel}\u0000${chatId}`;

  const chatsOf = (channel: string): Map<string, ChatState> => {
    let m = chats.get(channel);
    if (!m) chats.set(channel, (m = new Map()));
    return m;
  };

  /** Drops uses that ended more than `span` ago; returns the slots still held. */
  const held = (uses: Use[] | undefined, span: number, at: number): number => {
    if (!uses) return 0;
    let n = 0;
    for (let i = uses.length - 1; i >= 0; i--) {
      const u = uses[i]!;
      if (u.end !== undefined && u.end + span <= at) uses.splice(i, 1);
      else n += u.cost;
    }
    return n;
  };

  /** When `cost` more slots fit under `max`; Infinity-free: an in-flight use is assumed to end now. */
  const windowWait = (uses: Use[] | undefined, max: number, span: number, cost: number, at: number): number => {
    const need = held(uses, span, at) + Math.min(cost, max) - max;
    if (need <= 0 || !uses) return 0;
    const frees = uses.map((u) => ({ at: (u.end ?? at) + span, cost: u.cost })).sort((a, b) => a.at - b.at);
    let freed = 0;
    for (const f of frees) {
      freed += f.cost;
      if (freed >= need) return Math.max(1, f.at - at);
    }
    return span;
  };

  const chatWait = (l: ChannelLimits, channel: string, chatId: string, at: number): number => {
    if (l.perChatIntervalMs === undefined) return 0;
    const s = chats.get(channel)?.get(chatId);
    if (!s) return 0;
    if (s.inFlight > 0) return l.perChatIntervalMs;
    return Math.max(0, s.lastEnd + l.perChatIntervalMs - at);
  };

  const sweep = (at: number): void => {
    for (const m of chats.values())
      if (m.size > SWEEP_AT) for (const [k, s] of m) if (s.inFlight === 0 && at - s.lastEnd > MINUTE) m.delete(k);
    if (groupUses.size > SWEEP_AT) for (const [k, w] of groupUses) if (held(w, MINUTE, at) === 0) groupUses.delete(k);
  };

  const push = (map: Map<string, Use[]>, key: string, use: Use): void => {
    const w = map.get(key);
    if (w) w.push(use);
    else map.set(key, [use]);
  };

  const limiter: RateLimiter = {
    waitMs(channel, chatId, cost = 1) {
      const l = limits[channel];
      if (!l) return 0;
      const at = now();
      return Math.max(
        chatWait(l, channel, chatId, at),
        isGroup(chatId) && l.groupPerMinute !== undefined
          ? windowWait(groupUses.get(groupKey(channel, chatId)), l.groupPerMinute, MINUTE, cost, at)
          : 0,
        l.globalPerSecond !== undefined ? windowWait(globalUses.get(channel), l.globalPerSecond, SECOND, cost, at) : 0,
      );
    },

    begin(channel, chatId, cost = 1) {
      const l = limits[channel];
      if (!l) return () => {};
      const at = now();
      sweep(at);
      const uses: Use[] = [];
      if (l.globalPerSecond !== undefined) {
        const u: Use = { cost: Math.min(cost, l.globalPerSecond) };
        push(globalUses, channel, u);
        uses.push(u);
      }
      if (isGroup(chatId) && l.groupPerMinute !== undefined) {
        const u: Use = { cost: Math.min(cost, l.groupPerMinute) };
        push(groupUses, groupKey(channel, chatId), u);
        uses.push(u);
      }
      let state: ChatState | undefined;
      if (l.perChatIntervalMs !== undefined) {
        const m = chatsOf(channel);
        state = m.get(chatId) ?? { inFlight: 0, lastEnd: at };
        state.inFlight += 1;
        m.set(chatId, state);
      }
      let ended = false;
      return () => {
        if (ended) return;
        ended = true;
        const end = now();
        for (const u of uses) u.end = end;
        if (state) {
          state.inFlight -= 1;
          state.lastEnd = Math.max(state.lastEnd, end);
        }
      };
    },

    capacity(channel) {
      const l = limits[channel];
      if (l?.globalPerSecond === undefined) return Infinity;
      return Math.max(0, l.globalPerSecond - held(globalUses.get(channel), SECOND, now()));
    },

    heldChats(channel) {
      const l = limits[channel];
      if (!l) return [];
      const at = now();
      const out: string[] = [];
      if (l.perChatIntervalMs !== undefined)
        for (const [chatId] of chats.get(channel) ?? []) if (chatWait(l, channel, chatId, at) > 0) out.push(chatId);
      if (l.groupPerMinute !== undefined) {
        const prefix = `${channel}\u0000`;
        for (const [key, uses] of groupUses)
          if (key.startsWith(prefix) && held(uses, MINUTE, at) >= l.groupPerMinute) out.push(key.slice(prefix.length));
      }
      return out;
    },

    nextChangeMs(channel) {
      const l = limits[channel];
      if (!l) return null;
      const at = now();
      let next = Infinity;
      const consider = (t: number) => {
        if (t > at && t < next) next = t;
      };
      if (l.globalPerSecond !== undefined)
        for (const u of globalUses.get(channel) ?? []) if (u.end !== undefined) consider(u.end + SECOND);
      if (l.perChatIntervalMs !== undefined)
        for (const s of chats.get(channel)?.values() ?? [])
          if (s.inFlight === 0) consider(s.lastEnd + l.perChatIntervalMs);
      if (l.groupPerMinute !== undefined) {
        const prefix = `${channel}\u0000`;
        for (const [key, uses] of groupUses)
          if (key.startsWith(prefix)) for (const u of uses) if (u.end !== undefined) consider(u.end + MINUTE);
      }
      return next === Infinity ? null : next - at;
    },
  };
  return limiter;
}
