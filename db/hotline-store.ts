import type { HotlineStore } from '../core/hotline/hotline-port.ts';
import type { Db } from './prisma-client.ts';

const CHUNK = 500; // SQLite's limit on bound parameters is far above; keeps statements short

/** Callers are residents without a chat identity; the placeholder name is what staff read when the hotline gave none. */
const UNNAMED_CALLER = '12345来电人';

export function createHotlineStore(db: Db): HotlineStore {
  return {
    async importedRefs(source, refs) {
      const found = new Map<string, string>();
      for (let i = 0; i < refs.length; i += CHUNK) {
        const rows = await db.case.findMany({
          where: { externalSource: source, externalRef: { in: refs.slice(i, i + CHUNK) as string[] } },
          select: { externalRef: true, number: true },
        });
        for (const r of rows) found.set(r.externalRef!, r.number);
      }
      return found;
    },
    async callerPerson({ name, phone }) {
      const displayName = name ?? UNNAMED_CALLER;
      // Only records no chat account belongs to: a number typed into a hotline call proves
      // nothing about who owns a chat account, so hotline cases never reach one by it.
      if (phone) {
        const existing = await db.person.findFirst({
          where: { role: 'resident', phone, displayName, identities: { none: {} } },
          select: { id: true },
        });
        if (existing) return existing.id;
      }
      const p = await db.person.create({ data: { role: 'resident', displayName, phone }, select: { id: true } });
      return p.id;
    },
  };
}
