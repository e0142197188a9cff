import type { Prisma } from '../prisma/generated/client.ts';
import {
  RATING_LABELS,
  STATUS_LABELS,
  STATUSES,
  STAFF_ROLES,
  type Actor,
  type CaseStatus,
  type RatingScore,
} from '../core/case/case-types.ts';
import { detailTextsFor, listTextsFor } from '../core/case/contact-redaction-fns.ts';
import { coarseLocation, redactPersonalData } from '../core/case/anonymise-fns.ts';
import {
  OVERDUE_STATUSES,
  canSeeOriginal,
  caseView,
  isOverdue,
  type CaseView,
  reporterView,
  visibilityScope,
  type CaseAccessFacts,
} from '../core/case/case-visibility-fns.ts';
import { ValidationError } from '../core/errors.ts';
import { parseBound } from '../core/stats/period-fns.ts';
import { caseDetailRecord } from './case-detail-rows.ts';
import {
  caseTextMatches,
  caseTextSearchSql,
  SEARCH_MANY_FROM,
  SEARCH_TOTAL_CAP,
  searchMemory,
  type FoundTerm,
  type SearchMemory,
  type SearchBreadth,
} from './case-text-search.ts';
import type { Engine } from './db-engine.ts';
import { engineOfClient, type Db } from './prisma-client.ts';
import { preparedReads, readerOf } from './reader-pool.ts';
import type { SqlValue } from './sql-connection.ts';
import { inSelect, unindexed } from './sql-dialect.ts';
import { sqlDate } from './sql-values.ts';

/** The Prisma form of core/case/case-visibility-fns.ts: same rules, as a `where`. */
export function visibleCaseWhere(actor: Actor): Prisma.CaseWhereInput {
  const scope = visibilityScope(actor);
  if (scope.kind === 'all') return {};
  const own: Prisma.CaseWhereInput[] = [
    { reporterId: scope.personId },
    { subscribers: { some: { personId: scope.personId } } },
  ];
  if (scope.streetId !== null) own.push({ streetId: scope.streetId });
  if (scope.departmentId !== null) own.push({ departmentId: scope.departmentId });
  return { OR: own };
}

export interface CaseListQuery {
  street?: string | undefined;
  status?: string | undefined; // comma list
  post?: string | undefined;
  handling?: string | undefined;
  overdue?: boolean | undefined;
  from?: string | undefined;
  to?: string | undefined;
  q?: string | undefined;
  page: number;
  pageSize: number;
  /** Keyset paging (listCases): '' for the first page, then the previous answer's nextCursor. */
  cursor?: string | undefined;
  sort?: 'createdAt' | 'dueAt' | 'number' | undefined;
  order?: 'asc' | 'desc' | undefined;
}

export function parseStatuses(list: string): CaseStatus[] {
  const wanted = list
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const bad = wanted.filter((s) => !(STATUSES as readonly string[]).includes(s));
  if (bad.length) throw new ValidationError(`未知的案件状态：${bad.join('、')}（可选：${STATUSES.join(', ')}）`);
  return wanted as CaseStatus[];
}

/**
 * On the reader (one indexed row): through Prisma on the main thread, a street-filtered list
 * spent more of the event loop resolving the street's name than its reader spent on the page.
 */
export async function streetIdByName(db: Db, name: string): Promise<number> {
  const known = streetIds.get(db)?.get(name);
  if (known !== undefined) return known;
  const [street] = await readerOf(db)<{ id: bigint | number }>('SELECT "id" FROM "Street" WHERE "name" = ?', name);
  if (!street) throw new ValidationError(`没有这个街道：${name}`);
  const byName = streetIds.get(db) ?? new Map<string, number>();
  streetIds.set(db, byName);
  byName.set(name, Number(street.id));
  return Number(street.id);
}

/**
 * Street ids found by name, per client. A street is written only by the seed, which upserts it
 * by name and never deletes one, so a name once found keeps its id; an unknown name is asked
 * again each time (another process may seed it). Holds at most the district's streets, and
 * spares a street-filtered list one of its three statements.
 */
const streetIds = new WeakMap<Db, Map<string, number>>();

/**
 * The list is raw SQL, not Prisma: at 100,000 cases it needs a real COUNT(*) (Prisma counts
 * over a LIMIT subquery, which defeats SQLite's count optimisation) and a say in which index
 * SQLite walks. The rules are still those of visibilityScope(); a test checks the SQL and the
 * Prisma `where` above return the same cases.
 */
interface Sql {
  text: string;
  params: unknown[];
  /**
   * A table joined before the case table, as `<table> CROSS JOIN ` (SQLite's text search
   * counting through its index, case-text-search.ts): what reads `FROM "Case" c` reads
   * `FROM ${from}"Case" c` (caseFrom). Its conditions are in `text`.
   */
  from?: string | undefined;
}

const and = (parts: Sql[]): Sql => ({
  text: parts.map((p) => p.text).join(' AND ') || 'TRUE',
  params: parts.flatMap((p) => p.params),
  from: parts.find((p) => p.from)?.from,
});

/** The FROM of a statement over the cases matching `where` (see Sql.from). */
const caseFrom = (where: Sql) => `${where.from ?? ''}"Case" c`;

/**
 * With `walk`, a street or department scope marks its terms with unary + so SQLite pages by
 * walking the createdAt index and filtering (thousands of matching cases: 20 are found in a
 * few hundred rows) instead of gathering them all through the OR and sorting. A resident's
 * scope is a handful of cases: always fetched through the indexes. `dialect` writes the
 * followed-cases arm so PostgreSQL can answer it from an index too (sql-dialect.ts inSelect).
 */
export function visibleCaseSql(actor: Actor, walk = false, dialect: Engine = 'sqlite'): Sql {
  const scope = visibilityScope(actor);
  if (scope.kind === 'all') return { text: 'TRUE', params: [] };
  const p = walk && (scope.streetId !== null || scope.departmentId !== null) ? '+' : '';
  const followed = inSelect(dialect, `${p}c."id"`, 'SELECT "caseId" FROM "CaseSubscriber" WHERE "personId" = ?');
  const terms: Sql[] = [
    { text: `${p}c."reporterId" = ?`, params: [scope.personId] },
    { text: followed, params: [scope.personId] },
  ];
  if (scope.streetId !== null) terms.unshift({ text: `${p}c."streetId" = ?`, params: [scope.streetId] });
  if (scope.departmentId !== null) terms.unshift({ text: `${p}c."departmentId" = ?`, params: [scope.departmentId] });
  return { text: `(${terms.map((t) => t.text).join(' OR ')})`, params: terms.flatMap((t) => t.params) };
}

/**
 * An overdue total is counted case by case up to here (a few hundred index entries); past it,
 * it is the tally's open cases less those not yet due (listTotal).
 */
export const LIST_OVERDUE_COUNT_CAP = 200;

const OVERDUE_IN = `(${OVERDUE_STATUSES.map((s) => `'${s}'`).join(', ')})`;

/**
 * `walk` puts a unary + on status, which keeps SQLite off the (status, dueAt) index: to list
 * the newest overdue cases, walking the createdAt index and filtering beats fetching every
 * overdue case and sorting them all. Counts keep the index (it covers them, nothing to sort).
 */
const overdueSql = (now: string, walk: boolean): Sql => ({
  text: `(${walk ? '+' : ''}c."status" IN ${OVERDUE_IN} AND c."dueAt" < ?)`,
  params: [now],
});
/** Spelled out rather than NOT(overdue): NOT over a NULL dueAt would drop those cases. */
const notOverdueSql = (now: string): Sql => ({
  text: `(c."status" NOT IN ${OVERDUE_IN} OR c."dueAt" IS NULL OR c."dueAt" >= ?)`,
  params: [now],
});

/** The list's filters, without the visibility scope. */
function filterParts(
  q: CaseListQuery,
  streetId: number | null,
  now: string,
  walk: boolean,
  dialect: Engine,
  breadth: SearchBreadth = 'few',
  found?: FoundTerm,
): Sql[] {
  const parts: Sql[] = [];
  if (streetId !== null) parts.push({ text: 'c."streetId" = ?', params: [streetId] });
  if (q.status) {
    const statuses = parseStatuses(q.status);
    // Walking: the page follows the createdAt index, which holds the status (one case in 14 is
    // "accepted": 20 are found in ~300 index entries); through the (status, dueAt) index it
    // fetched all 69,000 accepted cases of 1M and sorted them (125 ms a page).
    parts.push({
      text: `${walk ? '+' : ''}c."status" IN (${statuses.map(() => '?').join(', ')})`,
      params: statuses,
    });
  }
  if (q.post) parts.push({ text: 'c."post" = ?', params: [q.post] });
  if (q.handling) parts.push({ text: 'c."handling" = ?', params: [q.handling] });
  if (q.overdue !== undefined) parts.push(q.overdue ? overdueSql(now, walk) : notOverdueSql(now));
  if (q.from) parts.push({ text: 'c."createdAt" >= ?', params: [sqlDate(parseBound(q.from, 'from'))] });
  if (q.to) parts.push({ text: 'c."createdAt" < ?', params: [sqlDate(parseBound(q.to, 'to'))] });
  const text = q.q?.trim();
  if (text) parts.push(caseTextSearchSql(dialect, text, breadth, walk, found));
  return parts;
}

/**
 * What the list knows of its text search before it plans (listPlan): how many cases hold the
 * term (SQLite's index says it in a few milliseconds; null: unknown, or no search), and so
 * how its matches are tested (SearchBreadth).
 */
interface SearchPlan {
  matches: number | null;
  breadth: SearchBreadth;
  /** SQLite: the matches as read once for the request (caseTextMatches). */
  found?: FoundTerm | undefined;
  /** PostgreSQL: the share of the cases expected to hold the term (caseTextMatches). */
  share?: number | undefined;
}
const NO_SEARCH: SearchPlan = { matches: null, breadth: 'few' };

function listConditions(
  actor: Actor,
  q: CaseListQuery,
  streetId: number | null,
  now: string,
  walk: boolean,
  dialect: Engine,
  breadth: SearchBreadth = 'few',
  found?: FoundTerm,
): Sql {
  return and([visibleCaseSql(actor, walk, dialect), ...filterParts(q, streetId, now, walk, dialect, breadth, found)]);
}

/** The street or department a limited scope covers whole, if it covers one (never both). */
function ownScopeOf(actor: Actor): { column: 'streetId' | 'departmentId'; id: number } | null | undefined {
  const scope = visibilityScope(actor);
  if (scope.kind === 'all') return null;
  if (scope.streetId !== null && scope.departmentId === null) return { column: 'streetId', id: scope.streetId };
  if (scope.departmentId !== null && scope.streetId === null) return { column: 'departmentId', id: scope.departmentId };
  return undefined;
}

/** Whether the actor's scope is the street `id` (a team lead's own street), and nothing wider. */
const leadsStreet = (actor: Actor, id: number): boolean => {
  const own = ownScopeOf(actor);
  return own?.column === 'streetId' && own.id === id;
};

/** The actor's own reports and followed cases outside their street or department: a handful. */
function elsewhereSql(own: { column: string; id: number }, personId: number, dialect: Engine): Sql {
  return and([
    { text: `(c."${own.column}" IS NULL OR c."${own.column}" <> ?)`, params: [own.id] },
    {
      // inSelect: PostgreSQL answers the followed cases from an index only when written as an array.
      text: `(c."reporterId" = ? OR ${inSelect(dialect, 'c."id"', 'SELECT "caseId" FROM "CaseSubscriber" WHERE "personId" = ?')})`,
      params: [personId, personId],
    },
  ]);
}

/**
 * The rows of a scope as disjoint arms a page walks one by one, merged in order (pageRows). A
 * street's or a department's scope is its own cases (for a street, the (streetId, createdAt)
 * index walks them newest first) and the actor's cases elsewhere; as one OR, SQLite could only
 * walk every case's createdAt index and test each (a team lead's page read ~2,600 rows at 1M).
 * Only for pages newest first: other orders keep the one-OR scope (visibleCaseSql).
 */
function scopeArms(actor: Actor, walk: boolean, dialect: Engine): Sql[] {
  const scope = visibilityScope(actor);
  const own = ownScopeOf(actor);
  if (scope.kind === 'all' || !own) return [visibleCaseSql(actor, walk, dialect)];
  // No (departmentId, createdAt) index: a department's arm walks createdAt, as the OR did.
  const p = walk && own.column === 'departmentId' ? '+' : '';
  return [{ text: `${p}c."${own.column}" = ?`, params: [own.id] }, elsewhereSql(own, scope.personId, dialect)];
}

/**
 * The list's total from "CaseTally" (db/case-tally.ts) where its keys can say it: filters on
 * street, status, post and handling only (and `extra` conditions on those columns), and a scope
 * of everything, or of one street or one department plus the actor's own reports and followed
 * cases (those outside the street or department are counted on the cases, through their
 * indexes: a handful). As one scalar expression, so that it shares a statement with what else a
 * request counts (scalars()); null: count the cases.
 */
function tallyTotalSql(
  actor: Actor,
  q: CaseListQuery,
  streetId: number | null,
  dialect: Engine,
  extra: Sql[] = [],
  search: SearchPlan = NO_SEARCH,
): Sql | null {
  // A search of the whole district and nothing else: its total is the index's count of matches.
  const onlySearch = !q.street && !q.status && !q.post && !q.handling && q.overdue === undefined && !q.from && !q.to;
  if (q.q?.trim())
    return search.matches !== null && onlySearch && !extra.length && visibilityScope(actor).kind === 'all'
      ? { text: String(search.matches), params: [] }
      : null;
  if (q.overdue !== undefined || q.from || q.to) return null;
  const scope = visibilityScope(actor);
  const own = ownScopeOf(actor);
  if (own === undefined) return null;
  const filters = [...filterParts(q, streetId, '', false, dialect), ...extra];
  const onTally = and([...(own ? [{ text: `c."${own.column}" = ?`, params: [own.id] }] : []), ...filters]);
  const tallied: Sql = {
    text: `(SELECT COALESCE(SUM(c."n"), 0) FROM "CaseTally" c WHERE ${onTally.text})`,
    params: onTally.params,
  };
  if (!own || scope.kind !== 'limited') return tallied;
  const rest = countSql(and([elsewhereSql(own, scope.personId, dialect), ...filters]));
  return { text: `(${tallied.text} + ${rest.text})`, params: [...tallied.params, ...rest.params] };
}

/**
 * SQLite, a team lead's search whose street's matches are all known (FoundTerm.street): the
 * total arm by arm (scopeArms; disjoint, so the sum is exact below the cap), each capped at
 * `reach`. The street's is the count of its matches when nothing else filters, else those of them
 * the filters keep, reached by id; the lead's cases elsewhere (a handful) are tested with LIKE.
 * As one OR over the scope, the count gathered the street's every case through its index (84,000
 * at 1M) to test each against the set.
 */
function streetSearchTotalSql(
  actor: Actor,
  q: CaseListQuery,
  streetId: number | null,
  now: string,
  found: FoundTerm | undefined,
  reach: number,
): Sql | null {
  if (found?.street === undefined || !leadsStreet(actor, found.street.id)) return null;
  const [inStreet, elsewhere] = scopeArms(actor, false, 'sqlite') as [Sql, Sql];
  const filters = filterParts({ ...q, q: undefined }, streetId, now, false, 'sqlite');
  // The matches drive (CROSS JOIN keeps them outermost; `from` comes first, so its parameter does):
  // each is looked up by id, or in an index that holds the filters' columns with the id.
  const ids: Sql = { text: `c."id" = j."value"`, params: [found.ids], from: 'json_each(?) AS j CROSS JOIN ' };
  const street = filters.length
    ? countSql(and([ids, inStreet, ...filters]), reach)
    : { text: String(Math.min(reach, (JSON.parse(found.ids) as unknown[]).length)), params: [] };
  // Elsewhere, LIKE itself ('most'): the set would be built only to be tested on a handful of cases.
  const rest = countSql(and([elsewhere, ...filterParts(q, streetId, now, false, 'sqlite', 'most')]), reach);
  return { text: `(${street.text} + ${rest.text})`, params: [...street.params, ...rest.params] };
}

/**
 * SQLite, a team lead's common word (FoundTerm.streetMatches) and no other filter: where the
 * street alone holds `reach` matches or more, the total is that lower bound, nothing to count (the
 * capped count fetched the district's matches one by one to test their street: 垃圾 at 1M cases,
 * ~2,600 cases, 4.7 ms). Null: count as before.
 */
function streetMatchesTotalSql(
  actor: Actor,
  q: CaseListQuery,
  streetId: number | null,
  now: string,
  found: FoundTerm | undefined,
  reach: number,
): Sql | null {
  const inStreet = found?.streetMatches;
  if (inStreet === undefined || !leadsStreet(actor, inStreet.id)) return null;
  if (filterParts({ ...q, q: undefined }, streetId, now, false, 'sqlite').length) return null;
  return inStreet.atLeast >= reach ? { text: String(reach), params: [] } : null;
}

async function tallyTotal(
  db: Db,
  actor: Actor,
  q: CaseListQuery,
  streetId: number | null,
  search: SearchPlan,
): Promise<number | null> {
  const expr = tallyTotalSql(actor, q, streetId, engineOfClient(db), [], search);
  return expr === null ? null : (await scalars(db, [expr]))[0]!;
}

/** COUNT(*) of the cases matching `where`, as a scalar expression; with `cap`, counting stops there. */
function countSql(where: Sql, cap?: number): Sql {
  return cap === undefined
    ? { text: `(SELECT COUNT(*) FROM ${caseFrom(where)} WHERE ${where.text})`, params: where.params }
    : {
        text: `(SELECT COUNT(*) FROM (SELECT 1 FROM ${caseFrom(where)} WHERE ${where.text} LIMIT ?) AS capped)`,
        params: [...where.params, cap],
      };
}

/**
 * Several counts in one statement, one round trip: each statement a list sent cost a trip
 * through the pool and the driver, a few per request, and on PostgreSQL with 16 clients the
 * trips, not the counting, were most of a list's time.
 */
async function scalars(db: Db, exprs: Sql[]): Promise<number[]> {
  // Known already (a search's count from its index, tallyTotalSql): no statement to send.
  if (exprs.every((e) => /^\d+$/.test(e.text))) return exprs.map((e) => Number(e.text));
  const [row] = await readerOf(db)<Record<string, bigint | number | null>>(
    `SELECT ${exprs.map((e, i) => `${e.text} AS "n${i}"`).join(', ')}`,
    ...(exprs.flatMap((e) => e.params) as SqlValue[]),
  );
  return exprs.map((_, i) => Number(row?.[`n${i}`] ?? 0));
}

const OPEN_SQL: Sql = { text: `c."status" IN ${OVERDUE_IN}`, params: [] };

/**
 * The list's total. An overdue total cannot come from the tally (it moves with the clock), and
 * counting the overdue cases of a district (92,880 at 1M) cost 20-40 ms of a reader thread per
 * request. So they are counted one by one only up to LIST_OVERDUE_COUNT_CAP; past it, the total
 * is the tally's open cases less the open cases not yet due (or without a deadline), a range of
 * the (status, dueAt) index: exact either way, and the cost is the smaller of the two sides (a
 * backlog of overdue cases is what grows without bound). overdue=false is the rest of the list.
 */
async function listTotal(
  db: Db,
  actor: Actor,
  query: CaseListQuery,
  streetId: number | null,
  nowText: string,
  search: SearchPlan,
): Promise<number> {
  const dialect = engineOfClient(db);
  const conditions = (q: CaseListQuery) =>
    listConditions(actor, q, streetId, nowText, false, dialect, search.breadth, search.found);
  if (query.overdue === undefined)
    return (await tallyTotal(db, actor, query, streetId, search)) ?? countWhere(db, conditions(query));
  const base: CaseListQuery = { ...query, overdue: undefined };
  const overdue = async (): Promise<number> => {
    const counted = conditions({ ...query, overdue: true });
    const few = await countWhere(db, counted, LIST_OVERDUE_COUNT_CAP);
    if (few < LIST_OVERDUE_COUNT_CAP) return few;
    const open = tallyTotalSql(actor, base, streetId, dialect, [OPEN_SQL]);
    if (open === null) return countWhere(db, counted);
    const openCases = and([conditions(base), OPEN_SQL]);
    // The tally's open cases and those not yet due in one statement.
    const [openCount, notYetDue] = await scalars(db, [
      open,
      countEachSql([
        and([openCases, { text: 'c."dueAt" >= ?', params: [nowText] }]),
        and([openCases, { text: 'c."dueAt" IS NULL', params: [] }]),
      ]),
    ]);
    return openCount! - notYetDue!;
  };
  if (query.overdue) return overdue();
  const all = await tallyTotal(db, actor, base, streetId, search);
  return all === null ? countWhere(db, conditions(query)) : all - (await overdue());
}

export const LIST_TEXT_MAX = 140;

const LIST_COLUMNS = `c."id" AS id, c."number" AS number, c."reporterId" AS "reporterId", c."streetId" AS "streetId", c."departmentId" AS "departmentId", c."status" AS status, substr(c."text", 1, ${LIST_TEXT_MAX + 1}) AS text, c."post" AS post,
  c."handling" AS handling, c."urgent" AS urgent, c."createdAt" AS "createdAt", c."dueAt" AS "dueAt",
  s."name" AS "streetName", d."name" AS "departmentName", i."code" AS "itemCode", i."name" AS "itemName"
  FROM "Case" c LEFT JOIN "Street" s ON s."id" = c."streetId" LEFT JOIN "Department" d ON d."id" = c."departmentId"
  LEFT JOIN "PowerItem" i ON i."id" = c."itemId"`;

const orderSql = (column: 'createdAt' | 'dueAt' | 'number', order: 'asc' | 'desc') =>
  `c."${column}" ${order === 'asc' ? 'ASC' : 'DESC'}, c."id" ${order === 'asc' ? 'ASC' : 'DESC'}`;

/** Raw rows carry DATETIME columns as Date (Prisma converts declared types) or as text. */
const iso = (v: unknown): string | null =>
  v === null || v === undefined ? null : v instanceof Date ? v.toISOString() : new Date(String(v)).toISOString();
/**
 * A DATETIME column's instant without iso's round trip through text: a search's matches (up to
 * 201 rows on PostgreSQL, pgSearchMatches) each had both dates written out and parsed again.
 */
const asDate = (v: unknown): Date => (v instanceof Date ? v : new Date(String(v)));

/** A follower's row shows no word of the reporter's text (see caseView). */
export const FOLLOWED_TEXT = '（您关注的案件：您的报告已并入此案件）';

function toListItem(r: Record<string, unknown>, now: Date, actor: Actor) {
  const facts = {
    reporterId: Number(r.reporterId),
    streetId: r.streetId === null ? null : Number(r.streetId),
    departmentId: r.departmentId === null ? null : Number(r.departmentId),
    assigneeId: null,
    actorFollows: true, // every listed row is visible: the only question is whether only by following
  };
  const text = caseView(actor, facts) === 'follower' ? FOLLOWED_TEXT : String(r.text);
  const status = String(r.status);
  const dueAt = iso(r.dueAt);
  return {
    number: String(r.number),
    status,
    statusLabel: STATUS_LABELS[status as CaseStatus] ?? status,
    text: text.length > LIST_TEXT_MAX ? `${text.slice(0, LIST_TEXT_MAX)}…` : text,
    street: (r.streetName as string | null) ?? null,
    post: (r.post as string | null) ?? null,
    department: (r.departmentName as string | null) ?? null,
    handling: (r.handling as string | null) ?? null,
    urgent: r.urgent === true || Number(r.urgent) === 1,
    createdAt: iso(r.createdAt)!,
    dueAt,
    overdue: isOverdue({ status, dueAt: dueAt ? new Date(dueAt) : null }, now),
    item: r.itemCode ? { code: String(r.itemCode), name: String(r.itemName) } : null,
  };
}
export type CaseListItem = ReturnType<typeof toListItem>;

// Lists and their counts read on the reader pool when one is attached (db/reader-pool.ts):
// an export or a deep page must not hold the event loop.
/** The tally's count over conditions on its own columns (alias c: streetId, departmentId, status, handling, post). */
export async function tallySum(db: Db, where: Sql): Promise<number> {
  const [row] = await readerOf(db)<{ n: bigint | number | null }>(
    `SELECT SUM(c."n") AS n FROM "CaseTally" c WHERE ${where.text}`,
    ...(where.params as SqlValue[]),
  );
  return Number(row?.n ?? 0);
}

/** How many cases match; with `cap`, counting stops there (the answer is at most `cap`). */
async function countWhere(db: Db, where: Sql, cap?: number): Promise<number> {
  const [row] = await readerOf(db)<{ n: bigint | number }>(
    cap === undefined
      ? `SELECT COUNT(*) AS n FROM ${caseFrom(where)} WHERE ${where.text}`
      : `SELECT COUNT(*) AS n FROM (SELECT 1 FROM ${caseFrom(where)} WHERE ${where.text} LIMIT ?) AS capped`,
    ...(where.params as SqlValue[]),
    ...(cap === undefined ? [] : [cap]),
  );
  return Number(row?.n ?? 0);
}

/**
 * Rows to page through: `where` within each arm of a scope (scopeArms; one arm but for a
 * street's or department's pages newest first).
 */
interface Source {
  arms: Sql[];
  where: Sql;
}

/**
 * How many cases match any of these disjoint conditions, in one statement: a count per range
 * of an index, where one OR of the ranges made SQLite gather and de-duplicate every row id
 * first (4× the work for the open cases not yet due).
 */
function countEachSql(wheres: Sql[]): Sql {
  const counts = wheres.map((w) => countSql(w));
  return { text: `(${counts.map((c) => c.text).join(' + ')})`, params: counts.flatMap((c) => c.params) };
}

/**
 * One page of `src` in the order of `column`. The page's ids are found first, on their own: the
 * walk reads only the columns the covering (createdAt, id, status, dueAt) index holds, so a deep
 * OFFSET skips index entries instead of reading every skipped case (and its joins) from the
 * table (page 50 read ~10,000 rows at 1M); only the page's rows are then read whole. Two arms
 * each walk their own index in order, at most skip + take rows, and a UNION ALL merges them:
 * the LIMIT inside each arm is what lets PostgreSQL merge two ordered walks (a Merge Append).
 * Ordered only as a whole, the UNION ALL is planned apart from its LIMIT: PostgreSQL fetched a
 * team lead's every overdue case of the street through the (streetId, status) index (7,600
 * rows, 6,250 table pages at 1M cases) and sorted them to keep 20.
 */
async function pageRows(
  db: Db,
  src: Source,
  column: Segment['column'],
  order: 'asc' | 'desc',
  take: number,
  skip: number,
  columns = LIST_COLUMNS,
): Promise<Array<Record<string, unknown>>> {
  const dir = order === 'asc' ? 'ASC' : 'DESC';
  const parts = src.arms.map((arm) => and([arm, src.where]));
  const ids =
    parts.length === 1
      ? `SELECT c."id" FROM ${caseFrom(parts[0]!)} WHERE ${parts[0]!.text} ORDER BY ${orderSql(column, order)} LIMIT ? OFFSET ?`
      : `SELECT u."id" FROM (${parts
          .map(
            (p, i) =>
              `SELECT * FROM (SELECT c."id" AS "id", c."${column}" AS "k" FROM ${caseFrom(p)} WHERE ${p.text} ORDER BY ${orderSql(column, order)} LIMIT ?) AS a${i}`,
          )
          .join(' UNION ALL ')}) AS u ORDER BY u."k" ${dir}, u."id" ${dir} LIMIT ? OFFSET ?`;
  const armParams = parts.length === 1 ? parts[0]!.params : parts.flatMap((p) => [...p.params, skip + take]);
  return readerOf(db)(
    `SELECT ${columns} WHERE c."id" IN (${ids}) ORDER BY ${orderSql(column, order)}`,
    ...(armParams as SqlValue[]),
    take,
    skip,
  );
}

/**
 * One ordered part of a list: the default order is the overdue cases, then the rest, each
 * newest first; sort=dueAt is the dated cases by deadline, then the undated newest first.
 */
interface Segment {
  src: Source;
  /** Its conditions, scope included, without the walking hints: what counts it on an index. */
  counted: Sql;
  column: 'createdAt' | 'dueAt' | 'number';
  order: 'asc' | 'desc';
  /** Whether a fetched row belongs here (to name the segment a cursor continues in). */
  holds(r: Record<string, unknown>, now: Date): boolean;
}

/** The list's conditions in their three forms (listPlan). */
interface Conditions {
  /** scope and filters, no hints (counts) */
  counted: Sql;
  /** scope and filters, with SQLite's walking hints */
  walked: Sql;
  /** the filters alone, with the hints, for the scope's arms */
  filters: Sql;
  arms: Sql[];
}

function segmentsFor(query: CaseListQuery, c: Conditions, nowText: string, walk: boolean): Segment[] {
  const all = () => true;
  // Newest first: the scope's arms (scopeArms); other orders walk the one-OR scope.
  const newest = (extra: Sql): Source => ({ arms: c.arms, where: and([c.filters, extra]) });
  const none: Sql = { text: 'TRUE', params: [] };
  if (query.sort === 'dueAt') {
    const dated: Sql = { text: 'c."dueAt" IS NOT NULL', params: [] };
    const undated: Sql = { text: 'c."dueAt" IS NULL', params: [] };
    return [
      {
        // By deadline through the (status, dueAt) or dueAt index; a street's or department's
        // scope walks it with its terms hinted (as one OR, SQLite fetched the street's 83,000
        // cases of 1M and sorted them: 150 ms a page).
        src: { arms: [none], where: and([c.arms.length > 1 ? c.walked : c.counted, dated]) },
        counted: and([c.counted, dated]),
        column: 'dueAt',
        order: query.order ?? 'desc',
        holds: (r) => r.dueAt !== null && r.dueAt !== undefined,
      },
      { src: newest(undated), counted: and([c.counted, undated]), column: 'createdAt', order: 'desc', holds: all },
    ];
  }
  if (query.sort && query.sort !== 'createdAt')
    return [
      {
        src: { arms: [none], where: c.walked },
        counted: c.counted,
        column: query.sort,
        order: query.order ?? 'desc',
        holds: all,
      },
    ];
  if (query.sort)
    return [{ src: newest(none), counted: c.counted, column: 'createdAt', order: query.order ?? 'desc', holds: all }];
  const rest: Segment = {
    src: newest(notOverdueSql(nowText)),
    counted: and([c.counted, notOverdueSql(nowText)]),
    column: 'createdAt',
    order: 'desc',
    holds: all,
  };
  if (query.overdue === false) return [rest];
  return [
    {
      src: newest(overdueSql(nowText, walk)),
      // Within a period, the covering createdAt index holds the overdue test: through the
      // (status, dueAt) index, finding the page's few overdue cases of the last 30 days read
      // most of the 92,000 overdue cases of 1M to test their date (50 ms).
      counted: and([c.counted, overdueSql(nowText, walk && Boolean(query.from || query.to))]),
      column: 'createdAt',
      order: 'desc',
      holds: (r, now) => isOverdue({ status: String(r.status), dueAt: r.dueAt ? asDate(r.dueAt) : null }, now),
    },
    rest,
  ];
}

/**
 * Keyset paging: a cursor names the last row shown (its segment, its sort value and id), and
 * the next page starts after it through the index, without counting or skipping rows. Opaque
 * to clients (base64url JSON); it carries the sort it was made for.
 */
interface Cursor {
  /** sort:order the cursor was made for */
  m: string;
  /** segment index */
  k: number;
  /** sort value of the last row, as stored */
  v: string;
  id: number;
}

const cursorMode = (q: CaseListQuery) => `${q.sort ?? ''}:${q.order ?? 'desc'}:${q.overdue ?? ''}`;

function encodeCursor(c: Cursor): string {
  return Buffer.from(JSON.stringify(c)).toString('base64url');
}

function decodeCursor(text: string, q: CaseListQuery): Cursor {
  let c: Partial<Cursor> | null;
  try {
    c = JSON.parse(Buffer.from(text, 'base64url').toString('utf8')) as Partial<Cursor>;
  } catch {
    c = null;
  }
  if (!c || typeof c.m !== 'string' || typeof c.k !== 'number' || typeof c.v !== 'string' || typeof c.id !== 'number')
    throw new ValidationError('cursor 参数无效：请使用上一页返回的 nextCursor');
  if (c.m !== cursorMode(q)) throw new ValidationError('cursor 与当前的排序或筛选方式不符：请从第一页重新开始');
  return c as Cursor;
}

/** The stored form of a row's sort value (dates as the adapter stores them, so text comparison holds). */
function sortValue(r: Record<string, unknown>, column: Segment['column']): string {
  return column === 'number' ? String(r.number) : sqlDate(new Date(iso(r[column])!));
}

function cursorAfter(
  segments: readonly Segment[],
  r: Record<string, unknown>,
  query: CaseListQuery,
  now: Date,
  from = 0,
): string {
  const k = Math.max(
    from,
    segments.findIndex((s) => s.holds(r, now)),
  );
  return encodeCursor({ m: cursorMode(query), k, v: sortValue(r, segments[k]!.column), id: Number(r.id) });
}

/** Rows strictly after the cursor's row within its segment. */
function afterSql(s: Segment, c: Cursor): Sql {
  const cmp = s.order === 'asc' ? '>' : '<';
  // The leading `column <= v` (or >=) is implied by the rest, but only it lets SQLite start the
  // index walk at the cursor: over the OR alone it walked from the first row every time, so
  // page 50 cost what the 50 pages before it did (and an export's chunks grew ever slower).
  return {
    text: `(c."${s.column}" ${cmp}= ? AND (c."${s.column}" ${cmp} ? OR (c."${s.column}" = ? AND c."id" ${cmp} ?)))`,
    params: [c.v, c.v, c.v, c.id],
  };
}

/**
 * Default order is "overdue first, then newest": two index-friendly queries (the overdue
 * segment, then the rest) stitched at the page boundary, instead of an ORDER BY over a
 * computed expression that would sort every visible row. With `cursor` (keyset paging) there
 * is no count and no offset: the page starts after the cursor's row, and `nextCursor` names
 * the page after (null at the end). Without it, `page` and `total` work as before, and
 * `nextCursor` lets a client switch to keyset paging from there.
 */
export interface CasePage {
  items: CaseListItem[];
  /** Exact, unless totalIsLowerBound: then there are more than this many. */
  total: number;
  /**
   * A text search's total is counted only up to SEARCH_TOTAL_CAP (or as far as the page
   * reaches): past it, `total` is that far and this is true ("超过 200 件").
   */
  totalIsLowerBound: boolean;
  page: number;
  pageSize: number;
  nextCursor: string | null;
}
export interface CaseKeysetPage {
  items: CaseListItem[];
  pageSize: number;
  nextCursor: string | null;
}
/** Per client: what the text search keeps between requests (caseTextMatches). */
const searchMemories = new WeakMap<Db, SearchMemory>();
const searchMemoryOf = (db: Db) => {
  const known = searchMemories.get(db) ?? searchMemory();
  searchMemories.set(db, known);
  return known;
};

/** What both kinds of paging share: the conditions, the segments and the row shaping. */
async function listPlan(db: Db, actor: Actor, query: CaseListQuery, now: Date) {
  const nowText = sqlDate(now);
  const streetId = query.street ? await streetIdByName(db, query.street) : null;
  // The unary + hints are SQLite's planner's (PostgreSQL has no + on text, and needs none).
  const dialect = engineOfClient(db);
  const walk = dialect === 'sqlite';
  const text = query.q?.trim();
  // SQLite, a team lead: the matches within their street, from the index, and their own cases
  // elsewhere (caseTextMatches).
  const scope = visibilityScope(actor);
  const own = ownScopeOf(actor);
  const inStreet =
    dialect === 'sqlite' && scope.kind === 'limited' && own?.column === 'streetId'
      ? { id: own.id, elsewhere: elsewhereSql(own, scope.personId, dialect) as { text: string; params: number[] } }
      : undefined;
  const found = text ? await caseTextMatches(dialect, readerOf(db), text, searchMemoryOf(db), inStreet) : null;
  const narrowed = visibilityScope(actor).kind !== 'all' || streetId !== null;
  // PostgreSQL: within a street filter or a department a 'many' term keeps the index (see
  // PG_MOST_FROM); a team lead's own street walks its index (pgWalkArms).
  const search: SearchPlan =
    found &&
    dialect === 'postgres' &&
    (streetId !== null || (narrowed && ownScopeOf(actor)?.column !== 'streetId')) &&
    found.breadth === 'many'
      ? { ...found, breadth: 'few' }
      : (found ?? NO_SEARCH);
  // A segment's count stops at the page's end (21 rows). District-wide, walking the search
  // index's matches and fetching each case meets 21 overdue ones in a few hundred (露天烧烤:
  // 1 ms). Within a street (a team lead's scope, or the street filter) 13 times as many cases
  // are fetched for each one kept (36 ms for 垃圾), so there the count tests cases with LIKE
  // through the street's index, the overdue test on the index first (0.3 ms).
  const conditions: Conditions = {
    counted: listConditions(
      actor,
      query,
      streetId,
      nowText,
      false,
      dialect,
      search.breadth === 'many' && narrowed ? 'most' : search.breadth,
      search.found,
    ),
    walked: listConditions(actor, query, streetId, nowText, walk, dialect, search.breadth, search.found),
    filters: and(filterParts(query, streetId, nowText, walk, dialect, search.breadth, search.found)),
    arms: scopeArms(actor, walk, dialect),
  };
  const segments = segmentsFor(query, conditions, nowText, walk);
  const toItems = (rows: Array<Record<string, unknown>>) =>
    listTextsFor(
      actor,
      rows.map((r) => toListItem(r, now, actor)),
    );
  return { nowText, streetId, segments, toItems, search };
}

/** Keyset paging: `cursor` is '' for the first page, then the previous answer's nextCursor. */
export async function listCasesAfter(
  db: Db,
  actor: Actor,
  query: CaseListQuery,
  cursorText: string,
  now: Date,
): Promise<CaseKeysetPage> {
  const { rows, nextCursor, toItems } = await keysetRows(db, actor, query, cursorText, now, LIST_COLUMNS);
  return { items: toItems(rows), pageSize: query.pageSize, nextCursor };
}

/**
 * listCasesAfter's cases as raw rows of other columns: `columns` is a select list and its FROM,
 * whose case table is `c` and which names the sort columns ("createdAt", "dueAt", "number")
 * and "id" as the case has them. The export reads its own columns in the same statement that
 * pages, instead of a list page (its items built only to take their numbers) and a second read.
 */
export async function listRowsAfter(
  db: Db,
  actor: Actor,
  query: CaseListQuery,
  cursorText: string,
  now: Date,
  columns: string,
): Promise<{ rows: Array<Record<string, unknown>>; nextCursor: string | null }> {
  const { rows, nextCursor } = await keysetRows(db, actor, query, cursorText, now, columns);
  return { rows, nextCursor };
}

async function keysetRows(db: Db, actor: Actor, query: CaseListQuery, cursorText: string, now: Date, columns: string) {
  const { pageSize } = query;
  const { segments, toItems } = await listPlan(db, actor, query, now);
  const cursor = cursorText === '' ? null : decodeCursor(cursorText, query);
  const rows: Array<{ row: Record<string, unknown>; k: number }> = [];
  for (let k = cursor?.k ?? 0; k < segments.length && rows.length <= pageSize; k++) {
    const s = segments[k]!;
    const src = cursor && k === cursor.k ? { ...s.src, where: and([s.src.where, afterSql(s, cursor)]) } : s.src;
    const got = await pageRows(db, src, s.column, s.order, pageSize + 1 - rows.length, 0, columns);
    rows.push(...got.map((row) => ({ row, k })));
  }
  const shown = rows.slice(0, pageSize);
  const last = shown[shown.length - 1];
  const nextCursor =
    rows.length > pageSize && last
      ? encodeCursor({
          m: cursorMode(query),
          k: last.k,
          v: sortValue(last.row, segments[last.k]!.column),
          id: Number(last.row.id),
        })
      : null;
  return { rows: shown.map((r) => r.row), nextCursor, toItems };
}

/**
 * By page number: the total (listTotal), then the page. Two segments (overdue first, then the
 * rest; or sort=dueAt: the cases with a deadline, then those without, which come last whatever
 * the direction, so the first can follow the (status, dueAt) index instead of sorting on
 * "dueAt IS NULL") are stitched at the page boundary.
 */
export async function listCases(db: Db, actor: Actor, query: CaseListQuery, now: Date): Promise<CasePage> {
  const { page, pageSize } = query;
  const { nowText, streetId, segments, toItems, search } = await listPlan(db, actor, query, now);
  const skip = (page - 1) * pageSize;
  const dialect = engineOfClient(db);
  const counted = () => listConditions(actor, query, streetId, nowText, false, dialect, search.breadth, search.found);
  const first = () => firstCountSql(dialect, segments[0]!, skip + pageSize + 1);
  // A text search is counted only up to SEARCH_TOTAL_CAP, or as far as this page reaches, so
  // that the page and nextCursor are still right past the cap; totalIsLowerBound says so. A
  // district-wide search few enough to count (caseTextMatches) keeps the index's own count.
  const searching = Boolean(query.q?.trim());
  const reach = Math.max(SEARCH_TOTAL_CAP, skip + pageSize) + 1;
  // Without an overdue filter the total and the first segment's size are counted in one
  // statement (scalars()); the overdue totals decide step by step (listTotal). The first page
  // needs no size of the first segment (stitch): counting it walked the overdue cases once more
  // than the page does (PostgreSQL, 露天烧烤, district: 88,880 cases read for 21 overdue ones).
  const firstSize = query.overdue === undefined && segments.length === 2 && skip > 0;
  // Past SEARCH_MANY_FROM matches (caseTextMatches counted that far), a district-wide search
  // has more than the page reaches: nothing to count (垃圾: 201 cases were fetched to say so).
  // (SQLite's 'many' is a count; PostgreSQL's, a share of ANALYZE's sample.)
  const known =
    dialect === 'sqlite' && search.breadth === 'many' && reach <= SEARCH_MANY_FROM
      ? { ...search, matches: SEARCH_MANY_FROM }
      : search;
  const openFirst =
    searching &&
    dialect === 'postgres' &&
    search.breadth === 'few' &&
    (search.share ?? 0) >= PG_OPEN_FIRST_FROM &&
    visibilityScope(actor).kind === 'all' &&
    streetId === null &&
    query.sort === undefined &&
    query.overdue === undefined
      ? await pgOpenMatches(db, counted(), nowText, skip + pageSize)
      : null;
  if (openFirst && openFirst.open >= reach) {
    // More than the cap among the open cases alone, as the count would have said; a page within
    // the overdue matches is theirs, read by id; one that reaches past them starts where they end.
    const ids = openFirst.overdueIds.slice(skip);
    const rows =
      openFirst.overdue >= skip + pageSize
        ? await rowsById(db, ids)
        : await stitch(db, skip, pageSize, segments as [Segment, Segment], openFirst.overdue);
    const last = rows[rows.length - 1];
    return {
      items: toItems(rows),
      total: reach - 1,
      totalIsLowerBound: true,
      page,
      pageSize,
      nextCursor: last ? cursorAfter(segments, last, query, now) : null,
    };
  }
  // A common term ('many'): each arm of the scope (a team lead's street, and own cases elsewhere;
  // scopeArms) walks its index newest first testing the LIKE, as the pages do. Unordered, the
  // table was read from its oldest cases, where a word can be rare (噪声: 134 ms for 201).
  // A team lead's (a street's scope): a rare term's matches, too, are read newest first, arm by
  // arm (scopeArms): the street's through the index of the street and the search together
  // (migrations-postgres/*_case_search_trgm_street), then sorted; as the scope's one OR, the search's
  // bitmap was ANDed with one of the street's 83,000 cases (露天烧烤 at 1M cases: 18-34 ms loaded,
  // 1.9 ms now). Where the newest `reach` of each arm settle the page (pgSearchMatches), it is
  // ordered from them: the page's statement searched the index once more, or walked the
  // district's newest cases for the street's overdue matches (垃圾: 4,300, 2.5 ms). So for a
  // common word district-wide ('many', one arm): its page walked the newest cases again for the
  // overdue matches among them. (`settled` is 0 unless the arms were walked in the list's order.)
  // District-wide ('many' or 'most': one arm, the newest cases), the newest matches seldom hold a
  // page of overdue ones (垃圾, 噪声, 广告 at 1M: 0-2 in 201): the overdue segment's first rows are
  // walked in the same statement (`firstArm`, as the page's statement walked them), so that the
  // page is still ordered from the matches (PgMatches.listed). Within the cap's pages only: a deep
  // page's walk is as long as the page is deep.
  const streetLead = ownScopeOf(actor)?.column === 'streetId';
  const firstArm =
    search.breadth !== 'few' &&
    !streetLead &&
    visibilityScope(actor).kind === 'all' &&
    segments.length === 2 &&
    query.sort === undefined &&
    query.overdue === undefined &&
    skip + pageSize <= SEARCH_TOTAL_CAP
      ? { ...segments[0]!.counted, limit: skip + pageSize }
      : undefined;
  const matched =
    searching && dialect === 'postgres'
      ? await pgSearchMatches(
          db,
          search.breadth === 'few' && !streetLead
            ? null
            : (search.breadth === 'few' ? scopeArms(actor, false, dialect) : pgWalkArms(actor)).map(
                (arm: Sql & { walk?: string }) => ({
                  ...and([arm, ...filterParts(query, streetId, nowText, false, dialect, search.breadth)]),
                  walk: arm.walk,
                }),
              ),
          counted(),
          segments,
          reach,
          now,
          firstArm,
        )
      : null;
  if (matched && (matched.matches.length < reach || matched.settled >= skip + pageSize))
    return pageOfMatches(
      db,
      matched.matches.length < reach ? matched.matches : (matched.listed ?? matched.matches),
      matched.matches.length,
      query,
      segments,
      now,
      toItems,
      reach,
    );
  const counts = matched
    ? [matched.matches.length, ...(firstSize ? await scalars(db, [first()]) : [])]
    : searching || (query.overdue === undefined && segments.length === 2)
      ? await scalars(db, [
          tallyTotalSql(actor, query, streetId, dialect, [], known) ??
            streetSearchTotalSql(actor, query, streetId, nowText, search.found, reach) ??
            streetMatchesTotalSql(actor, query, streetId, nowText, search.found, reach) ??
            countSql(counted(), searching ? reach : undefined),
          ...(firstSize ? [first()] : []),
        ])
      : [await listTotal(db, actor, query, streetId, nowText, search)];
  const [found = 0, firstCount] = counts;
  const totalIsLowerBound = searching && found >= reach;
  const total = totalIsLowerBound ? reach - 1 : found;
  let rows: Array<Record<string, unknown>> = [];
  if (total <= skip) {
    // past the end: nothing to fetch
  } else if (segments.length === 1) {
    const [s] = segments as [Segment];
    rows = await pageRows(db, s.src, s.column, s.order, pageSize, skip);
  } else {
    // overdue=true leaves the second segment empty (the rest, or the cases without a deadline):
    // the first is the whole total, nothing to count.
    rows = await stitch(db, skip, pageSize, segments as [Segment, Segment], query.overdue ? total : firstCount);
  }
  const last = rows[rows.length - 1];
  return {
    items: toItems(rows),
    total,
    totalIsLowerBound,
    page,
    pageSize,
    nextCursor:
      last && (totalIsLowerBound || total > skip + rows.length) ? cursorAfter(segments, last, query, now) : null,
  };
}

/**
 * PostgreSQL, a text search: its matches' sort keys, up to `reach`, in the statement that counted
 * them. Fewer than `reach` are every match, so the page is ordered from them here (pageOfMatches)
 * and only its rows are read, by id: where the count and each segment's page searched the index
 * again, three searches of a number fragment's long trigram lists a page (~7 ms each at 1M cases).
 * Null where the list orders by number (a text order, whose collation is PostgreSQL's).
 */
/**
 * PostgreSQL: the arms of a scope (scopeArms) as a common term's matches are walked
 * (pgSearchMatches). A team lead's street is written as a range of one value, ordered by it:
 * as `streetId = ?` the street was a constant, both the createdAt index and the street's served
 * the order, and the planner walked the createdAt index testing each case's street (广告,
 * 2.2% of the cases: 110,000 cases for 201 of the street's, 0.3 s). Only the street's index
 * serves an order that begins with the street (3,600 of its cases for 201 of 垃圾's, 7 ms).
 */
function pgWalkArms(actor: Actor): Array<Sql & { walk?: string }> {
  const arms = scopeArms(actor, false, 'postgres');
  const own = ownScopeOf(actor);
  if (arms.length < 2 || own?.column !== 'streetId') return arms;
  return [
    { text: `c."streetId" >= ? AND c."streetId" <= ?`, params: [own.id, own.id], walk: 'c."streetId" DESC, ' },
    ...arms.slice(1),
  ];
}

async function pgSearchMatches(
  db: Db,
  arms: Array<Sql & { walk?: string | undefined }> | null,
  where: Sql,
  segments: readonly Segment[],
  reach: number,
  now: Date,
  firstArm?: Sql & { limit: number },
): Promise<PgMatches | null> {
  if (segments.some((s) => s.column === 'number')) return null;
  // `firstArm`: the first segment's matches (its conditions: the list's and the segment's), newest
  // first up to its limit, read as one more arm (numbered after `arms`, apart from the matches).
  const walks = arms && firstArm ? [...arms, firstArm] : arms;
  const keys = `c."id" AS id, c."status" AS status, c."createdAt" AS "createdAt", c."dueAt" AS "dueAt"`;
  // `arms`: disjoint, each walked newest first up to `reach` (its ORDER BY is what makes it walk
  // an index, as pageRows' arms do; as one OR, a bitmap of the street's 83,000 cases at 1M). Each
  // arm is read to its own LIMIT (no LIMIT over them all): what an arm stopped short of is then
  // older than its last row, which is what settles a page (PgMatches.settled).
  const rows =
    arms === null
      ? await readerOf(db)<Record<string, unknown>>(
          `SELECT ${keys} FROM ${caseFrom(where)} WHERE ${where.text} LIMIT ?`,
          ...(where.params as SqlValue[]),
          reach,
        )
      : await readerOf(db)<Record<string, unknown>>(
          walks!
            .map(
              (a: Sql & { walk?: string }, i) =>
                `SELECT a${i}.*, ${i} AS "arm" FROM (SELECT ${keys} FROM ${caseFrom(a)} WHERE ${a.text} ORDER BY ${a.walk ?? ''}${orderSql('createdAt', 'desc')} LIMIT ?) AS a${i}`,
            )
            .join(' UNION ALL '),
          ...(arms.flatMap((a) => [...a.params, reach]) as SqlValue[]),
          ...((firstArm ? [...firstArm.params, firstArm.limit] : []) as SqlValue[]),
        );
  const firstRows = arms && firstArm ? rows.filter((r) => Number(r.arm) === arms.length) : [];
  const armRows = firstRows.length ? rows.filter((r) => Number(r.arm) < arms!.length) : rows;
  const toMatch = (r: Record<string, unknown>) => {
    // The segment the case is listed in (their conditions partition `where`), as cursorAfter finds it.
    const segment = Math.max(
      0,
      segments.findIndex((s) => s.holds(r, now)),
    );
    const at = r[segments[segment]!.column];
    return { id: Number(r.id), segment, key: at === null || at === undefined ? 0 : asDate(at).getTime() };
  };
  const matches = armRows.map(toMatch);
  // The last row of each arm that stopped at its LIMIT: its unread matches are older.
  const ends = (arms ?? [])
    .map((_, i) => armRows.filter((r) => Number(r.arm) === i))
    .filter((armRows) => armRows.length >= reach)
    .map((armRows) => armRows[armRows.length - 1]!);
  const walked = arms !== null && segments[0]!.column === 'createdAt' && segments[0]!.order === 'desc';
  const newer = (m: { id: number; key: number }, end: Record<string, unknown>) => {
    const at = asDate(end.createdAt).getTime();
    return m.key > at || (m.key === at && m.id >= Number(end.id));
  };
  const settled =
    ends.length === 0 && (arms !== null || rows.length < reach)
      ? matches.length
      : walked
        ? matches.filter((m) => m.segment === 0 && ends.every((end) => newer(m, end))).length
        : 0;
  if (!firstArm || !walked || ends.length === 0 || settled >= firstArm.limit) return { matches, settled };
  // The first segment's newest rows, as its own walk found them (the list's order); short of its
  // limit, they are all of it, and the second segment's first rows are its matches at least as
  // new as every arm's last row (as `settled` above).
  const first = firstRows.map((r) => ({ ...toMatch(r), segment: 0 }));
  const listed =
    first.length >= firstArm.limit
      ? first
      : [...first, ...matches.filter((m) => m.segment === 1 && ends.every((end) => newer(m, end)))];
  return { matches, settled: listed.length, listed };
}

/**
 * PostgreSQL, a district-wide search in the default order (overdue cases first): its matches among
 * the open cases (the statuses an overdue case has), counted, and the first `reach` overdue ones
 * newest first, in one statement through the index of open cases (migrations-postgres/
 * *_case_search_open). A rare word (露天烧烤: 7,154 of 1M cases, ~750 of them open) has more open
 * matches than SEARCH_TOTAL_CAP: that is the capped total, and its overdue page is among them. The
 * count (201 matches fetched through the whole index, 2-3 ms at 1M) is not needed, nor a second
 * search of the open cases for the page.
 */
async function pgOpenMatches(
  db: Db,
  where: Sql,
  nowText: string,
  reach: number,
): Promise<{ open: number; overdue: number; overdueIds: number[] }> {
  const rows = await readerOf(db)<Record<string, unknown>>(
    `WITH o AS MATERIALIZED (SELECT c."id" AS "id", c."createdAt" AS "createdAt", c."dueAt" AS "dueAt" FROM "Case" c WHERE ${where.text} AND c."status" IN ${OVERDUE_IN})
    SELECT k."open" AS "open", k."overdue" AS "overdue", p."id" AS "id"
    FROM (SELECT COUNT(*) AS "open", COUNT(*) FILTER (WHERE o."dueAt" < ?) AS "overdue" FROM o) AS k
    LEFT JOIN LATERAL (SELECT o."id" FROM o WHERE o."dueAt" < ? ORDER BY o."createdAt" DESC, o."id" DESC LIMIT ?) AS p ON TRUE`,
    ...(where.params as SqlValue[]),
    nowText,
    nowText,
    reach,
  );
  return {
    open: Number(rows[0]?.open ?? 0),
    overdue: Number(rows[0]?.overdue ?? 0),
    overdueIds: rows.flatMap((r) => (r.id === null || r.id === undefined ? [] : [Number(r.id)])),
  };
}
/**
 * 0.3% of the cases (caseTextMatches' share: three of ANALYZE's 1,001 sampled cases; 露天烧烤, in
 * 0.7%, is in four): at a tenth of them open, a term this common is expected in more open cases
 * than SEARCH_TOTAL_CAP. A rarer one (a number fragment: 99 cases, one sampled case or none) keeps
 * the count through the whole index, which then finds every match; one that has fewer open matches
 * than expected is counted so after pgOpenMatches, as if it had not been asked.
 */
const PG_OPEN_FIRST_FROM = 0.003;

/**
 * The list's rows of these cases, in this order (PostgreSQL). One text whatever the number of ids
 * (an array), prepared by name: a lookup by key, whose plan does not depend on the ids, and the
 * list's joins took ~1 ms to plan each time, twice the read (a search's first page: 20 ids).
 */
async function rowsById(db: Db, ids: number[]): Promise<Array<Record<string, unknown>>> {
  const read = ids.length
    ? await preparedReads(readerOf(db))<Record<string, unknown>>(
        `SELECT ${LIST_COLUMNS} WHERE c."id" = ANY (CAST(? AS integer[]))`,
        `{${ids.join(',')}}`,
      )
    : [];
  const byId = new Map(read.map((r) => [Number(r.id), r]));
  return ids.flatMap((id): Array<Record<string, unknown>> => {
    const row = byId.get(id);
    return row ? [row] : [];
  });
}

/**
 * A search's matches as pgSearchMatches read them: their sort keys, and how many of the list's
 * first rows they settle. The first segment's matches (newest first) at least as new as the last
 * row of every arm that stopped at its LIMIT are the list's first rows: whatever an arm left
 * unread is older, so comes after them (垃圾, a team lead at 1M cases: the newest 201 matches
 * hold 67 overdue ones; a page needs 20). All of them when no arm stopped short.
 */
interface PgMatches {
  matches: Array<{ id: number; segment: number; key: number }>;
  settled: number;
  /**
   * With a walk of the first segment (pgSearchMatches' `firstArm`): the list's first `settled`
   * rows, where `matches` alone settle fewer.
   */
  listed?: Array<{ id: number; segment: number; key: number }>;
}

/**
 * A page of a search whose every match is known (pgSearchMatches): in the list's order (segment,
 * then its column and the id in its direction), the page's rows read by id.
 */
async function pageOfMatches(
  db: Db,
  matches: Array<{ id: number; segment: number; key: number }>,
  found: number,
  query: CaseListQuery,
  segments: readonly Segment[],
  now: Date,
  toItems: (rows: Array<Record<string, unknown>>) => CaseListItem[],
  reach: number,
): Promise<CasePage> {
  const { page, pageSize } = query;
  const skip = (page - 1) * pageSize;
  const ordered = [...matches].sort((a, b) => {
    if (a.segment !== b.segment) return a.segment - b.segment;
    const sign = segments[a.segment]!.order === 'asc' ? 1 : -1;
    return sign * (a.key - b.key || a.id - b.id);
  });
  const rows = await rowsById(
    db,
    ordered.slice(skip, skip + pageSize).map((m) => m.id),
  );
  const last = rows[rows.length - 1];
  // As listCases says a search's total (`found`, how many matches were read): up to its reach,
  // past it a lower bound.
  const totalIsLowerBound = found >= reach;
  return {
    items: toItems(rows),
    total: totalIsLowerBound ? reach - 1 : found,
    totalIsLowerBound,
    page,
    pageSize,
    nextCursor: last && found > skip + rows.length ? cursorAfter(segments, last, query, now) : null,
  };
}

/**
 * One page across two ordered segments. The first segment is counted only as far as the page
 * needs (its conditions without the walking hints, so the count runs on an index): if it
 * holds more than skip + take rows the page lies wholly in it, otherwise the capped count is
 * its exact size. A page never counts the whole segment (the overdue cases of a district,
 * ~90,000 at 1M cases), and the first query's LIMIT stops where the segment ends instead of
 * walking the index to its end.
 */
async function stitch(db: Db, skip: number, take: number, [first, second]: [Segment, Segment], counted?: number) {
  // The first page takes what the first segment has, up to a page, and the rest from the second:
  // no count needed (the first segment's own LIMIT stops where it ends).
  if (skip === 0 && counted === undefined) {
    const rows = await pageRows(db, first.src, first.column, first.order, take, 0);
    return rows.length < take
      ? [...rows, ...(await pageRows(db, second.src, second.column, second.order, take - rows.length, 0))]
      : rows;
  }
  const cap = skip + take + 1;
  const firstCount = Math.min(cap, counted ?? (await scalars(db, [firstCountSql(engineOfClient(db), first, cap)]))[0]!);
  const fromFirst = Math.max(0, Math.min(take, firstCount - skip));
  const rows = fromFirst > 0 ? await pageRows(db, first.src, first.column, first.order, fromFirst, skip) : [];
  const rest = take - rows.length;
  return rest > 0
    ? [...rows, ...(await pageRows(db, second.src, second.column, second.order, rest, Math.max(0, skip - firstCount)))]
    : rows;
}

/**
 * How many rows a segment holds, up to `cap`, as a scalar expression. On PostgreSQL a scope of
 * two arms is counted arm by arm (each capped; the arms are disjoint, so the sum is exact below
 * the cap): as one OR it became a scan of the whole table hoping to meet `cap` matches early
 * (5,000 rows for a street's first 21 overdue cases at 1M, every case for a street with none).
 * SQLite counts the one OR through its indexes (`counted` carries no walking hints) and keeps that.
 */
function firstCountSql(dialect: Engine, s: Segment, cap: number): Sql {
  if (dialect !== 'postgres' || s.src.arms.length < 2) return countSql(s.counted, cap);
  const parts = s.src.arms.map((arm) => countSql(and([arm, s.src.where]), cap));
  return { text: `(${parts.map((p) => p.text).join(' + ')})`, params: parts.flatMap((p) => p.params) };
}

/** caseView() with its facts; the subscriber lookup only runs when the other rules said no. */
export async function actorView(
  db: Db,
  actor: Actor,
  c: Omit<CaseAccessFacts, 'actorFollows'> & { id: number },
): Promise<CaseView | null> {
  const direct = caseView(actor, { ...c, actorFollows: false });
  if (direct) return direct;
  const follows = await db.caseSubscriber.findUnique({
    where: { caseId_personId: { caseId: c.id, personId: actor.personId } },
    select: { caseId: true },
  });
  return follows ? caseView(actor, { ...c, actorFollows: true }) : null;
}

export async function actorCanSee(
  db: Db,
  actor: Actor,
  c: Omit<CaseAccessFacts, 'actorFollows'> & { id: number },
): Promise<boolean> {
  return (await actorView(db, actor, c)) !== null;
}

const STAFF_ROLE_LIST: string[] = [...STAFF_ROLES];

/** Which of these people are staff: canSeeOriginal lets a reporter open the handlers' photos. */
async function staffAmong(db: Db, ids: Array<number | null>): Promise<Set<number>> {
  const wanted = [...new Set(ids.filter((id): id is number => id !== null))];
  if (!wanted.length) return new Set();
  const rows = await db.person.findMany({
    where: { id: { in: wanted }, role: { in: STAFF_ROLE_LIST } },
    select: { id: true },
  });
  return new Set(rows.map((r) => r.id));
}

export const accessSelect = {
  id: true,
  streetId: true,
  departmentId: true,
  reporterId: true,
  assigneeId: true,
} satisfies Prisma.CaseSelect;

/**
 * The file behind an attachment (by its URL key, or by id inside the server), when the actor may
 * open its original; null otherwise (a 404, never a 403).
 */
export async function findViewableAttachment(db: Db, actor: Actor, ref: { id: number } | { publicKey: string }) {
  const att = await db.attachment.findUnique({
    where: ref,
    select: {
      id: true,
      path: true,
      mime: true,
      size: true,
      sha256: true,
      uploadedById: true,
      case: { select: accessSelect },
    },
  });
  if (!att) return null;
  const found = { id: att.id, path: att.path, mime: att.mime, size: att.size, sha256: att.sha256 };
  // Draft or patrol photos not yet on a case: their uploader and the bureau only.
  if (!att.case) return att.uploadedById === actor.personId || actor.role === 'district_admin' ? found : null;
  const view = await actorView(db, actor, att.case);
  if (!view) return null;
  const uploaderIsStaff = view === 'reporter' && (await staffAmong(db, [att.uploadedById])).size > 0;
  return canSeeOriginal(actor, view, { uploadedById: att.uploadedById, uploaderIsStaff }) ? found : null;
}

const STAFF = new Set<string>(STAFF_ROLES);

function parseReasons(json: string): string[] {
  try {
    const v: unknown = JSON.parse(json);
    return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
  } catch {
    return [];
  }
}

/** Everything about one case the actor may see, or null (not found and not visible look alike). */
export async function getCaseDetail(db: Db, actor: Actor, number: string, now: Date) {
  // One read (case-detail-rows.ts) brings the case and the facts the access rules need: a case
  // the actor may not see is read and dropped, and answers as a missing one does.
  const c = await caseDetailRecord(db, number, actor.personId);
  const view = c ? caseView(actor, { ...c, actorFollows: c.viewerFollows }) : null;
  if (!c || !view) return null;
  const iso = (d: Date | null) => d?.toISOString() ?? null;
  const uploaderIsStaff = c.attachments.map((_, i) => STAFF.has(c.uploaderRoles[i] ?? ''));
  const attachments = c.attachments
    .filter((a, i) =>
      canSeeOriginal(actor, view, { uploadedById: a.uploadedById, uploaderIsStaff: uploaderIsStaff[i]! }),
    )
    .map((a) => ({
      key: a.publicKey,
      mime: a.mime,
      size: a.size,
      sha256: a.sha256,
      exifTakenAt: iso(a.exifTakenAt),
      exifLat: a.exifLat,
      exifLng: a.exifLng,
      createdAt: a.createdAt.toISOString(),
      url: `/api/attachments/${a.publicKey}`,
    }));
  const full = detailTextsFor(actor, [c.reporter.displayName], {
    number: c.number,
    status: c.status,
    statusLabel: STATUS_LABELS[c.status as CaseStatus] ?? c.status,
    text: c.text,
    lat: c.lat,
    lng: c.lng,
    address: c.address,
    street: c.street?.name ?? null,
    post: c.post,
    department: c.department?.name ?? null,
    handling: c.handling,
    urgent: c.urgent,
    confidence: c.confidence,
    needsTriage: c.needsTriage,
    routingReasons: parseReasons(c.routingReasons),
    mode721: c.mode721,
    outcome: c.outcome,
    channel: c.channel,
    externalRef: c.externalRef,
    externalDueAt: iso(c.externalDueAt),
    assignee: c.assignee?.displayName ?? null,
    mergedInto: c.mergedInto?.number ?? null,
    reopenCount: c.reopenCount,
    reworkCount: c.reworkCount,
    returnCount: c.returnCount,
    unsatisfiedCount: c.unsatisfiedCount,
    postponed: c.postponed,
    overdue: isOverdue(c, now),
    responseDueAt: iso(c.responseDueAt),
    dueAt: iso(c.dueAt),
    createdAt: iso(c.createdAt),
    registeredAt: iso(c.registeredAt),
    dispatchedAt: iso(c.dispatchedAt),
    acceptedAt: iso(c.acceptedAt),
    resolvedAt: iso(c.resolvedAt),
    verifiedAt: iso(c.verifiedAt),
    closedAt: iso(c.closedAt),
    item: c.item
      ? { code: c.item.code, name: c.item.name, legalBasis: c.item.legalBasis, version: c.item.version.version }
      : null,
    events: c.events.map((e) => ({
      type: e.type,
      fromStatus: e.fromStatus,
      toStatus: e.toStatus,
      actorRole: e.actorRole,
      // Staff act in their official capacity and are named; residents never are.
      actorName: STAFF.has(e.actorRole) ? (e.actor?.displayName ?? null) : null,
      note: e.note,
      createdAt: e.createdAt.toISOString(),
    })),
    attachments,
    ratings: c.ratings
      .filter((r) => view !== 'follower' || r.personId === actor.personId)
      .map((r) => ({
        score: r.score,
        scoreLabel: RATING_LABELS[r.score as RatingScore] ?? r.score,
        comment: r.comment,
        createdAt: r.createdAt.toISOString(),
      })),
    reporter: view === 'follower' ? null : reporterView(actor, c, c.reporter),
    view,
    ownReport: null as { number: string } | null,
  });
  return view === 'follower' ? followerDetail(db, actor, c.id, full) : full;
}

/**
 * What a follower reads (see caseView): the public view of the case (matter, handler, status,
 * dates, rough place, the redacted outcome, the steps without notes or names), their own report
 * in place of the reporter's text, and their own photos and ratings (filtered above).
 */
async function followerDetail<
  T extends {
    lat: number | null;
    lng: number | null;
    outcome: string | null;
    events: Array<{ actorName: string | null; note: string | null }>;
  },
>(db: Db, actor: Actor, caseId: number, d: T): Promise<T> {
  const own = await db.case.findFirst({
    where: { mergedIntoId: caseId, reporterId: actor.personId },
    orderBy: { id: 'desc' },
    select: { number: true, text: true },
  });
  const place = coarseLocation(d.lat, d.lng);
  return {
    ...d,
    text: own ? redactPersonalData(own.text) : '',
    lat: place?.lat ?? null,
    lng: place?.lng ?? null,
    address: null,
    confidence: null,
    needsTriage: false,
    routingReasons: [],
    channel: '',
    externalRef: null,
    assignee: null,
    outcome: d.outcome === null ? null : redactPersonalData(d.outcome),
    events: d.events.map((e) => ({ ...e, actorName: null, note: null })),
    reporter: null,
    ownReport: own ? { number: own.number } : null,
  } as T;
}

/**
 * One page of published (closed) cases, newest closure first: the ids and the total, in one
 * statement (the total, then the page's ids joined to it: a page past the end is the total
 * alone). `+status` keeps SQLite walking the closedAt index (no sort) rather than fetching every
 * closed case; (closedAt, id) gives PostgreSQL the order of cases closed at the same instant.
 */
export async function publishedCasePage(
  db: Db,
  f: { streetId: number | null; from?: Date | undefined; to?: Date | undefined; take: number; skip: number },
) {
  const parts: Sql[] = [];
  if (f.streetId !== null) parts.push({ text: 'c."streetId" = ?', params: [f.streetId] });
  if (f.from) parts.push({ text: 'c."closedAt" >= ?', params: [sqlDate(f.from)] });
  if (f.to) parts.push({ text: 'c."closedAt" < ?', params: [sqlDate(f.to)] });
  // Without dates the total is the tally's (db/case-tally.ts: ~760,000 published cases at 1M
  // were counted per visit); with dates the count keeps the (streetId, status) index, which
  // covers it. The page walks closedAt, whose index gives the order.
  const closed = and([{ text: `c."status" = 'closed'`, params: [] }, ...parts]);
  const total: Sql =
    f.from || f.to
      ? countSql(closed)
      : { text: `(SELECT COALESCE(SUM(c."n"), 0) FROM "CaseTally" c WHERE ${closed.text})`, params: closed.params };
  const page = and([
    { text: `${unindexed(engineOfClient(db), 'c."status"')} = 'closed' AND c."closedAt" IS NOT NULL`, params: [] },
    ...parts,
  ]);
  const rows = await readerOf(db)<{ total: bigint | number; id: bigint | number | null }>(
    `SELECT t."n" AS "total", p."id" AS "id" FROM (SELECT ${total.text} AS "n") AS t LEFT JOIN
       (SELECT c."id" AS "id", c."closedAt" AS "k" FROM "Case" c WHERE ${page.text}
        ORDER BY c."closedAt" DESC, c."id" DESC LIMIT ? OFFSET ?) AS p ON TRUE
     ORDER BY p."k" DESC, p."id" DESC`,
    ...(total.params as SqlValue[]),
    ...(page.params as SqlValue[]),
    f.take,
    f.skip,
  );
  return {
    ids: rows.flatMap((r) => (r.id === null ? [] : [Number(r.id)])),
    total: Number(rows[0]?.total ?? 0),
  };
}
