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
 */
export const DEFAULT_RATE_LIMITS: RateLimits = {
  telegram: { perChatIntervalMs: 1_000, groupPerMinute: 20, globalPerSecond: 30 },
  wechat: { perChatIntervalMs: 1_000, groupPerMinute: 20, globalPerSecond: 5 },
};

/** Telegram group and channel ids are negative; WeChat rooms end in @chatroom. */
export function isGroupChat(chatId: string): boolean {
  return chatId.startsWith('-') || chatId.endsWith('@chatroom');
}

export interface RateLimiter {
  /** 0: send now (the send is counted); otherwise the milliseconds to wait before asking again. */
  acquire(channel: string, chatId: string): number;
}

const MINUTE = 60_000;
const SECOND = 1_000;
/** Forget idle chats once the maps grow past this, so memory stays flat over months. */
const SWEEP_AT = 5_000;

export function createRateLimiter(opts: {
  clock: () => Date;
  limits?: RateLimits;
  isGroup?: (chatId: string) => boolean;
}): RateLimiter {
  const limits = opts.limits ?? DEFAULT_RATE_LIMITS;
  const isGroup = opts.isGroup ?? isGroupChat;
  const lastByChat = new Map<string, number>();
  const groupWindows = new Map<string, number[]>();
  const globalWindows = new Map<string, number[]>();

  /** Wait until a window of `span` ms holds fewer than `max` sends. */
  const windowWait = (window: number[] | undefined, max: number, span: number, now: number): number => {
    if (!window) return 0;
    while (window.length > 0 && window[0]! <= now - span) window.shift();
    return window.length < max ? 0 : window[0]! + span - now;
  };

  const sweep = (now: number): void => {
    if (lastByChat.size > SWEEP_AT) for (const [k, t] of lastByChat) if (now - t > MINUTE) lastByChat.delete(k);
    if (groupWindows.size > SWEEP_AT)
      for (const [k, w] of groupWindows) if ((w[w.length - 1] ?? 0) <= now - MINUTE) groupWindows.delete(k);
  };

  return {
    acquire(channel, chatId) {
      const l = limits[channel];
      if (!l) return 0;
      const now = opts.clock().getTime();
      const key = `${channel}\u0000${chatId}`;
      const group = isGroup(chatId);
      const last = lastByChat.get(key);
      const wait = Math.max(
        l.perChatIntervalMs !== undefined && last !== undefined ? last + l.perChatIntervalMs - now : 0,
        group && l.groupPerMinute !== undefined ? windowWait(groupWindows.get(key), l.groupPerMinute, MINUTE, now) : 0,
        l.globalPerSecond !== undefined ? windowWait(globalWindows.get(channel), l.globalPerSecond, SECOND, now) : 0,
      );
      if (wait > 0) return wait;
      sweep(now);
      if (l.perChatIntervalMs !== undefined) lastByChat.set(key, now);
      if (group && l.groupPerMinute !== undefined) push(groupWindows, key, now);
      if (l.globalPerSecond !== undefined) push(globalWindows, channel, now);
      return 0;
    },
  };
}

function push(map: Map<string, number[]>, key: string, at: number): void {
  const w = map.get(key);
  if (w) w.push(at);
  else map.set(key, [at]);
}
