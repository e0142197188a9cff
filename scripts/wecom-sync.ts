// npm run wecom:sync [-- --file config/wecom-directory.json]
// Reads the WeCom directory (departments, members, tags) through the API and applies the
// administrator mapping: mapped members become staff of their street; members disabled or gone
// from the directory lose staff powers at once. Safe while the server runs.
import { parseArgs } from 'node:util';
import { readDirectoryConfig, syncDirectory } from '../bot/wecom/wecom-directory-sync.ts';
import { loadConfig } from '../config/load-config.ts';
import { wecomApiForScript } from './wecom-script-api.ts';
import { createPrismaClient } from '../db/prisma-client.ts';
import { createWecomDirectoryStore } from '../db/wecom-directory-store.ts';

const { values } = parseArgs({ options: { file: { type: 'string' } } });
const config = loadConfig();
const api = wecomApiForScript(config);
const db = await createPrismaClient(config.DATABASE_URL);
try {
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
