import { parsePowerList } from '../core/power-list/power-list-loader.ts';
import type { PowerList } from '../core/power-list/power-list-types.ts';
import type { Db } from './prisma-client.ts';

export type ImportOutcome = { status: 'imported' | 'unchanged'; version: string; items: number };

export class PowerListVersionConflict extends Error {}

/**
 * Loads a power list as a new version and makes it the active one. Old versions stay, so every
 * case keeps pointing at the item version it was routed with. Re-importing the same version
 * with the same content changes nothing; the same version number with other content is refused.
 */
export async function importPowerList(db: Db, list: PowerList): Promise<ImportOutcome> {
  const document = JSON.stringify(list);
  return db.$transaction(async (tx) => {
    const existing = await tx.powerListVersion.findUnique({ where: { version: list.version } });
    if (existing) {
      if (existing.document !== document) {
        throw new PowerListVersionConflict(`版本 ${list.version} 已导入且内容不同：请为新清单使用新的版本号`);
      }
      if (!existing.active) {
        await tx.powerListVersion.updateMany({ data: { active: false } });
        await tx.powerListVersion.update({ where: { id: existing.id }, data: { active: true } });
      }
      return { status: 'unchanged', version: list.version, items: list.items.length };
    }
    await tx.powerListVersion.updateMany({ data: { active: false } });
    const version = await tx.powerListVersion.create({
      data: { version: list.version, title: list.title, source: list.source, document, active: true },
    });
    await tx.powerItem.createMany({
      data: list.items.map((i) => ({
        versionId: version.id,
        code: i.code,
        name: i.name,
        level: i.level,
        post: i.post,
        department: i.department,
        legalBasis: i.legalBasis,
        keywords: JSON.stringify(i.keywords),
        responseHours: i.responseHours,
        handlingHours: i.handlingHours,
        timeBasis: i.timeBasis,
        urgent: i.urgent,
        mode721: i.mode721,
      })),
    });
    return { status: 'imported', version: list.version, items: list.items.length };
  });
}

/** The active list as imported, or null before the first import. */
export async function activePowerList(db: Db): Promise<(PowerList & { publishedAt: Date }) | null> {
  const v = await db.powerListVersion.findFirst({ where: { active: true } });
  return v ? { ...parsePowerList(JSON.parse(v.document)), publishedAt: v.publishedAt } : null;
}
