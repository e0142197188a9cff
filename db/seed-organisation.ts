import { readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import type { Db } from './prisma-client.ts';

const organisationSchema = z.object({
  streets: z
    .array(z.object({ code: z.string(), name: z.string(), staffCount: z.number().int().positive() }))
    .length(12),
  departments: z.array(
    z.object({
      code: z.string(),
      name: z.string(),
      fullName: z.string(),
      kind: z.enum(['district_bureau', 'department']),
    }),
  ),
});

export type Organisation = z.infer<typeof organisationSchema>;

export const ORGANISATION_FILE = path.resolve(import.meta.dirname, '../prisma/data/organisation.json');

export function readOrganisation(file = ORGANISATION_FILE): Organisation {
  return organisationSchema.parse(JSON.parse(readFileSync(file, 'utf8')));
}

export function teamName(streetName: string): string {
  return `${streetName}城管执法队`;
}

/**
 * Prisma's interactive transactions give up after 5 s (and after 2 s waiting for a connection).
 * A start-up seed on a loaded machine (several processes starting at once on one PostgreSQL,
 * under load 11) ran out of that; nothing else is waiting on a starting process, so its seed
 * transactions may take their time.
 */
export const STARTUP_TRANSACTION = { maxWait: 60_000, timeout: 120_000 } as const;

/** Whether the database already holds `org` exactly (a restart): then there is nothing to write. */
async function isSeeded(db: Db, org: Organisation): Promise<boolean> {
  const [streets, teams, departments] = await Promise.all([
    db.street.findMany({ select: { id: true, code: true, name: true, staffCount: true } }),
    db.team.findMany({ select: { name: true, streetId: true } }),
    db.department.findMany({ select: { code: true, name: true, fullName: true, kind: true } }),
  ]);
  const street = new Map(streets.map((s) => [s.code, s]));
  const team = new Map(teams.map((t) => [t.name, t.streetId]));
  const department = new Map(departments.map((d) => [d.code, d]));
  return (
    org.streets.every((s) => {
      const have = street.get(s.code);
      return have?.name === s.name && have.staffCount === s.staffCount && team.get(teamName(s.name)) === have.id;
    }) &&
    org.departments.every((d) => {
      const have = department.get(d.code);
      return have?.name === d.name && have.fullName === d.fullName && have.kind === d.kind;
    })
  );
}

/**
 * Idempotent: running it again changes nothing and duplicates nothing. On a seeded database (every
 * restart) it only reads; otherwise it writes in one transaction, given STARTUP_TRANSACTION's time.
 */
export async function seedOrganisation(db: Db, org: Organisation = readOrganisation()): Promise<void> {
  if (await isSeeded(db, org)) return;
  await db.$transaction(async (tx) => {
    for (const s of org.streets) {
      const street = await tx.street.upsert({
        where: { code: s.code },
        create: { code: s.code, name: s.name, staffCount: s.staffCount },
        update: { name: s.name, staffCount: s.staffCount },
      });
      const name = teamName(s.name);
      await tx.team.upsert({ where: { name }, create: { name, streetId: street.id }, update: { streetId: street.id } });
    }
    for (const d of org.departments) {
      await tx.department.upsert({
        where: { code: d.code },
        create: d,
        update: { name: d.name, fullName: d.fullName, kind: d.kind },
      });
    }
  }, STARTUP_TRANSACTION);
}
