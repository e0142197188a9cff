import { combineNotices } from '../core/case/case-notices.ts';
import type { CasePatch, CaseRow, CaseStore, CaseTx, ItemRef, NewEvent, Notice } from '../core/case/case-port.ts';
import type { Actor, CaseStatus, Handling, Mode721 } from '../core/case/case-types.ts';
import { ConflictError } from '../core/errors.ts';
import { distanceM } from '../core/geo/geo-measure-fns.ts';
import type { OutboundMessage } from '../core/messaging/outbound-types.ts';
import { allocateCaseNumber, createPendingNumbers, withNumbers, type PendingNumbers } from './case-number-alloc.ts';
import { handlerIds } from './handler-ids.ts';
import { verificationTaskOps } from './verification-task-ops.ts';
import { sqlOf, type Db } from './prisma-client.ts';
import type { SqlTx, SqlValue } from './sql-connection.ts';
import { inList, atOrAfter, atOrAfterParams } from './sql-dialect.ts';
import { dateOrNull, sqlBool, sqlDate } from './sql-values.ts';
import { rollupEvent } from './stats-event-rollup.ts';
import {
  deferredRollups,
  deferRollups,
  rollupCaseChange,
  rollupCaseOf,
  rollupRating,
  rollupState,
} from './stats-rollup.ts';
import { noteCaseChange } from './case-changes.ts';
import { TALLY_COLUMNS, tallyCaseChange, tallyKeyOf, tallyKeyOfCase } from './case-tally.ts';

export type EnqueueForPeople = (
  tx: SqlTx,
  personIds: number[],
  message: OutboundMessage,
  dedupeKeyBase: string,
  caseId?: number,
) => unknown;

const OPEN_STATUSES = `('triage', 'dispatched', 'accepted', 'resolved')`;

// A case's photos by the case's own index on Attachment: there is none on "eventId", and without
// `a."caseId" = ?` both read every Attachment row (a scan that grows with every photo ever kept,
// on each staff card at intake). Equivalent: the only statement that sets "eventId" sets "caseId"
// to that event's case in the same UPDATE (addEvent).
export const REPORT_PHOTOS_SQL = `SELECT a."id" FROM "Attachment" a JOIN "CaseEvent" e ON e."id" = a."eventId" WHERE a."caseId" = ? AND e."caseId" = ? AND e."type" = 'submitted' AND a."mime" LIKE 'image/%' ORDER BY a."id" LIMIT ?`;
export const RESOLUTION_PHOTOS_SQL = `SELECT a."id" FROM "Attachment" a WHERE a."caseId" = ? AND a."eventId" = (SELECT MAX(e."id") FROM "CaseEvent" e WHERE e."caseId" = ? AND e."type" = 'resolved') ORDER BY a."id"`;

/**
 * The flood check on every report. SQLite's planner, given a recent `since`, took the createdAt
 * index and read every case of the last hour (1 ms a report at the 1M bench after a few thousand
 * reports, and growing with the intake rate) instead of the reporter's few cases: the unary `+`
 * keeps "createdAt" from choosing an index, so the reporter's index answers it.
 */
export const reportedSinceSql = (dialect: SqlTx['dialect']): string =>
  `SELECT COUNT(*) AS "n", MIN("createdAt") AS "oldest" FROM "Case" WHERE "reporterId" = ? AND ${dialect === 'sqlite' ? '+' : ''}"createdAt" >= ?`;

// A case with its item (and list version), street and department names, and who resolved it last.
const CASE_SELECT = `
  SELECT c."id", c."number", c."status", c."handling", c."streetId", c."departmentId", c."reporterId", c."assigneeId", c."unsatisfiedCount",
    c."text", c."lat", c."lng", c."address", c."post", c."urgent", c."itemId", c."dueAt", c."responseDueAt", c."createdAt", c."resolvedAt", c."closedAt",
    c."outcome", c."mode721", c."mergedIntoId", c."reopenCount", c."reworkCount", c."returnCount", c."externalDueAt",
    s."name" AS "streetName", d."name" AS "departmentName", p."displayName" AS "reporterName",
    i."code" AS "itemCode", i."name" AS "itemName", v."version" AS "itemVersion", i."level" AS "itemLevel", i."post" AS "itemPost",
    i."department" AS "itemDepartment", i."legalBasis" AS "itemLegalBasis", i."responseHours" AS "itemResponseHours",
    i."handlingHours" AS "itemHandlingHours", i."timeBasis" AS "itemTimeBasis", i."urgent" AS "itemUrgent", i."mode721" AS "itemMode721",
    (SELECT e."actorId" FROM "CaseEvent" e WHERE e."caseId" = c."id" AND e."type" = 'resolved' ORDER BY e."id" DESC LIMIT 1) AS "resolvedById",
    CASE WHEN c."handling" = 'department' THEN EXISTS (SELECT 1 FROM "Person" l WHERE l."role" = 'dept_liaison' AND l."departmentId" = c."departmentId" AND l."active" = TRUE) END AS "departmentStaffed"
  FROM "Case" c
  LEFT JOIN "Street" s ON s."id" = c."streetId"
  LEFT JOIN "Department" d ON d."id" = c."departmentId"
  LEFT JOIN "Person" p ON p."id" = c."reporterId"
  LEFT JOIN "PowerItem" i ON i."id" = c."itemId"
  LEFT JOIN "PowerListVersion" v ON v."id" = i."versionId"`;

/**
 * PostgreSQL: CASE_SELECT over the row an INSERT just returned (a CTE "new" ahead of it), with the
 * two columns the rollups read that CASE_SELECT lacks, so a registration's insert and its read
 * back are one round trip.
 */
const CASE_SELECT_NEW = CASE_SELECT.replace(
  '\n  FROM "Case" c\n',
  ',\n    c."autoVerified" AS "rollupAutoVerified", c."postponed" AS "rollupPostponed"\n  FROM "new" c\n',
);
if (CASE_SELECT_NEW === CASE_SELECT)
  throw new Error('CASE_SELECT changed: CASE_SELECT_NEW no longer reads the new row');

interface CaseRecord {
  id: number;
  number: string;
  status: string;
  handling: string | null;
  streetId: number | null;
  departmentId: number | null;
  reporterId: number;
  assigneeId: number | null;
  unsatisfiedCount: number;
  departmentStaffed: number | boolean | null;
  text: string;
  lat: number | null;
  lng: number | null;
  address: string | null;
  post: string | null;
  urgent: number | boolean;
  itemId: number | null;
  // Text on SQLite, Date on PostgreSQL: new Date() takes either.
  dueAt: string | Date | null;
  responseDueAt: string | Date | null;
  createdAt: string | Date;
  resolvedAt: string | Date | null;
  closedAt: string | Date | null;
  outcome: string | null;
  mode721: string | null;
  mergedIntoId: number | null;
  reopenCount: number;
  reworkCount: number;
  returnCount: number;
  externalDueAt: string | Date | null;
  streetName: string | null;
  departmentName: string | null;
  reporterName: string | null;
  itemCode: string | null;
  itemName: string;
  itemVersion: string;
  itemLevel: string;
  itemPost: string | null;
  itemDepartment: string | null;
  itemLegalBasis: string;
  itemResponseHours: number;
  itemHandlingHours: number;
  itemTimeBasis: string;
  itemUrgent: number | boolean;
  itemMode721: string;
  resolvedById: number | null;
}

interface ItemRecord {
  id: number;
  code: string;
  name: string;
  version: string;
  level: string;
  post: string | null;
  department: string | null;
  legalBasis: string;
  responseHours: number;
  handlingHours: number;
  timeBasis: string;
  urgent: number | boolean;
  mode721: string;
}

const toItemRef = (i: ItemRecord): ItemRef => ({
  id: i.id,
  code: i.code,
  name: i.name,
  version: i.version,
  level: i.level as ItemRef['level'],
  post: i.post,
  department: i.department,
  legalBasis: i.legalBasis,
  responseHours: i.responseHours,
  handlingHours: i.handlingHours,
  timeBasis: i.timeBasis as ItemRef['timeBasis'],
  urgent: Boolean(i.urgent), // 1 on SQLite, true on PostgreSQL
  mode721: i.mode721 as Mode721,
});

function toCaseRow(r: CaseRecord): CaseRow {
  const item =
    r.itemId !== null && r.itemCode !== null
      ? toItemRef({
          id: r.itemId,
          code: r.itemCode,
          name: r.itemName,
          version: r.itemVersion,
          level: r.itemLevel,
          post: r.itemPost,
          department: r.itemDepartment,
          legalBasis: r.itemLegalBasis,
          responseHours: r.itemResponseHours,
          handlingHours: r.itemHandlingHours,
          timeBasis: r.itemTimeBasis,
          urgent: r.itemUrgent,
          mode721: r.itemMode721,
        })
      : null;
  return {
    id: r.id,
    number: r.number,
    status: r.status as CaseStatus,
    handling: r.handling as Handling | null,
    streetId: r.streetId,
    departmentId: r.departmentId,
    reporterId: r.reporterId,
    assigneeId: r.assigneeId,
    resolvedById: r.resolvedById,
    unsatisfiedCount: r.unsatisfiedCount,
    ...(r.departmentStaffed === null ? {} : { departmentStaffed: Number(r.departmentStaffed) === 1 }),
    text: r.text,
    lat: r.lat,
    lng: r.lng,
    address: r.address,
    post: r.post,
    urgent: Boolean(r.urgent),
    itemId: r.itemId,
    item,
    streetName: r.streetName,
    departmentName: r.departmentName,
    reporterName: r.reporterName,
    dueAt: dateOrNull(r.dueAt),
    responseDueAt: dateOrNull(r.responseDueAt),
    createdAt: new Date(r.createdAt),
    resolvedAt: dateOrNull(r.resolvedAt),
    closedAt: dateOrNull(r.closedAt),
    outcome: r.outcome,
    mode721: r.mode721 as Mode721 | null,
    mergedIntoId: r.mergedIntoId,
    reopenCount: r.reopenCount,
    reworkCount: r.reworkCount,
    returnCount: r.returnCount,
    externalDueAt: dateOrNull(r.externalDueAt),
  };
}

/** Values as the Prisma adapter stores them: dates as ISO text, booleans as 0/1. */
function toSql(v: unknown): SqlValue {
  if (v === undefined || v === null) return null;
  if (v instanceof Date) return sqlDate(v);
  if (typeof v === 'boolean') return sqlBool(v);
  return v as SqlValue;
}

// The columns a patch may set: its keys become SQL, so only these names ever reach it.
const PATCHABLE = new Set<string>([
  'status',
  'lat',
  'lng',
  'handling',
  'post',
  'streetId',
  'departmentId',
  'itemId',
  'assigneeId',
  'needsTriage',
  'mode721',
  'outcome',
  'registeredAt',
  'dispatchedAt',
  'acceptedAt',
  'resolvedAt',
  'verifiedAt',
  'closedAt',
  'responseDueAt',
  'dueAt',
  'postponed',
  'reopenCount',
  'reworkCount',
  'returnCount',
  'unsatisfiedCount',
  'mergedIntoId',
  'remindedAt',
  'overdueNotifiedAt',
  'overdueEscalatedAt',
  'responseOverdueNotifiedAt',
  'autoVerified',
] satisfies Array<keyof CasePatch>);

const json = (v: unknown) => JSON.stringify(v);

/**
 * The case use-cases' reads and writes, as prepared statements on Prisma's own connection
 * (see sql-connection.ts): a report's registration runs about twenty of them, which through
 * Prisma cost ~0.3 ms each and through better-sqlite3 ~0.01 ms.
 */
const externalExists = async (tx: SqlTx, source: string, ref: string) =>
  (await tx.get('SELECT 1 AS "x" FROM "Case" WHERE "externalSource" = ? AND "externalRef" = ?', source, ref)) !==
  undefined;

/**
 * Two reports of one matter at once, close together, take turns at the duplicate search, so the
 * second sees the first's case and joins it. On SQLite whole units take turns anyway; on
 * PostgreSQL the day's case number used to make them (its counter row was locked from before the
 * search until commit), and now that the number is taken last a lock of its own does: a
 * transaction-level advisory lock on each grid cell (item × cell) the search box touches. Two
 * points within the radius lock a cell in common (each box holds the other point, and each locks
 * its own point's cell); cells are locked in one order, so two searches cannot deadlock. Reports
 * of other matters or places never wait here.
 */
async function lockNeighbourhood(
  tx: SqlTx,
  itemCode: string,
  lat: number,
  lng: number,
  dLat: number,
  dLng: number,
  radiusM: number,
): Promise<void> {
  // Fixed for a given radius (every process has the same), about four cells per search.
  const cell = Math.max(0.002, (4 * radiusM) / 111_320);
  const keys: string[] = [];
  for (let i = Math.floor((lat - dLat) / cell); i <= Math.floor((lat + dLat) / cell); i++)
    for (let j = Math.floor((lng - dLng) / cell); j <= Math.floor((lng + dLng) / cell); j++)
      keys.push(`duplicate:${itemCode}:${i}:${j}`);
  await tx.all(
    `SELECT pg_advisory_xact_lock(hashtextextended(s."k", 0)) FROM (SELECT k."value" AS "k" FROM jsonb_array_elements_text(?::jsonb) k ORDER BY 1) s`,
    json(keys.sort()),
  );
}

/** Summary writes a PostgreSQL unit makes at its end, in order (null: at once, as on SQLite). */
type LateWrites = Array<() => Promise<void>> | null;

async function flushLate(late: LateWrites): Promise<void> {
  if (late) for (const write of late.splice(0)) await write();
}

const EVENT_COLUMNS = '"caseId", "type", "fromStatus", "toStatus", "actorId", "actorRole", "note", "data", "createdAt"';
const eventValues = (e: NewEvent): SqlValue[] => [
  e.caseId,
  e.type,
  e.fromStatus,
  e.toStatus,
  e.actorId,
  e.actorRole,
  e.note ?? null,
  json(e.data ?? {}),
  sqlDate(e.at),
];

function caseTx(tx: SqlTx, notices: Notice[], pending: PendingNumbers | null, late: LateWrites): CaseTx {
  const load = async (where: { id: number } | { number: string }): Promise<CaseRow | null> => {
    const r =
      'id' in where
        ? await tx.get<CaseRecord>(`${CASE_SELECT} WHERE c."id" = ?`, where.id)
        : await tx.get<CaseRecord>(`${CASE_SELECT} WHERE c."number" = ?`, where.number);
    return r ? toCaseRow(r) : null;
  };

  /** What follows an event's row: its photos, the placeholder's note, the per-person figures. */
  const afterEvent = async (e: NewEvent, eventId: number) => {
    pending?.noteEvent(eventId, `${e.note ?? ''}${json(e.data ?? {})}`);
    if (e.attachmentIds?.length) {
      await tx.run(
        `UPDATE "Attachment" SET "caseId" = ?, "eventId" = ? WHERE ${inList(tx.dialect, '"id"', 'int')}`,
        e.caseId,
        eventId,
        json(e.attachmentIds),
      );
    }
    // Per-person and department figures (db/stats-event-rollup.ts), in the same unit of work.
    await rollupEvent(tx, {
      id: eventId,
      caseId: e.caseId,
      type: e.type,
      actorId: e.actorId,
      data: e.data,
      at: e.at,
    });
  };
  const appendEach = async (events: readonly NewEvent[]) => {
    const ids: number[] = [];
    for (const e of events) ids.push(await self.appendEvent(e));
    return ids;
  };

  const self: CaseTx = {
    async nextCaseNumber(prefix, day) {
      const key = day.replace(/-/g, '');
      // SQLite has one writer at a time anyway: the number is taken here, as it always was.
      return pending ? pending.take(prefix, key) : allocateCaseNumber(tx, prefix, key);
    },
    async activeItem(code) {
      const i = await tx.get<ItemRecord>(
        `SELECT i."id", i."code", i."name", v."version", i."level", i."post", i."department", i."legalBasis", i."responseHours", i."handlingHours", i."timeBasis", i."urgent", i."mode721"
         FROM "PowerItem" i JOIN "PowerListVersion" v ON v."id" = i."versionId" WHERE i."code" = ? AND v."active" = TRUE LIMIT 1`,
        code,
      );
      return i ? toItemRef(i) : null;
    },
    async streetIdByName(name) {
      return (await tx.get<{ id: number }>('SELECT "id" FROM "Street" WHERE "name" = ?', name))?.id ?? null;
    },
    async departmentIdByName(name) {
      return (await tx.get<{ id: number }>('SELECT "id" FROM "Department" WHERE "name" = ?', name))?.id ?? null;
    },
    async insertCase(d) {
      const now = sqlDate(d.createdAt);
      if (d.external && (await externalExists(tx, d.external.source, d.external.ref))) {
        throw new ConflictError(`工单${d.external.ref}已导入，不再重复立案`);
      }
      // The same order imported by two units at once (PostgreSQL: the day's number no longer makes
      // them take turns): the second waits on the unique key for the first, and then files nothing.
      const insert = `INSERT INTO "Case" ("number", "text", "lat", "lng", "address", "streetId", "itemId", "handling", "post", "departmentId", "status", "urgent",
           "confidence", "needsTriage", "routingReasons", "channel", "reporterId", "mergedIntoId", "createdAt", "updatedAt", "registeredAt",
           "dispatchedAt", "responseDueAt", "dueAt", "externalSource", "externalRef", "externalReceivedAt", "externalDueAt")
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT ("externalSource", "externalRef") DO NOTHING`;
      const values: SqlValue[] = [
        d.number,
        d.text,
        d.lat,
        d.lng,
        d.address,
        d.streetId,
        d.itemId,
        d.handling,
        d.post,
        d.departmentId,
        d.status,
        sqlBool(d.urgent),
        d.confidence,
        sqlBool(d.needsTriage),
        json(d.routingReasons),
        d.channel,
        d.reporterId,
        d.mergedIntoId,
        now,
        now,
        toSql(d.registeredAt),
        toSql(d.dispatchedAt),
        toSql(d.responseDueAt),
        toSql(d.dueAt),
        d.external?.source ?? null,
        d.external?.ref ?? null,
        toSql(d.external?.receivedAt ?? null),
        toSql(d.external?.dueAt ?? null),
      ];
      const conflict = () => new ConflictError(`工单${d.external?.ref ?? ''}已导入，不再重复立案`);
      if (tx.dialect === 'postgres' && late) {
        // One round trip for the insert and its read back (was two). The rollups get the state
        // it returned: nothing but updateCase, which adds the summaries first, changes the case
        // before they are added at the unit's end.
        const r = await tx.get<CaseRecord & { rollupAutoVerified: boolean; rollupPostponed: boolean }>(
          `WITH "new" AS (${insert} RETURNING *) ${CASE_SELECT_NEW}`,
          ...values,
        );
        if (!r) throw conflict();
        const state = rollupCaseOf({ ...r, autoVerified: r.rollupAutoVerified, postponed: r.rollupPostponed });
        // The rows they add to (per day and street) are shared by every registration there:
        // added at the end of the unit, their row locks are held for its last statements only.
        late.push(async () => {
          await rollupCaseChange(tx, r.id, null, state);
          await tallyCaseChange(tx, null, tallyKeyOf(d));
        });
        return toCaseRow(r);
      }
      const inserted = await tx.get<{ id: number }>(`${insert} RETURNING "id"`, ...values);
      if (!inserted) throw conflict();
      const { id } = inserted;
      const summaries = async () => {
        await rollupCaseChange(tx, id, null); // statistics rollups, in the same unit of work
        await tallyCaseChange(tx, null, tallyKeyOf(d)); // the lists' totals, likewise
      };
      if (late) late.push(summaries);
      else await summaries();
      return (await load({ id }))!;
    },
    getCase: async (ref) => load(ref),
    async updateCase(id, patch) {
      // A case inserted in this unit adds its first state to the summaries before it changes.
      await flushLate(late);
      const keys = Object.keys(patch).filter((k) => (patch as Record<string, unknown>)[k] !== undefined);
      for (const k of keys) if (!PATCHABLE.has(k)) throw new Error(`not a case column: ${k}`);
      const set = [...keys.map((k) => `"${k}" = ?`), '"updatedAt" = ?'].join(', ');
      const before = await rollupState(tx, id);
      const moves = TALLY_COLUMNS.some((k) => keys.includes(k));
      const tallyBefore = moves ? await tallyKeyOfCase(tx, id) : null;
      await tx.run(
        `UPDATE "Case" SET ${set} WHERE "id" = ?`,
        ...keys.map((k) => toSql((patch as Record<string, unknown>)[k])),
        sqlDate(new Date()),
        id,
      );
      await rollupCaseChange(tx, id, before);
      if (tallyBefore) await tallyCaseChange(tx, tallyBefore, await tallyKeyOfCase(tx, id));
      return (await load({ id }))!;
    },
    async appendEvent(e) {
      const { id: eventId } = (await tx.get<{ id: number }>(
        `INSERT INTO "CaseEvent" (${EVENT_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING "id"`,
        ...eventValues(e),
      ))!;
      await afterEvent(e, eventId);
      return eventId;
    },
    async appendEvents(events) {
      if (tx.dialect !== 'postgres') return appendEach(events);
      if (!events.length) return [];
      // One multi-row INSERT (a registration's two or three events were a round trip each). The
      // sequence numbers the rows in VALUES order, so the ids sorted are the events' in order.
      const row = '(?::int, ?, ?, ?, ?::int, ?, ?, ?, ?::timestamp(3))';
      const ids = (
        await tx.all<{ id: number }>(
          `INSERT INTO "CaseEvent" (${EVENT_COLUMNS}) VALUES ${events.map(() => row).join(', ')} RETURNING "id"`,
          ...events.flatMap(eventValues),
        )
      )
        .map((r) => r.id)
        .sort((a, b) => a - b);
      for (const [i, e] of events.entries()) await afterEvent(e, ids[i]!);
      return ids;
    },
    async findOpenDuplicate({ itemCode, lat, lng, radiusM, since, lookOnly }) {
      const dLat = radiusM / 111_320;
      const dLng = radiusM / (111_320 * Math.cos((lat * Math.PI) / 180));
      if (tx.dialect === 'postgres' && !lookOnly) await lockNeighbourhood(tx, itemCode, lat, lng, dLat, dLng, radiusM);
      const rows = await tx.all<CaseRecord>(
        `${CASE_SELECT} WHERE c."status" IN ${OPEN_STATUSES} AND ${atOrAfter(tx.dialect, 'c."createdAt"')} AND c."lat" BETWEEN ? AND ? AND c."lng" BETWEEN ? AND ? AND i."code" = ? LIMIT 20`,
        ...atOrAfterParams(tx.dialect, sqlDate(since)),
        lat - dLat,
        lat + dLat,
        lng - dLng,
        lng + dLng,
        itemCode,
      );
      const here = { lat, lng };
      const near = rows.map(toCaseRow).filter((c) => distanceM(here, { lat: c.lat!, lng: c.lng! }) <= radiusM);
      near.sort(
        (a, b) => distanceM(here, { lat: a.lat!, lng: a.lng! }) - distanceM(here, { lat: b.lat!, lng: b.lng! }),
      );
      return near[0] ?? null;
    },
    async reportedSince(reporterId, since) {
      const r = (await tx.get<{ n: number; oldest: string | Date | null }>(
        reportedSinceSql(tx.dialect),
        reporterId,
        sqlDate(since),
      ))!;
      return { count: r.n, oldest: r.oldest ? new Date(r.oldest) : null };
    },
    async addSubscriber(caseId, personId) {
      await tx.run(
        'INSERT INTO "CaseSubscriber" ("caseId", "personId", "createdAt") VALUES (?, ?, ?) ON CONFLICT DO NOTHING',
        caseId,
        personId,
        sqlDate(new Date()),
      );
    },
    async attachmentOwnership(ids) {
      if (!ids.length) return [];
      return tx.all<{ id: number; uploadedById: number | null; caseId: number | null }>(
        `SELECT "id", "uploadedById", "caseId" FROM "Attachment" WHERE ${inList(tx.dialect, '"id"', 'int')}`,
        json([...new Set(ids)]),
      );
    },
    async resolutionPhotos(caseId) {
      return (await tx.all<{ id: number }>(RESOLUTION_PHOTOS_SQL, caseId, caseId)).map((r) => r.id);
    },
    async reportPhotos(caseId, limit) {
      return (await tx.all<{ id: number }>(REPORT_PHOTOS_SQL, caseId, caseId, limit)).map((r) => r.id);
    },
    async actorsOf(personIds) {
      if (!personIds.length) return [];
      const rows = await tx.all<{
        id: number;
        role: string;
        streetId: number | null;
        departmentId: number | null;
        displayName: string;
      }>(
        `SELECT "id", "role", "streetId", "departmentId", "displayName" FROM "Person" WHERE "active" = TRUE AND ${inList(tx.dialect, '"id"', 'int')}`,
        json([...new Set(personIds)]),
      );
      const byId = new Map(rows.map((r) => [r.id, r]));
      return personIds.flatMap((id) => {
        const r = byId.get(id);
        return r
          ? [
              {
                personId: r.id,
                role: r.role as Actor['role'],
                streetId: r.streetId,
                departmentId: r.departmentId,
                displayName: r.displayName,
              },
            ]
          : [];
      });
    },
    async followers(caseId) {
      const c = await tx.get<{ reporterId: number }>('SELECT "reporterId" FROM "Case" WHERE "id" = ?', caseId);
      if (!c) throw new Error(`no case ${caseId}`);
      return [
        ...new Set([
          c.reporterId,
          ...(
            await tx.all<{ personId: number }>('SELECT "personId" FROM "CaseSubscriber" WHERE "caseId" = ?', caseId)
          ).map((s) => s.personId),
        ]),
      ];
    },
    async handlers(handling, streetId, departmentId) {
      return handlerIds(tx, handling, streetId, departmentId);
    },
    async personInStreet(personId, streetId, roles) {
      return (
        (await tx.get<{ n: number }>(
          `SELECT COUNT(*) AS "n" FROM "Person" WHERE "id" = ? AND "streetId" = ? AND "active" = TRUE AND ${inList(tx.dialect, '"role"', 'text')}`,
          personId,
          streetId,
          json(roles),
        ))!.n > 0
      );
    },
    async departmentStaffed(departmentId) {
      return (
        Number(
          (await tx.get<{ n: number }>(
            `SELECT COUNT(*) AS "n" FROM "Person" WHERE "role" = 'dept_liaison' AND "departmentId" = ? AND "active" = TRUE`,
            departmentId,
          ))!.n,
        ) > 0
      );
    },
    async history(caseId) {
      return (
        await tx.all<{ type: string; note: string | null; actorRole: string; data: string; createdAt: string }>(
          'SELECT "type", "note", "actorRole", "data", "createdAt" FROM "CaseEvent" WHERE "caseId" = ? ORDER BY "id"',
          caseId,
        )
      ).map((e) => ({
        type: e.type,
        note: e.note,
        actorRole: e.actorRole,
        data: JSON.parse(e.data) as Record<string, unknown>,
        at: dateOrNull(e.createdAt)!,
      }));
    },
    async ratingsSince(caseId, personId, since) {
      return (await tx.get<{ n: number }>(
        'SELECT COUNT(*) AS "n" FROM "Rating" WHERE "caseId" = ? AND "personId" = ? AND "createdAt" >= ?',
        caseId,
        personId,
        sqlDate(since),
      ))!.n;
    },
    async setLatestRatingComment(caseId, personId, comment) {
      const r = await tx.get<{ id: number }>(
        'SELECT "id" FROM "Rating" WHERE "caseId" = ? AND "personId" = ? ORDER BY "id" DESC LIMIT 1',
        caseId,
        personId,
      );
      if (!r) return false;
      await tx.run('UPDATE "Rating" SET "comment" = ? WHERE "id" = ?', comment, r.id);
      return true;
    },
    async insertRating(r) {
      await tx.run(
        'INSERT INTO "Rating" ("caseId", "personId", "score", "comment", "createdAt") VALUES (?, ?, ?, ?, ?)',
        r.caseId,
        r.personId,
        r.score,
        r.comment,
        sqlDate(r.at),
      );
      await rollupRating(tx, r.caseId, r.score, r.at);
    },
    async insertPostponement(p) {
      return (await tx.get<{ id: number }>(
        `INSERT INTO "Postponement" ("caseId", "requestedById", "reason", "newDueAt", "status", "createdAt") VALUES (?, ?, ?, ?, 'pending', ?) RETURNING "id"`,
        p.caseId,
        p.requestedById,
        p.reason,
        sqlDate(p.newDueAt),
        sqlDate(p.at),
      ))!.id;
    },
    async decidePostponement(id, d) {
      const { changes } = await tx.run(
        `UPDATE "Postponement" SET "status" = ?, "decidedById" = ?, "decidedAt" = ? WHERE "id" = ? AND "status" = 'pending'`,
        d.approved ? 'approved' : 'refused',
        d.decidedById,
        sqlDate(d.at),
        id,
      );
      if (changes === 0) return null;
      const p = (await tx.get<{ caseId: number; newDueAt: string | Date; status: string }>(
        'SELECT "caseId", "newDueAt", "status" FROM "Postponement" WHERE "id" = ?',
        id,
      ))!;
      return { caseId: p.caseId, newDueAt: new Date(p.newDueAt), status: p.status };
    },
    async notify(n) {
      if (n.personIds.length) notices.push(n);
    },
    async insertPlaceCorrection(p) {
      await tx.run(
        `INSERT INTO "PlaceCorrection" ("streetId", "lat", "lng", "placeText", "source", "caseId", "actorId", "createdAt") VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
        p.streetId,
        p.lat,
        p.lng,
        p.placeText,
        p.source,
        p.caseId,
        p.actorId,
        sqlDate(p.at),
      );
    },
    ...verificationTaskOps(tx),
  };
  return self;
}

export function createCaseStore(db: Db, enqueue: EnqueueForPeople): CaseStore {
  const sql = sqlOf(db);
  return {
    transaction: async (fn) => {
      const result = await sql.transaction(async (tx) => {
        // Notices wait for the end of the unit, so the several one event causes to one person
        // can go as one message.
        const notices: Notice[] = [];
        // On PostgreSQL case numbers are taken last (db/case-number-alloc.ts).
        // On PostgreSQL the new cases' rollups and tally rows, shared hot spots, are written after
        // everything else, and the numbers last of all.
        const pending = tx.dialect === 'postgres' ? createPendingNumbers() : null;
        const late: LateWrites = tx.dialect === 'postgres' ? [] : null;
        // And its rollup rows (the district's one per day among them) in the numbers' statement.
        if (pending) deferRollups(tx);
        const result = await fn(caseTx(tx, notices, pending, late));
        for (const n of combineNotices(notices)) {
          await enqueue(tx, n.personIds, n.message, n.dedupeKey, n.caseId);
          pending?.noteMessage(n.caseId, json(n.message));
        }
        await flushLate(late);
        return pending ? withNumbers(result, await pending.settle(tx, deferredRollups(tx))) : result;
      });
      noteCaseChange(db); // committed: caches of anonymous pages start afresh (db/case-changes.ts)
      return result;
    },
  };
}
