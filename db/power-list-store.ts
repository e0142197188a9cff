import { parsePowerList } from '../core/power-list/power-list-parse.ts';
import type { PowerList } from '../core/power-list/power-list-types.ts';
import type { Db } from './prisma-client.ts';

export type ImportOutcome = { status: 'imported' | 'unchanged'; version: string; items: number };

export class PowerListVersionConflict extends Error {}

/**
 * Loads a power list as a new version and makes it the active one. Old versions stay, so every
 * case keeps pointing at the item version it was routed with. Re-importing the same version
 * with the same content changes nothing; the same version number with other content is refused.
 */
export async function importPowerList(
  db: Db,
  list: PowerList,
  // Prisma's interactive-transaction limits; the start-up seed gives more (seed-organisation.ts).
  txOptions?: { maxWait?: number; timeout?: number },
): Promise<ImportOutcome> {
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
  }, txOptions);
}

type ActiveList = PowerList & { publishedAt: Date };

/**
 * The last parsed active version per client. Reading and checking the document took ~40 ms on the
 * event loop, and /public, Open311 and the case pages ask for it on every visit; a version never
 * changes once imported, so only a change of the active version's id means reading it again.
 */
const parsed = new WeakMap<Db, { id: number; list: ActiveList }>();

/** The active list as imported, or null before the first import. Shared: callers must not change it. */
export async function activePowerList(db: Db): Promise<ActiveList | null> {
  const active = await db.powerListVersion.findFirst({ where: { active: true }, select: { id: true } });
  if (!active) return null;
  const known = parsed.get(db);
  if (known?.id === active.id) return known.list;
  const v = await db.powerListVersion.findUnique({ where: { id: active.id } });
  if (!v) return null; // versions are never deleted
  const list = { ...parsePowerList(JSON.parse(v.document)), publishedAt: v.publishedAt };
  parsed.set(db, { id: v.id, list });
  return list;
}
