// The WeCom app's menu (自定义菜单), from configuration: each entry runs one of the chat commands
// (/queue, /patrol, /help …) or opens a page. Created through menu/create at start-up or with
// `npm run wecom:menu`; a click comes back as an event whose key names the command.
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { COMMANDS } from '../flows/command-flow.ts';

/** Where the menu is configured unless WECOM_MENU_FILE names another file. */
export const DEFAULT_MENU_FILE = new URL('../../config/wecom-menu.json', import.meta.url);

const KEY_PREFIX = 'cmd:';

const entry = z.union([
  z.object({ name: z.string().min(1).max(8), command: z.string().refine((c) => c in COMMANDS, 'unknown command') }),
  z.object({ name: z.string().min(1).max(8), url: z.url() }),
]);
const menuSchema = z.object({
  button: z
    .array(z.union([entry, z.object({ name: z.string().min(1).max(8), sub_button: z.array(entry).min(1).max(5) })]))
    .min(1)
    .max(3),
});
export type MenuConfig = z.infer<typeof menuSchema>;

export class MenuConfigError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'MenuConfigError';
  }
}

export function readMenuConfig(file: URL | string = DEFAULT_MENU_FILE): MenuConfig {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new MenuConfigError(`cannot read the WeCom menu ${String(file)}`, { cause: err });
  }
  const parsed = menuSchema.safeParse(raw);
  if (!parsed.success) throw new MenuConfigError(`WeCom menu ${String(file)}: ${z.prettifyError(parsed.error)}`);
  return parsed.data;
}

type Entry = z.infer<typeof entry>;
const toButton = (e: Entry) =>
  'command' in e
    ? { type: 'click', name: e.name, key: `${KEY_PREFIX}${e.command}` }
    : { type: 'view', name: e.name, url: e.url };

/** The body menu/create expects. */
export function menuBody(menu: MenuConfig): { button: unknown[] } {
  return {
    button: menu.button.map((b) =>
      'sub_button' in b ? { name: b.name, sub_button: b.sub_button.map(toButton) } : toButton(b),
    ),
  };
}

/** A click's EventKey → the command it runs; null for a key this menu never had. */
export function menuCommand(key: string): { name: string; args: string } | null {
  if (!key.startsWith(KEY_PREFIX)) return null;
  const name = key.slice(KEY_PREFIX.length);
  return name in COMMANDS ? { name, args: '' } : null;
}
