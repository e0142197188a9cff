// npm run wecom:menu [-- --file config/wecom-menu.json]
// Creates the WeCom app's menu (menu/create) from configuration; the server does the same at start.
import { parseArgs } from 'node:util';
import { menuBody, readMenuConfig } from '../bot/wecom/wecom-menu.ts';
import { loadConfig } from '../config/load-config.ts';
import { wecomApiForScript } from './wecom-script-api.ts';

const { values } = parseArgs({ options: { file: { type: 'string' } } });
const config = loadConfig();
const api = wecomApiForScript(config);
try {
  const menu = readMenuConfig(values.file ?? undefined);
  await api.createMenu(menuBody(menu));
  process.stdout.write(`WeCom menu created: ${menu.button.map((b) => b.name).join(' / ')}\n`);
} catch (err) {
  process.stderr.write(`${(err as Error).message}\n`);
  process.exitCode = 1;
}
