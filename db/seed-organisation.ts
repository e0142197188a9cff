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

/** Idempotent: running it again changes nothing and duplicates nothing. */
export async function seedOrganisation(db: Db, org: Organisation = readOrganisation()): Promise<void> {
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
  });
}
