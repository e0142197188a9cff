// npm run mp:menu              creates the 公众号 menu (我要反映 / 我的报告 / 权力清单) through menu/create
// npm run mp:menu -- --print   prints the menu JSON without calling WeChat
// Reads WECHAT_MP_APP_ID, WECHAT_MP_SECRET, WECHAT_MP_API_ROOT and PUBLIC_URL (the links' host).
import { parseArgs } from 'node:util';
import { createMpApi } from '../bot/mp/mp-api.ts';
import { buildMpMenu } from '../bot/mp/mp-menu.ts';
import { loadConfig } from '../config/load-config.ts';
import { createLogger } from '../config/logger.ts';

const { values: a } = parseArgs({ options: { print: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } } });
if (a.help) {
  process.stdout.write('Usage: npm run mp:menu [-- --print]\n');
  process.exit(0);
}
const config = loadConfig();
const menu = buildMpMenu(config.PUBLIC_URL);
if (a.print) {
  process.stdout.write(`${JSON.stringify(menu, null, 2)}\n`);
  process.exit(0);
}
if (!config.WECHAT_MP_APP_ID || !config.WECHAT_MP_SECRET) {
  process.stderr.write('WECHAT_MP_APP_ID and WECHAT_MP_SECRET must be set (see .env.example).\n');
  process.exit(2);
}
if (!config.PUBLIC_URL.startsWith('https://'))
  process.stderr.write(
    `warning: PUBLIC_URL is ${config.PUBLIC_URL}; WeChat opens menu links only on the 网页授权 domain (https).\n`,
  );
const api = createMpApi({
  root: config.WECHAT_MP_API_ROOT,
  appId: config.WECHAT_MP_APP_ID,
  secret: config.WECHAT_MP_SECRET,
  clock: () => new Date(),
  logger: createLogger(config),
});
await api.menuCreate(menu);
process.stdout.write(`menu created: ${menu.button.map((b) => b.name).join(' / ')}\n`);
