// The API benchmark's cases on SQLite: the rows of api-seed-data.ts written through
// better-sqlite3 in large transactions around the case store, as an import would, then the
// whole-process record, chat accounts, ratings, patrol findings and the assessment events,
// set-based, and ANALYZE. The caller rebuilds the rollups.
import Database from 'better-sqlite3';
import {
  CASE_COLUMNS,
  caseRows,
  findingRows,
  ratingScore,
  residentRows,
  rng,
  SEED,
  type SeedItem,
} from './api-seed-data.ts';
import { sqlDate } from '../db/sql-values.ts';

export async function seedCasesSqlite(file: string, total: number, now: number): Promise<void> {
  const sql = new Database(file);
  sql.pragma('journal_mode = WAL');
  const streets = sql.prepare('SELECT id, name FROM Street').all() as Array<{ id: number; name: string }>;
  const items = sql
    .prepare(
      `SELECT i.id, i.name, i.level, i.post, i.department, i.handlingHours, i.mode721, i.urgent FROM PowerItem i JOIN PowerListVersion v ON v.id = i.versionId WHERE v.active = 1`,
    )
    .all() as SeedItem[];
  const departments = new Map(
    (sql.prepare('SELECT id, name FROM Department').all() as Array<{ id: number; name: string }>).map((d) => [
      d.name,
      d.id,
    ]),
  );
  const rand = rng(SEED);

  const insertPerson = sql.prepare(
    'INSERT INTO Person (displayName, phone, role, streetId, createdAt) VALUES (?, ?, ?, ?, ?)',
  );
  const residents: number[] = [];
  const inspectors: number[] = [];
  sql.transaction(() => {
    for (const [name, phone] of residentRows())
      residents.push(Number(insertPerson.run(name, phone, 'resident', null, sqlDate(new Date(now))).lastInsertRowid));
    for (const s of streets)
      for (let k = 0; k < 3; k++)
        inspectors.push(
          Number(
            insertPerson.run(`${s.name}巡查员${k}`, null, 'inspector', s.id, sqlDate(new Date(now))).lastInsertRowid,
          ),
        );
  })();

  const cols = CASE_COLUMNS;
  const ROWS = 200; // rows per INSERT: 200 × 31 parameters stays under SQLite's variable limit
  const stmt = (n: number) =>
    sql.prepare(
      `INSERT INTO "Case" (${cols.join(',')}) VALUES ${Array(n)
        .fill(`(${cols.map(() => '?').join(',')})`)
        .join(',')}`,
    );
  const full = stmt(ROWS);
  const insertRating = sql.prepare('INSERT INTO Rating (caseId, personId, score, createdAt) VALUES (?, ?, ?, ?)');
  const { rows: generated, perDay } = caseRows(total, now, { streets, items, departments, residents }, rand);

  let batch: unknown[] = [];
  let rows = 0;
  const flush = () => {
    if (rows === ROWS) full.run(batch);
    else if (rows > 0) stmt(rows).run(batch);
    batch = [];
    rows = 0;
  };
  sql.transaction(() => {
    for (const row of generated) {
      batch.push(...row);
      if (++rows === ROWS) flush();
    }
    flush();
    // What intake writes with every case: the day's counter, so numbers continue after these,
    // and the whole-process record the case pages and the case queries read.
    const counter = sql.prepare('INSERT INTO CaseCounter (day, last) VALUES (?, ?)');
    for (const [day, last] of perDay) counter.run(day, last);
    sql.exec(`
      INSERT INTO CaseEvent (caseId, type, fromStatus, toStatus, actorId, actorRole, data, createdAt)
        SELECT id, 'submitted', NULL, CASE WHEN status = 'triage' THEN 'triage' ELSE 'dispatched' END, reporterId, 'reporter', '{}', createdAt FROM "Case";
      INSERT INTO CaseEvent (caseId, type, fromStatus, toStatus, actorId, actorRole, data, createdAt)
        SELECT id, 'registered', NULL, 'dispatched', NULL, 'system', '{}', createdAt FROM "Case" WHERE status <> 'triage';
      INSERT INTO CaseEvent (caseId, type, fromStatus, toStatus, actorId, actorRole, data, createdAt)
        SELECT c.id, 'resolved', 'accepted', 'resolved',
          (SELECT p.id FROM Person p WHERE p.role = 'inspector' AND p.streetId = c.streetId LIMIT 1), 'enforcer', '{}', c.resolvedAt
        FROM "Case" c WHERE c.resolvedAt IS NOT NULL;
      INSERT INTO CaseEvent (caseId, type, fromStatus, toStatus, actorId, actorRole, data, createdAt)
        SELECT id, 'closed', 'verified', 'closed', NULL, 'system', '{}', closedAt FROM "Case" WHERE closedAt IS NOT NULL;
    `);
  })();
  // Every person intake creates has the chat account they wrote from.
  sql.exec(
    `INSERT INTO ChatIdentity (channel, externalId, chatId, personId, createdAt) SELECT 'telegram', 'u' || id, 'u' || id, id, createdAt FROM Person WHERE id NOT IN (SELECT personId FROM ChatIdentity)`,
  );
  // Ratings on 40 % of closed cases; patrol findings, one in three settled on the spot.
  const closedCases = sql
    .prepare(`SELECT id, reporterId, closedAt FROM "Case" WHERE status = 'closed'`)
    .all() as Array<{ id: number; reporterId: number; closedAt: string }>;
  const insertFinding = sql.prepare(
    'INSERT INTO PatrolFinding (inspectorId, text, outcome, createdAt) VALUES (?, ?, ?, ?)',
  );
  sql.transaction(() => {
    for (const c of closedCases) {
      const score = ratingScore(rand);
      if (score) insertRating.run(c.id, c.reporterId, score, c.closedAt);
    }
    for (const f of findingRows(inspectors, now, rand)) insertFinding.run(...f);
  })();
  // Case events the assessment figures read (部门考核, 人员考核): submitted and dispatched for
  // every case, referred and accepted for department cases, assigned and resolved by one of ten
  // enforcers per street, verified for closed cases, rework where reworkCount says so.
  sql.exec(`
    INSERT INTO Person (displayName, role, streetId, createdAt)
      SELECT s."name" || '执法队员' || k.n, 'enforcer', s."id", s."createdAt" FROM Street s,
        (WITH RECURSIVE k(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM k WHERE n < 10) SELECT n FROM k) k;
    INSERT INTO Person (displayName, role, departmentId, createdAt)
      SELECT d."name" || '联络员', 'dept_liaison', d."id", d."createdAt" FROM Department d;
    INSERT INTO CaseEvent (caseId, type, actorRole, data, createdAt)
      SELECT "id", 'submitted', 'reporter', '{}', "createdAt" FROM "Case";
    INSERT INTO CaseEvent (caseId, type, actorRole, data, createdAt)
      SELECT "id", 'dispatched', 'system', '{}', "createdAt" FROM "Case";
    INSERT INTO CaseEvent (caseId, type, actorRole, data, createdAt)
      SELECT c."id", 'referred', 'district_admin', json_object('department', d."name"), c."createdAt"
      FROM "Case" c JOIN Department d ON d."id" = c."departmentId";
    INSERT INTO CaseEvent (caseId, type, actorId, actorRole, data, createdAt)
      SELECT c."id", 'accepted', p."id", 'dept_liaison', '{}', c."resolvedAt"
      FROM "Case" c JOIN Person p ON p."departmentId" = c."departmentId" AND p."role" = 'dept_liaison'
      WHERE c."resolvedAt" IS NOT NULL;
    INSERT INTO CaseEvent (caseId, type, actorId, actorRole, data, createdAt)
      SELECT c."id", e.type, (SELECT p."id" FROM Person p WHERE p."streetId" = c."streetId" AND p."role" = 'enforcer'
                              ORDER BY (p."id" + c."id") % 10 LIMIT 1), 'team_lead', '{}', c."resolvedAt"
      FROM "Case" c, (SELECT 'assigned' AS type UNION ALL SELECT 'resolved') e
      WHERE c."resolvedAt" IS NOT NULL AND c."departmentId" IS NULL;
    INSERT INTO CaseEvent (caseId, type, actorRole, data, createdAt)
      SELECT "id", 'verified', 'inspector', '{}', "closedAt" FROM "Case" WHERE "closedAt" IS NOT NULL;
    INSERT INTO CaseEvent (caseId, type, actorRole, data, createdAt)
      SELECT "id", 'rework', 'inspector', '{}', "closedAt" FROM "Case" WHERE "reworkCount" > 0 AND "closedAt" IS NOT NULL;
  `);
  sql.exec('ANALYZE');
  sql.close();
}
