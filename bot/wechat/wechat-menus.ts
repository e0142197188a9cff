// Numbered replies: which buttons a typed "2" means in a WeChat chat.
import type { Button, OutboundMessage } from '../../core/messaging/outbound-types.ts';
import { menuOf, spansCases } from './wechat-outbound.ts';

/**
 * The numbered choices last *delivered* to a chat, replies and pushes alike. The conversation
 * core remembers only the buttons of its own replies, but a team lead answers a push ("新案件 …
 * 回复 1 接单 … 5 办结") and must be able to type 1, then later 5, on that same push. A menu
 * stays until a newer one replaces it or it is a day old (the core keeps its own as long).
 */
export interface MenuSource {
  lastMenu(chatId: string, since: Date): Promise<Button[] | null>;
}

export const MENU_TTL_MS = 24 * 3_600_000;

/**
 * A menu kept in memory, fed by the sender after each delivery. The composition root passes one
 * read from the outbox instead (app/create-wechat.ts), which survives a restart.
 */
export function createMemoryMenus(
  clock: () => Date = () => new Date(),
): MenuSource & { delivered(chatId: string, message: OutboundMessage): void } {
  const menus = new Map<string, { at: Date; buttons: Button[] }>();
  return {
    delivered(chatId, message) {
      const buttons = menuOf(message.buttons);
      if (!buttons.length) return;
      menus.delete(chatId); // re-insert: the Map's order is then oldest-first for trimming
      menus.set(chatId, { at: clock(), buttons });
      if (menus.size > 10_000) menus.delete(menus.keys().next().value!);
    },
    async lastMenu(chatId, since) {
      const m = menus.get(chatId);
      return m && m.at >= since ? m.buttons : null;
    },
  };
}

/** The button a typed number picks from a menu, or null. */
export function pickFromMenu(menu: Button[] | null, n: number | null): Button | null {
  // A bare number acts only on a menu about one case (each line of a card names its case).
  if (!menu || n === null || spansCases(menu)) return null;
  return menu[n - 1] ?? null;
}
