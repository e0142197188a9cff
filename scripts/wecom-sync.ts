// npm run wecom:sync [-- --file config/wecom-directory.json]
// Reads the WeCom directory (departments, members, tags) through the API and applies the
// administrator mapping: mapped members become staff of their street; members disabled or gone
// from the directory lose staff powers at once. Safe while the server runs.
import { parseArgs } from 'node:util';
import { createWecomApi } from '../bot/wecom/wecom-api.ts';
import { readDirectoryConfig, syncDirectory } from '../bot/wecom/wecom-directory-sync.ts';
import { loadConfig } from '../config/load-config.ts';
import { createLogger } from '../config/logger.ts';
import { createPrismaClient } from '../db/prisma-client.ts';
import { createWecomDirectoryStore } from '../db/wecom-directory-store.ts';

const { values } = parseArgs({ options: { file: { type: 'string' } } });
const config = loadConfig();
if (!config.WECOM_CORP_ID || !config.WECOM_SECRET || !config.WECOM_AGENT_ID) {
  process.stderr.write('Set WECOM_CORP_ID, WECOM_SECRET and WECOM_AGENT_ID first (see .env.example).\n');
  process.exit(2);
}
const db = await createPrismaClient(config.DATABASE_URL);
try {
  const api = createWecomApi({
    apiRoot: config.WECOM_API_ROOT,
    corpId: config.WECOM_CORP_ID,
    secret: config.WECOM_SECRET,
    agentId: config.WECOM_AGENT_ID,
    clock: () => new Date(),
    logger: createLogger(config),
  });
  const summary = await syncDirectory({
    api,
    store: createWecomDirectoryStore(db),
    config: readDirectoryConfig(values.file ?? undefined),
    now: new Date(),
  });
  process.stdout.write(
    `WeCom directory: ${summary.members} members; ${summary.created} staff added, ${summary.updated} updated, ${summary.deactivated} deactivated.\n`,
  );
} catch (err) {
  process.stderr.write(`${(err as Error).message}\n`);
  process.exitCode = 1;
} finally {
  await db.$disconnect();
}
