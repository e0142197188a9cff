// npm run wecom:menu [-- --file config/wecom-menu.json]
// Creates the WeCom app's menu (menu/create) from configuration; the server does the same at start.
import { parseArgs } from 'node:util';
import { createWecomApi } from '../bot/wecom/wecom-api.ts';
import { menuBody, readMenuConfig } from '../bot/wecom/wecom-menu.ts';
import { loadConfig } from '../config/load-config.ts';
import { createLogger } from '../config/logger.ts';

const { values } = parseArgs({ options: { file: { type: 'string' } } });
const config = loadConfig();
if (!config.WECOM_CORP_ID || !config.WECOM_SECRET || !config.WECOM_AGENT_ID) {
  process.stderr.write('Set WECOM_CORP_ID, WECOM_SECRET and WECOM_AGENT_ID first (see .env.example).\n');
  process.exit(2);
}
try {
  const api = createWecomApi({
    apiRoot: config.WECOM_API_ROOT,
    corpId: config.WECOM_CORP_ID,
    secret: config.WECOM_SECRET,
    agentId: config.WECOM_AGENT_ID,
    clock: () => new Date(),
    logger: createLogger(config),
  });
  const menu = readMenuConfig(values.file ?? undefined);
  await api.createMenu(menuBody(menu));
  process.stdout.write(`WeCom menu created: ${menu.button.map((b) => b.name).join(' / ')}\n`);
} catch (err) {
  process.stderr.write(`${(err as Error).message}\n`);
  process.exitCode = 1;
}
