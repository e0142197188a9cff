// npm run bind-code:create -- --role inspector --street 万松街道 --name 李巡查 [--hours 72]
// Issues a one-time code a staff member sends to the bot as `/bind CODE` (Telegram, WeChat or web chat).
import { parseArgs } from 'node:util';
import { loadConfig } from '../config/load-config.ts';
import { ROLES, type Role } from '../core/case/case-types.ts';
import { issueBindCode } from '../db/identity-store.ts';
import { applyMigrations } from '../db/migrate.ts';
import { createPrismaClient } from '../db/prisma-client.ts';
import { seedReferenceData } from '../db/seed.ts';

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
    `Usage: npm run bind-code:create -- --role <${staffRoles.join('|')}> --name <姓名> [--street 万松街道] [--department 市场监管] [--hours 72]\n`,
  );
  process.exit(2);
}
if (['inspector', 'enforcer', 'team_lead'].includes(role) && !values.street) {
  process.stderr.write(`--street is required for ${role}\n`);
  process.exit(2);
}
if (role === 'dept_liaison' && !values.department) {
  process.stderr.write('--department is required for dept_liaison\n');
  process.exit(2);
}
const config = loadConfig();
await applyMigrations(config.DATABASE_URL);
const db = await createPrismaClient(config.DATABASE_URL);
try {
  await seedReferenceData(db);
  const hours = values.hours ? Number(values.hours) : 72;
  const code = await issueBindCode(db, {
    role,
    displayName: values.name,
    streetName: values.street,
    departmentName: values.department,
    validHours: hours,
  });
  process.stdout.write(
    `One-time code for ${values.name} (${role}): ${code}\nValid ${hours} hours. In the chat, send: /bind ${code}\n`,
  );
} catch (err) {
  process.stderr.write(`${(err as Error).message}\n`);
  process.exitCode = 1;
} finally {
  await db.$disconnect();
}
