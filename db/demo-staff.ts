import type { Role } from '../core/case/case-types.ts';
import type { Db } from './prisma-client.ts';
import { isUniqueViolation } from './prisma-errors.ts';
import { teamName } from './seed-organisation.ts';

/**
 * Demo staff for the embedded default (DEMO_MODE): one click on /login signs in as one of
 * them. A demo person is marked by a web chat identity whose external id starts with
 * DEMO_PREFIX, so POST /login/demo can refuse every real account, and notifications to them
 * go to the built-in web chat like anyone else's.
 */
export const DEMO_PREFIX = 'demo-staff:';

export interface DemoStaff {
  personId: number;
  displayName: string;
  role: Role;
  street: string | null;
  department: string | null;
}

interface Spec {
  key: string;
  role: Role;
  name: string;
  street?: string;
  department?: string;
}

const STREET_ROLES: Array<{ role: Role; title: string }> = [
  { role: 'team_lead', title: '执法队长' },
  { role: 'enforcer', title: '执法队员' },
  { role: 'inspector', title: '巡查员' },
];

function specs(streets: string[]): Spec[] {
  const list: Spec[] = [
    { key: 'district', role: 'district_admin', name: '区局值班员（演示）', department: '区城管执法局' },
    { key: 'liaison-scjg', role: 'dept_liaison', name: '市场监管联络人（演示）', department: '市场监管' },
  ];
  for (const street of streets) {
    for (const r of STREET_ROLES)
      list.push({
        key: `${r.role}-${street}`,
        role: r.role,
        name: `${street.replace(/街道$/, '')}${r.title}（演示）`,
        street,
      });
  }
  return list;
}

/** Creates the demo staff once (idempotent: keyed by their identity's external id). */
export async function ensureDemoStaff(db: Db): Promise<void> {
  const streets = await db.street.findMany({ orderBy: { code: 'asc' }, select: { id: true, name: true } });
  const existing = await db.chatIdentity.count({ where: { channel: 'web', externalId: { startsWith: DEMO_PREFIX } } });
  if (existing >= specs(streets.map((s) => s.name)).length) return;
  const departments = new Map(
    (await db.department.findMany({ select: { id: true, name: true } })).map((d) => [d.name, d.id]),
  );
  const streetIds = new Map(streets.map((s) => [s.name, s.id]));
  const teams = new Map((await db.team.findMany({ select: { id: true, name: true } })).map((t) => [t.name, t.id]));
  try {
    await createMissing(db, streets, departments, streetIds, teams);
  } catch (err) {
    // Another process (several on one PostgreSQL) created them at the same moment; theirs stand.
    if (!isUniqueViolation(err)) throw err;
  }
}

async function createMissing(
  db: Db,
  streets: Array<{ name: string }>,
  departments: Map<string, number>,
  streetIds: Map<string, number>,
  teams: Map<string, number>,
): Promise<void> {
  await db.$transaction(async (tx) => {
    for (const s of specs(streets.map((x) => x.name))) {
      const externalId = `${DEMO_PREFIX}${s.key}`;
      if (await tx.chatIdentity.findUnique({ where: { channel_externalId: { channel: 'web', externalId } } })) continue;
      const onTeam = s.street && (s.role === 'team_lead' || s.role === 'enforcer');
      await tx.person.create({
        data: {
          displayName: s.name,
          role: s.role,
          streetId: s.street ? (streetIds.get(s.street) ?? null) : null,
          departmentId: s.department ? (departments.get(s.department) ?? null) : null,
          teamId: onTeam ? (teams.get(teamName(s.street!)) ?? null) : null,
          identities: { create: { channel: 'web', externalId, chatId: externalId } },
        },
      });
    }
  });
}

export async function listDemoStaff(db: Db): Promise<DemoStaff[]> {
  const rows = await db.person.findMany({
    where: {
      active: true,
      role: { not: 'resident' },
      identities: { some: { channel: 'web', externalId: { startsWith: DEMO_PREFIX } } },
    },
    orderBy: { id: 'asc' },
    select: {
      id: true,
      displayName: true,
      role: true,
      street: { select: { name: true } },
      department: { select: { name: true } },
    },
  });
  return rows.map((p) => ({
    personId: p.id,
    displayName: p.displayName,
    role: p.role as Role,
    street: p.street?.name ?? null,
    department: p.department?.name ?? null,
  }));
}

/** Only persons created here may be signed in as without a link. */
export async function isDemoStaff(db: Db, personId: number): Promise<boolean> {
  const n = await db.chatIdentity.count({
    where: {
      personId,
      channel: 'web',
      externalId: { startsWith: DEMO_PREFIX },
      person: { active: true, role: { not: 'resident' } },
    },
  });
  return n > 0;
}
