import { createCaseServices, type CaseServices } from '../../core/case/case-services.ts';
import { CASE_MESSAGES } from '../../core/case/case-messages.ts';
import type { Actor, Role } from '../../core/case/case-types.ts';
import { loadHolidayCalendarSync } from '../../config/holiday-calendar-file.ts';
import { createCaseStore } from '../../db/case-store.ts';
import { createOutboxStore } from '../../db/outbox-store.ts';
import { seedReferenceData } from '../../db/seed.ts';
import type { Db } from '../../db/prisma-client.ts';
import { createTestDb, type TestDb } from './test-db.ts';

export interface Clock {
  now: Date;
  (): Date;
  set(iso: string): void;
  advanceHours(h: number): void;
}

export function fixedClock(iso: string): Clock {
  const clock = (() => clock.now) as Clock;
  clock.now = new Date(iso);
  clock.set = (s) => {
    clock.now = new Date(s);
  };
  clock.advanceHours = (h) => {
    clock.now = new Date(clock.now.getTime() + h * 3_600_000);
  };
  return clock;
}

export const plainRenderer = {
  t: (key: string, vars: Record<string, string | number>) =>
    (CASE_MESSAGES as Record<string, string>)[key]!.replace(/\{(\w+)\}/g, (_, k: string) => String(vars[k] ?? '')),
};

export interface Harness extends TestDb {
  services: CaseServices;
  clock: Clock;
  person(role: Role, opts?: { street?: string; department?: string; name?: string; chat?: string }): Promise<Actor>;
  /** Texts queued for a person's chats, oldest first. */
  inbox(actor: Actor): Promise<Array<{ text: string; buttons: string[] }>>;
}

/** A migrated SQLite file with streets, departments and the bundled power list, plus case services on a fixed clock. */
export async function createHarness(startIso = '2026-12-01T02:00:00Z'): Promise<Harness> {
  const t = await createTestDb();
  await seedReferenceData(t.db);
  const clock = fixedClock(startIso);
  const outbox = createOutboxStore(t.db, { clock });
  const store = createCaseStore(t.db, (tx, ids, msg, key, caseId) =>
    outbox.enqueueForPeople(tx, ids, msg, key, caseId),
  );
  const services = createCaseServices({
    store,
    clock,
    messages: plainRenderer,
    calendar: loadHolidayCalendarSync(),
    settings: { casePrefix: 'JH', duplicateRadiusM: 50, duplicateWindowHours: 72, minConfidence: 0.5 },
  });
  let seq = 0;
  return {
    ...t,
    services,
    clock,
    async person(role, opts = {}) {
      seq += 1;
      const street = opts.street ? await t.db.street.findUniqueOrThrow({ where: { name: opts.street } }) : null;
      const department = opts.department
        ? await t.db.department.findUniqueOrThrow({ where: { name: opts.department } })
        : null;
      const p = await t.db.person.create({
        data: {
          displayName: opts.name ?? `${role}${seq}`,
          role,
          streetId: street?.id ?? null,
          departmentId: department?.id ?? null,
          phone: role === 'resident' ? `1380000${String(seq).padStart(4, '0')}` : null,
        },
      });
      await t.db.chatIdentity.create({
        data: { channel: 'web', externalId: opts.chat ?? `u${p.id}`, chatId: opts.chat ?? `u${p.id}`, personId: p.id },
      });
      return { personId: p.id, role, streetId: p.streetId, departmentId: p.departmentId, displayName: p.displayName };
    },
    async inbox(actor) {
      const rows = await t.db.outboxMessage.findMany({ where: { personId: actor.personId }, orderBy: { id: 'asc' } });
      return rows.map((r) => {
        const m = JSON.parse(r.payload) as { text: string; buttons?: Array<Array<{ label: string }>> };
        return { text: m.text, buttons: (m.buttons ?? []).flat().map((b) => b.label) };
      });
    },
  };
}

export async function eventTypes(db: Db, caseId: number): Promise<string[]> {
  return (await db.caseEvent.findMany({ where: { caseId }, orderBy: { id: 'asc' } })).map((e) => e.type);
}
