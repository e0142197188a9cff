// The 公众号 customer-service budget (客服消息, rules since 2023): a follower's message opens 5
// messages for 48 hours, a menu click or a subscription 3 for one minute. Pure: the store keeps
// the window per openid in the database (db/mp-store.ts) so a restart keeps what was used.

export type BudgetKind = 'message' | 'event';

export interface BudgetWindow {
  kind: BudgetKind;
  start: Date;
  end: Date;
  allowed: number;
  used: number;
}

export const BUDGET_RULES: Record<BudgetKind, { ms: number; allowed: number }> = {
  message: { ms: 48 * 3_600_000, allowed: 5 },
  event: { ms: 60_000, allowed: 3 },
};

export const remaining = (w: BudgetWindow | null, now: Date): number =>
  w && now.getTime() < w.end.getTime() ? Math.max(0, w.allowed - w.used) : 0;

/**
 * The window after the follower interacts. Each interaction grants a fresh allowance, except that
 * a click inside an open conversation window must not cut it down to one minute and three sends.
 */
export function openWindow(current: BudgetWindow | null, kind: BudgetKind, now: Date): BudgetWindow {
  const rule = BUDGET_RULES[kind];
  const fresh: BudgetWindow = {
    kind,
    start: now,
    end: new Date(now.getTime() + rule.ms),
    allowed: rule.allowed,
    used: 0,
  };
  if (
    current &&
    kind === 'event' &&
    current.end.getTime() >= fresh.end.getTime() &&
    remaining(current, now) >= rule.allowed
  )
    return current;
  return fresh;
}
