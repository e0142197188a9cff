// npm run token:create -- --role team_lead --street 万松街道 --name 张队长
// Creates a staff person (or reuses the one with the same role, name and street/department, or
// --person-id) and prints a new API token once. Only its sha256 is stored: lose it, issue another.
// Tokens expire after --days (default 90); npm run token:revoke ends one sooner.
import os from 'node:os';
import { parseArgs } from 'node:util';
import { loadConfig } from '../config/load-config.ts';
import { STAFF_ROLES, type Role } from '../core/case/case-types.ts';
import { roleLabel } from '../core/staff/staff-admin-rules.ts';
import { applyMigrations } from '../db/migrate.ts';
import { createPrismaClient, type Db } from '../db/prisma-client.ts';
import { seedReferenceData } from '../db/seed.ts';
import { createStaffAdminStore } from '../db/staff-admin-store.ts';
import { teamName } from '../db/seed-organisation.ts';
import { DEFAULT_TOKEN_DAYS, issueApiToken, MAX_TOKEN_DAYS } from '../db/token-store.ts';

const USAGE = `Usage: npm run token:create -- --role <${STAFF_ROLES.join('|')}> --name <姓名>
         [--street <街道名称>] [--department <部门简称>] [--phone <手机号>] [--label <用途>] [--days <有效天数>]
       npm run token:create -- --person-id <id> [--label <用途>] [--days <有效天数>]
  --days: how long the token works, 1–${MAX_TOKEN_DAYS} (default ${DEFAULT_TOKEN_DAYS}).
  inspector, enforcer and team_lead need --street; dept_liaison needs --department.`;

function fail(message: string): never {
  process.stderr.write(`${message}\n\n${USAGE}\n`);
  process.exit(1);
}

const { values: a } = parseArgs({
  options: {
    role: { type: 'string' },
    name: { type: 'string' },
    street: { type: 'string' },
    department: { type: 'string' },
    phone: { type: 'string' },
    label: { type: 'string' },
    days: { type: 'string' },
    'person-id': { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  },
});
if (a.help) {
  process.stdout.write(`${USAGE}\n`);
  process.exit(0);
}

async function findOrCreatePerson(
  db: Db,
): Promise<{ id: number; displayName: string; role: string; created: boolean }> {
  if (a['person-id']) {
    const p = await db.person.findUnique({ where: { id: Number(a['person-id']) } });
    if (!p || !p.active) fail(`No active person with id ${a['person-id']}.`);
    return { ...p, created: false };
  }
  const role = a.role as Role | undefined;
  if (!role || !STAFF_ROLES.includes(role)) fail(`--role must be one of: ${STAFF_ROLES.join(', ')}.`);
  if (!a.name?.trim()) fail('--name is required.');
  const needsStreet = role === 'inspector' || role === 'enforcer' || role === 'team_lead';
  if (needsStreet && !a.street) fail(`--street is required for ${role}.`);
  if (role === 'dept_liaison' && !a.department) fail('--department is required for dept_liaison.');

  const street = a.street ? await db.street.findUnique({ where: { name: a.street } }) : null;
  if (a.street && !street)
    fail(
      `Unknown street "${a.street}". Streets: ${(await db.street.findMany({ orderBy: { code: 'asc' } })).map((s) => s.name).join('、')}`,
    );
  const department = a.department ? await db.department.findUnique({ where: { name: a.department } }) : null;
  if (a.department && !department)
    fail(
      `Unknown department "${a.department}". Departments: ${(await db.department.findMany()).map((d) => d.name).join('、')}`,
    );

  const identity = {
    role,
    displayName: a.name.trim(),
    streetId: street?.id ?? null,
    departmentId: department?.id ?? null,
  };
  const existing = await db.person.findFirst({ where: { ...identity, active: true }, orderBy: { id: 'asc' } });
  if (existing) return { ...existing, created: false };
  const team = street && needsStreet ? await db.team.findUnique({ where: { name: teamName(street.name) } }) : null;
  const p = await db.person.create({ data: { ...identity, phone: a.phone ?? null, teamId: team?.id ?? null } });
  return { ...p, created: true };
}

const days = a.days === undefined ? DEFAULT_TOKEN_DAYS : Number(a.days);
if (!Number.isInteger(days) || days < 1 || days > MAX_TOKEN_DAYS)
  fail(`--days must be a whole number from 1 to ${MAX_TOKEN_DAYS}.`);

const config = loadConfig();
await applyMigrations(config.DATABASE_URL);
const db = await createPrismaClient(config.DATABASE_URL);
try {
  await seedReferenceData(db);
  const person = await findOrCreatePerson(db);
  const issued = await issueApiToken(
    db,
    person.id,
    a.label ?? `token:create ${new Date().toISOString().slice(0, 10)}`,
    { days },
  );
  const summary =
    `${person.created ? '已新建' : '使用'}人员 #${person.id} ${person.displayName}（${roleLabel(person.role)}），` +
    `签发 API 令牌 #${issued.id}，有效期至 ${issued.expiresAt.toISOString().slice(0, 10)}。`;
  await createStaffAdminStore(db).note(
    { kind: 'cli', label: `命令行（${os.userInfo().username}）` },
    person.id,
    'token',
    summary,
    { tokenId: issued.id, created: person.created },
  );
  process.stderr.write(
    `${summary}\n` +
      `${person.created ? 'Created' : 'Using'} person #${person.id} ${person.displayName} (${person.role}).\n` +
      `Token #${issued.id}, valid until ${issued.expiresAt.toISOString()} (revoke: npm run token:revoke -- --id ${issued.id}).\n` +
      'API token (shown once; send it as "Authorization: Bearer <token>"):\n',
  );
  process.stdout.write(`${issued.token}\n`);
} catch (err) {
  process.stderr.write(`未完成：${(err as Error).message}\n`);
  process.exitCode = 1;
} finally {
  await db.$disconnect();
}
