// Small factories for integration tests: people, tokens and cases written with Prisma directly,
// so read-side tests do not depend on the write side's workflow.
import type { Actor, CaseStatus, Role } from '../../core/case/case-types.ts';
import { sqlOf, type Db } from '../../db/prisma-client.ts';
import { rollupEvent } from '../../db/stats-event-rollup.ts';
import { rollupCaseChange, rollupRating } from '../../db/stats-rollup.ts';
import { tallyCaseChange, tallyKeyOf } from '../../db/case-tally.ts';
import { issueToken } from '../../db/token-store.ts';

export interface TestPerson {
  id: number;
  actor: Actor;
  token: string;
  /** Authorization header for app.inject(). */
  auth: { authorization: string };
}

export interface CaseInput {
  reporterId: number;
  street?: string | null;
  department?: string | null;
  status?: CaseStatus;
  itemCode?: string | null;
  post?: string | null;
  handling?: string | null;
  text?: string;
  address?: string | null;
  lat?: number | null;
  lng?: number | null;
  urgent?: boolean;
  assigneeId?: number | null;
  outcome?: string | null;
  mode721?: string | null;
  postponed?: boolean;
  reworkCount?: number;
  reopenCount?: number;
  autoVerified?: boolean;
  createdAt?: Date | string;
  dueAt?: Date | string | null;
  responseDueAt?: Date | string | null;
  resolvedAt?: Date | string | null;
  closedAt?: Date | string | null;
}

const at = (d: Date | string | null | undefined) => (d === undefined || d === null ? null : new Date(d));

// One sequence per database, not per factory: case numbers are JH-<day of createdAt>-<seq>, so two
// factories on one database (one in beforeAll, one in a test) numbering from 1 collided whenever
// their cases' days matched, which depended on the time of day the suite ran.
const sequences = new WeakMap<Db, { n: number }>();

export function createCaseFactory(db: Db) {
  if (!sequences.has(db)) sequences.set(db, { n: 0 });
  const counter = sequences.get(db)!;
  const ids = new Map<string, number>();

  async function streetId(name: string): Promise<number> {
    const key = `s:${name}`;
    if (!ids.has(key)) ids.set(key, (await db.street.findUniqueOrThrow({ where: { name } })).id);
    return ids.get(key)!;
  }
  async function departmentId(name: string): Promise<number> {
    const key = `d:${name}`;
    if (!ids.has(key)) ids.set(key, (await db.department.findUniqueOrThrow({ where: { name } })).id);
    return ids.get(key)!;
  }
  /** An item of the seeded power list (seedReferenceData imports it). */
  async function item(code: string): Promise<{ id: number; post: string | null }> {
    const found = await db.powerItem.findFirst({
      where: { code, version: { active: true } },
      select: { id: true, post: true },
    });
    if (!found) throw new Error(`power-list item ${code} is not seeded: call seedReferenceData first`);
    return found;
  }

  async function person(o: {
    role: Role;
    name?: string;
    phone?: string | null;
    street?: string;
    department?: string;
  }): Promise<TestPerson> {
    const seq = ++counter.n;
    const p = await db.person.create({
      data: {
        role: o.role,
        displayName: o.name ?? `${o.role}-${seq}`,
        phone: o.phone ?? null,
        streetId: o.street ? await streetId(o.street) : null,
        departmentId: o.department ? await departmentId(o.department) : null,
      },
    });
    const token = await issueToken(db, p.id, 'test');
    const actor: Actor = {
      personId: p.id,
      role: o.role,
      streetId: p.streetId,
      departmentId: p.departmentId,
      displayName: p.displayName,
    };
    return { id: p.id, actor, token, auth: { authorization: `Bearer ${token}` } };
  }

  async function kase(o: CaseInput) {
    const seq = ++counter.n;
    const createdAt = at(o.createdAt) ?? new Date();
    const day = createdAt.toISOString().slice(0, 10).replace(/-/g, '');
    const it = o.itemCode ? await item(o.itemCode) : null;
    const status = o.status ?? 'dispatched';
    const created = await db.case.create({
      data: {
        number: `JH-${day}-${String(seq).padStart(4, '0')}`,
        text: o.text ?? `测试案件 ${seq}`,
        address: o.address ?? null,
        lat: o.lat ?? null,
        lng: o.lng ?? null,
        streetId: o.street ? await streetId(o.street) : null,
        departmentId: o.department ? await departmentId(o.department) : null,
        itemId: it?.id ?? null,
        post: o.post !== undefined ? o.post : (it?.post ?? null),
        handling: o.handling !== undefined ? o.handling : o.department ? 'department' : 'street',
        status,
        urgent: o.urgent ?? false,
        channel: 'telegram',
        reporterId: o.reporterId,
        assigneeId: o.assigneeId ?? null,
        outcome: o.outcome ?? null,
        mode721: o.mode721 ?? null,
        postponed: o.postponed ?? false,
        reworkCount: o.reworkCount ?? 0,
        reopenCount: o.reopenCount ?? 0,
        autoVerified: o.autoVerified ?? false,
        createdAt,
        dueAt: at(o.dueAt),
        responseDueAt: at(o.responseDueAt),
        resolvedAt: at(o.resolvedAt),
        closedAt: at(o.closedAt) ?? (status === 'closed' ? createdAt : null),
      },
    });
    // The statistics rollups and the lists' tally, as the case store keeps them for every case it writes.
    await sqlOf(db).transaction(async (tx) => {
      await rollupCaseChange(tx, created.id, null);
      await tallyCaseChange(tx, null, tallyKeyOf(created));
    });
    return created;
  }

  return {
    streetId,
    departmentId,
    item,
    person,
    case: kase,
    follow: (caseId: number, personId: number) => db.caseSubscriber.create({ data: { caseId, personId } }),
    rating: async (caseId: number, personId: number, score: string, createdAt?: Date | string) => {
      const r = await db.rating.create({ data: { caseId, personId, score, createdAt: at(createdAt) ?? new Date() } });
      await sqlOf(db).transaction((tx) => rollupRating(tx, caseId, score, r.createdAt));
      return r;
    },
    event: (
      caseId: number,
      e: {
        type: string;
        actorId?: number | null;
        actorRole: string;
        fromStatus?: string;
        toStatus?: string;
        note?: string;
        data?: Record<string, unknown>;
        createdAt?: Date | string;
      },
    ) =>
      db.caseEvent
        .create({
          data: {
            caseId,
            type: e.type,
            actorId: e.actorId ?? null,
            actorRole: e.actorRole,
            fromStatus: e.fromStatus ?? null,
            toStatus: e.toStatus ?? null,
            note: e.note ?? null,
            data: JSON.stringify(e.data ?? {}),
            ...(e.createdAt !== undefined ? { createdAt: new Date(e.createdAt) } : {}),
          },
        })
        .then(async (ev) => {
          // The event facts and rollups, as the case store keeps them for every event it appends.
          await sqlOf(db).transaction((tx) =>
            rollupEvent(tx, {
              id: ev.id,
              caseId,
              type: ev.type,
              actorId: ev.actorId,
              data: e.data ?? {},
              at: ev.createdAt,
            }),
          );
          return ev;
        }),
    attachment: (o: {
      caseId: number | null;
      /** The event it came with (only a handler's `resolved` event makes a photo publishable). */
      eventId?: number | null;
      path: string;
      publicPath?: string | null;
      uploadedById?: number | null;
      mime?: string;
      size?: number;
    }) =>
      db.attachment.create({
        data: {
          caseId: o.caseId,
          eventId: o.eventId ?? null,
          path: o.path,
          publicPath: o.publicPath ?? null,
          uploadedById: o.uploadedById ?? null,
          mime: o.mime ?? 'image/jpeg',
          size: o.size ?? 4,
          sha256: 'ab'.repeat(32),
        },
      }),
    finding: (o: {
      inspectorId: number;
      outcome: 'settled' | 'case';
      createdAt: Date | string;
      patrolStreet?: string;
    }) =>
      (async () => {
        const patrol = o.patrolStreet
          ? await db.patrol.create({
              data: {
                inspectorId: o.inspectorId,
                streetId: await streetId(o.patrolStreet),
                startedAt: new Date(o.createdAt),
              },
            })
          : null;
        return db.patrolFinding.create({
          data: {
            inspectorId: o.inspectorId,
            patrolId: patrol?.id ?? null,
            text: '巡查发现',
            outcome: o.outcome,
            createdAt: new Date(o.createdAt),
          },
        });
      })(),
  };
}

export type CaseFactory = ReturnType<typeof createCaseFactory>;
