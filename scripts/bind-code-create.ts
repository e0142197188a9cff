// npm run bind-code:create -- --role inspector --street 万松街道 --name 李巡查 [--hours 72]
// Issues a one-time code a staff member sends to the bot as `/bind CODE` (Telegram, WeChat or web chat).
// Works while the server runs; the code is written to the StaffChange trail (never the code itself).
import os from 'node:os';
import { parseArgs } from 'node:util';
import { loadConfig } from '../config/load-config.ts';
import { ROLES, type Role } from '../core/case/case-types.ts';
import { DomainError } from '../core/errors.ts';
import { applyMigrations } from '../db/migrate.ts';
import { createPrismaClient } from '../db/prisma-client.ts';
import { seedReferenceData } from '../db/seed.ts';
import { createStaffAdminStore } from '../db/staff-admin-store.ts';

const { values } = parseArgs({
  options: {
    role: { type: 'string' },
    street: { type: 'string' },
    department: { type: 'string' },
    name: { type: 'string' },
    hours: { type: 'string' },
  },
});
const role = values.role as Role | undefined;
const staffRoles: readonly Role[] = ROLES.filter((r) => r !== 'resident');
if (!role || !staffRoles.includes(role) || !values.name) {
  process.stderr.write(
    `用法：npm run bind-code:create -- --role <${staffRoles.join('|')}> --name <姓名> [--street 万松街道] [--department 市场监管] [--hours 72]\n`,
  );
  process.exit(1);
}
const config = loadConfig();
await applyMigrations(config.DATABASE_URL); // nothing (and no lock) when the schema is current
const db = await createPrismaClient(config.DATABASE_URL);
try {
  await seedReferenceData(db);
  const hours = values.hours ? Number(values.hours) : 72;
  const issued = await createStaffAdminStore(db).bindCode(
    { kind: 'cli', label: `命令行（${os.userInfo().username}）` },
    {
      role,
      displayName: values.name,
      ...(values.street ? { streetName: values.street } : {}),
      ...(values.department ? { departmentName: values.department } : {}),
      validHours: hours,
    },
  );
  process.stdout.write(`${issued.summary}\n绑定码：${issued.code}\n在聊天中发送：/bind ${issued.code}\n`);
} catch (err) {
  if (!(err instanceof DomainError)) throw err;
  process.stderr.write(`未完成：${err.message}\n`);
  process.exitCode = 1;
} finally {
  await db.$disconnect();
}
