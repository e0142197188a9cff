// The WeCom API client the wecom:* scripts use: from the same configuration as the server, or a
// clear message and exit 2 when the app is not configured.
import { createWecomApi, type WecomApi } from '../bot/wecom/wecom-api.ts';
import type { Config } from '../config/config-schema.ts';
import { createLogger } from '../config/logger.ts';

export function wecomApiForScript(config: Config): WecomApi {
  if (!config.WECOM_CORP_ID || !config.WECOM_SECRET || !config.WECOM_AGENT_ID) {
    process.stderr.write('Set WECOM_CORP_ID, WECOM_SECRET and WECOM_AGENT_ID first (see .env.example).\n');
    process.exit(2);
  }
  return createWecomApi({
    apiRoot: config.WECOM_API_ROOT,
    corpId: config.WECOM_CORP_ID,
    secret: config.WECOM_SECRET,
    agentId: config.WECOM_AGENT_ID,
    clock: () => new Date(),
    logger: createLogger(config),
  });
}
