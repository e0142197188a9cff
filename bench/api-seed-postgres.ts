// The API benchmark's cases on PostgreSQL: the same rows as on SQLite (api-seed-data.ts, same
// seed and `now`), written set-based so a million cases take minutes: the case rows as column
// arrays through `INSERT … SELECT FROM unnest(…)` 20,000 at a time, everything derived from
// them (the whole-process record, chat accounts, assessment events, and a year's processed
// updates, sent messages and photos: seed-year-side-tables.sql) as INSERT … SELECT. The
// secondary indexes of the big tables are dropped first and built again afterwards from their
// own definitions (exactly what the migrations made), then VACUUM ANALYZE, as autovacuum would
// have left a database that grew over a year. The caller rebuilds the rollups.
import { readFileSync } from 'node:fs';
import pg from 'pg';
import {
  CASE_COLUMNS,
  caseRows,
  findingRows,
  ratingScore,
  residentRows,
  rng,
  SEED,
  type SeedItem,
  type SeedValue,
} from './api-seed-data.ts';
import { sqlDate } from '../db/sql-values.ts';

/** PostgreSQL's type of each column the case rows fill (the arrays are cast to these). */
const CASE_TYPES: Record<(typeof CASE_COLUMNS)[number], string> = {
  number: 'text',
  text: 'text',
  lat: 'float8',
  lng: 'float8',
  address: 'text',
  streetId: 'int4',
  itemId: 'int4',
  handling: 'text',
  post: 'text',
  departmentId: 'int4',
  status: 'text',
  urgent: 'bool',
  confidence: 'float8',
  routingReasons: 'text',
  mode721: 'text',
  outcome: 'text',
  channel: 'text',
  reporterId: 'int4',
  reworkCount: 'int4',
  reopenCount: 'int4',
  postponed: 'bool',
  dueAt: 'timestamp',
  createdAt: 'timestamp',
  updatedAt: 'timestamp',
  resolvedAt: 'timestamp',
  closedAt: 'timestamp',
  overdueNotifiedAt: 'timestamp',
  overdueEscalatedAt: 'timestamp',
  remindedAt: 'timestamp',
  verifiedAt: 'timestamp',
  autoVerified: 'bool',
};

/** The tables the seeder fills by the million, whose secondary indexes are built after the load. */
const BIG_TABLES = ['Case', 'CaseEvent', 'Rating', 'PatrolFinding'];
const BATCH = 20_000;
const SIDE_TABLES_SQL = new URL('./seed-year-side-tables.sql', import.meta.url);

/** `INSERT INTO table (cols) SELECT * FROM unnest($1::t1[], …)`: one statement for a whole batch of rows. */
async function insertColumns(
  client: pg.Client,
  table: string,
  columns: ReadonlyArray<readonly [name: string, type: string]>,
  rows: ReadonlyArray<readonly SeedValue[]>,
): Promise<void> {
  if (rows.length === 0) return;
  const arrays = columns.map((_, i) => rows.map((r) => r[i] ?? null));
  await client.query(
    `INSERT INTO "${table}" (${columns.map(([c]) => `"${c}"`).join(', ')})
     SELECT * FROM unnest(${columns.map(([, t], i) => `$${i + 1}::${t}[]`).join(', ')})`,
    arrays,
  );
}

export async function seedCasesPostgres(url: string, total: number, now: number, log: (s: string) => void) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const step = async <T>(what: string, fn: () => Promise<T>): Promise<T> => {
    const t0 = performance.now();
    const out = await fn();
    log(`  ${what}: ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    return out;
  };
  try {
    // Index builds sort in memory when they can; these settings last for this session only.
    await client.query(`SET maintenance_work_mem = '512MB'`);
    await client.query('SET synchronous_commit = off');
    const q = async <T extends pg.QueryResultRow>(sql: string, params: unknown[] = []) =>
      (await client.query<T>(sql, params)).rows;

    const streets = await q<{ id: number; name: string }>('SELECT "id", "name" FROM "Street"');
    const items = await q<SeedItem>(
      `SELECT i."id", i."name", i."level", i."post", i."department", i."handlingHours", i."mode721", i."urgent"
       FROM "PowerItem" i JOIN "PowerListVersion" v ON v."id" = i."versionId" WHERE v."active" = TRUE`,
    );
    const departments = new Map(
      (await q<{ id: number; name: string }>('SELECT "id", "name" FROM "Department"')).map((d) => [d.name, d.id]),
    );
    // The random picks depend on the order: SQLite returns the streets in the order of their
    // unique name index (binary, which for these characters is code unit order) and the items by id.
    streets.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    items.sort((a, b) => a.id - b.id);
    const rand = rng(SEED);
    const at = sqlDate(new Date(now));

    // Residents, then three inspectors per street, in the order the SQLite seeder creates them.
    const residentsIn = residentRows();
    const inspectorsIn = streets.flatMap((s) => [0, 1, 2].map((k) => [`${s.name}巡查员${k}`, s.id] as const));
    await client.query('BEGIN');
    await insertColumns(
      client,
      'Person',
      [
        ['displayName', 'text'],
        ['phone', 'text'],
        ['role', 'text'],
        ['streetId', 'int4'],
        ['createdAt', 'timestamp'],
      ],
      [
        ...residentsIn.map(([name, phone]) => [name, phone, 'resident', null, at]),
        ...inspectorsIn.map(([name, streetId]) => [name, null, 'inspector', streetId, at]),
      ],
    );
    await client.query('COMMIT');
    const ids = new Map(
      (
        await q<{ id: number; displayName: string }>(
          `SELECT "id", "displayName" FROM "Person" WHERE "role" IN ('resident', 'inspector')`,
        )
      ).map((p) => [p.displayName, p.id]),
    );
    const residents = residentsIn.map(([name]) => ids.get(name)!);
    const inspectors = inspectorsIn.map(([name]) => ids.get(name)!);

    const indexes = await q<{ name: string; def: string }>(
      `SELECT ic.relname AS name, pg_get_indexdef(i.indexrelid) AS def
       FROM pg_index i JOIN pg_class t ON t.oid = i.indrelid JOIN pg_class ic ON ic.oid = i.indexrelid
       JOIN pg_namespace n ON n.oid = t.relnamespace
       WHERE n.nspname = current_schema() AND t.relname = ANY($1)
         AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)`,
      [BIG_TABLES],
    );
    // A definition leaves out its columns' statistics targets (ALTER INDEX … SET STATISTICS, which
    // the text search's breadth estimate reads: db/case-text-search.ts): kept to be set again.
    const targets = await q<{ index: string; column: number; target: number }>(
      `SELECT ic.relname AS "index", a.attnum AS "column", a.attstattarget AS "target"
       FROM pg_attribute a JOIN pg_class ic ON ic.oid = a.attrelid
       WHERE ic.relname = ANY($1) AND a.attnum > 0 AND a.attstattarget > 0`,
      [indexes.map((ix) => ix.name)],
    );
    for (const ix of indexes) await client.query(`DROP INDEX "${ix.name}"`);

    const { rows: generated, perDay } = caseRows(total, now, { streets, items, departments, residents }, rand);
    const caseColumns = CASE_COLUMNS.map((c) => [c, CASE_TYPES[c]] as const);
    await step(`${total.toLocaleString('en')} cases`, async () => {
      let batch: SeedValue[][] = [];
      for (const row of generated) {
        batch.push(row);
        if (batch.length === BATCH) {
          await insertColumns(client, 'Case', caseColumns, batch);
          batch = [];
        }
      }
      await insertColumns(client, 'Case', caseColumns, batch);
      await insertColumns(
        client,
        'CaseCounter',
        [
          ['day', 'text'],
          ['last', 'int4'],
        ],
        [...perDay],
      );
    });

    // The whole-process record intake writes, as on SQLite.
    await step('case events (intake)', async () => {
      await client.query(`
        INSERT INTO "CaseEvent" ("caseId", "type", "fromStatus", "toStatus", "actorId", "actorRole", "data", "createdAt")
          SELECT "id", 'submitted', NULL, CASE WHEN "status" = 'triage' THEN 'triage' ELSE 'dispatched' END, "reporterId", 'reporter', '{}', "createdAt" FROM "Case";
        INSERT INTO "CaseEvent" ("caseId", "type", "fromStatus", "toStatus", "actorId", "actorRole", "data", "createdAt")
          SELECT "id", 'registered', NULL, 'dispatched', NULL, 'system', '{}', "createdAt" FROM "Case" WHERE "status" <> 'triage';
        INSERT INTO "CaseEvent" ("caseId", "type", "fromStatus", "toStatus", "actorId", "actorRole", "data", "createdAt")
          SELECT c."id", 'resolved', 'accepted', 'resolved', p."id", 'enforcer', '{}', c."resolvedAt"
          FROM "Case" c LEFT JOIN (SELECT "streetId", MIN("id") AS "id" FROM "Person" WHERE "role" = 'inspector' GROUP BY "streetId") p
            ON p."streetId" = c."streetId"
          WHERE c."resolvedAt" IS NOT NULL;
        INSERT INTO "CaseEvent" ("caseId", "type", "fromStatus", "toStatus", "actorId", "actorRole", "data", "createdAt")
          SELECT "id", 'closed', 'verified', 'closed', NULL, 'system', '{}', "closedAt" FROM "Case" WHERE "closedAt" IS NOT NULL;
      `);
      // Every person intake creates has the chat account they wrote from.
      await client.query(`
        INSERT INTO "ChatIdentity" ("channel", "externalId", "chatId", "personId", "createdAt")
          SELECT 'telegram', 'u' || p."id", 'u' || p."id", p."id", p."createdAt" FROM "Person" p
          WHERE NOT EXISTS (SELECT 1 FROM "ChatIdentity" i WHERE i."personId" = p."id")`);
    });

    // Ratings on 40 % of closed cases (drawn in id order, as on SQLite); the patrol findings.
    await step('ratings and patrol findings', async () => {
      const closed = await q<{ id: number; reporterId: number; closedAt: string }>(
        `SELECT "id", "reporterId", "closedAt"::text AS "closedAt" FROM "Case" WHERE "status" = 'closed' ORDER BY "id"`,
      );
      const ratings: SeedValue[][] = [];
      for (const c of closed) {
        const score = ratingScore(rand);
        if (score) ratings.push([c.id, c.reporterId, score, c.closedAt]);
      }
      for (let i = 0; i < ratings.length; i += BATCH)
        await insertColumns(
          client,
          'Rating',
          [
            ['caseId', 'int4'],
            ['personId', 'int4'],
            ['score', 'text'],
            ['createdAt', 'timestamp'],
          ],
          ratings.slice(i, i + BATCH),
        );
      await insertColumns(
        client,
        'PatrolFinding',
        [
          ['inspectorId', 'int4'],
          ['text', 'text'],
          ['outcome', 'text'],
          ['createdAt', 'timestamp'],
        ],
        findingRows(inspectors, now, rand),
      );
    });

    // The events the assessment figures read (部门考核, 人员考核), as on SQLite.
    await step('case events (assessment)', async () => {
      await client.query(`
        INSERT INTO "Person" ("displayName", "role", "streetId", "createdAt")
          SELECT s."name" || '执法队员' || k.n, 'enforcer', s."id", s."createdAt"
          FROM "Street" s CROSS JOIN generate_series(1, 10) AS k(n) ORDER BY s."id", k.n;
        INSERT INTO "Person" ("displayName", "role", "departmentId", "createdAt")
          SELECT d."name" || '联络员', 'dept_liaison', d."id", d."createdAt" FROM "Department" d ORDER BY d."id";
        INSERT INTO "CaseEvent" ("caseId", "type", "actorRole", "data", "createdAt")
          SELECT "id", 'submitted', 'reporter', '{}', "createdAt" FROM "Case";
        INSERT INTO "CaseEvent" ("caseId", "type", "actorRole", "data", "createdAt")
          SELECT "id", 'dispatched', 'system', '{}', "createdAt" FROM "Case";
        INSERT INTO "CaseEvent" ("caseId", "type", "actorRole", "data", "createdAt")
          SELECT c."id", 'referred', 'district_admin', '{"department":' || to_json(d."name")::text || '}', c."createdAt"
          FROM "Case" c JOIN "Department" d ON d."id" = c."departmentId";
        INSERT INTO "CaseEvent" ("caseId", "type", "actorId", "actorRole", "data", "createdAt")
          SELECT c."id", 'accepted', p."id", 'dept_liaison', '{}', c."resolvedAt"
          FROM "Case" c JOIN "Person" p ON p."departmentId" = c."departmentId" AND p."role" = 'dept_liaison'
          WHERE c."resolvedAt" IS NOT NULL;
        INSERT INTO "CaseEvent" ("caseId", "type", "actorId", "actorRole", "data", "createdAt")
          SELECT c."id", e.type, (SELECT p."id" FROM "Person" p WHERE p."streetId" = c."streetId" AND p."role" = 'enforcer'
                                  ORDER BY (p."id" + c."id") % 10, p."id" LIMIT 1), 'team_lead', '{}', c."resolvedAt"
          FROM "Case" c CROSS JOIN (VALUES ('assigned'), ('resolved')) AS e(type)
          WHERE c."resolvedAt" IS NOT NULL AND c."departmentId" IS NULL;
        INSERT INTO "CaseEvent" ("caseId", "type", "actorRole", "data", "createdAt")
          SELECT "id", 'verified', 'inspector', '{}', "closedAt" FROM "Case" WHERE "closedAt" IS NOT NULL;
        INSERT INTO "CaseEvent" ("caseId", "type", "actorRole", "data", "createdAt")
          SELECT "id", 'rework', 'inspector', '{}', "closedAt" FROM "Case" WHERE "reworkCount" > 0 AND "closedAt" IS NOT NULL;
      `);
    });

    await step(`${indexes.length} indexes built again`, async () => {
      for (const ix of indexes) await client.query(ix.def);
      for (const t of targets)
        await client.query(`ALTER INDEX "${t.index}" ALTER COLUMN ${t.column} SET STATISTICS ${t.target}`);
    });
    // What a year leaves in the tables intake and delivery write (why: seed-year-side-tables.sql).
    await step('processed updates, sent messages and photos of a year', async () => {
      await client.query(readFileSync(SIDE_TABLES_SQL, 'utf8'));
    });
    await step('VACUUM ANALYZE', () => client.query('VACUUM ANALYZE'));
  } finally {
    await client.end();
  }
}
