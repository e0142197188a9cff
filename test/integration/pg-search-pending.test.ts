// The case search's GIN indexes on PostgreSQL and the cases written since their last merge
// (issue 17.5): a GIN index files new entries in a pending list that every search reads whole
// before the index, up to 4MB of it by default. At 1M cases 158 and 322 pages of such lists were
// most of a rare word's index work (migrations-postgres/*_case_search_pending keeps them short).
// Checked on the pages the list's own search statements read after 1,500 new cases; runs with
// TEST_DATABASE_URL, skipped without it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listCases } from '../../db/case-queries.ts';
import { sqlOf } from '../../db/prisma-client.ts';
import { createFakeClock } from '../helpers/fake-clock.ts';
import type { RecordedRead } from '../helpers/counting-reader.ts';
import type { TestPerson } from '../helpers/case-factory.ts';
import { pgSearchWorld } from '../helpers/pg-search-world.ts';
import { testPgServer, type TestDb } from '../helpers/test-db.ts';

const HOUR = 3_600_000;
const clock = createFakeClock('2026-03-02T01:00:00.000Z');

interface PlanNode {
  'Node Type': string;
  'Index Name'?: string;
  'Shared Hit Blocks'?: number;
  'Shared Read Blocks'?: number;
  Plans?: PlanNode[];
}
const indexScans = (n: PlanNode): PlanNode[] => [
  ...(n['Node Type'] === 'Bitmap Index Scan' ? [n] : []),
  ...(n.Plans ?? []).flatMap(indexScans),
];

describe.skipIf(!testPgServer())('PostgreSQL: a search after many new cases', () => {
  let t: TestDb;
  let admin: TestPerson;
  let seen: RecordedRead[];

  beforeAll(async () => {
    const now = clock.now().getTime();
    const places = ['民意四路', '唐家墩路', '花楼街', '江汉路', '解放大道', '新华路'];
    const matters = ['占道经营', '垃圾堆放', '噪声扰民', '违规广告', '渣土撒漏', '油烟污染'];
    // Written after the indexes were made, as a running system's cases are; one word in a few.
    ({ t, admin, seen } = await pgSearchWorld(1500, (i, reporterId) => ({
      number: `JH-20260301-${String(1000 + i)}`,
      text: `${i % 97 === 5 ? '露天烧烤' : matters[i % 6]}，${places[i % 6]}${i}号门前，第${i}次反映，居民${i % 13}号楼${i % 7}单元，请尽快处理`,
      address: `${places[(i * 7) % 6]}${i % 300}号`,
      status: i % 2 === 0 ? 'dispatched' : 'closed',
      channel: 'web',
      reporterId,
      createdAt: new Date(now - 2 * HOUR - i * 30_000),
      dueAt: new Date(now + (i % 3 === 0 ? 48 : -48) * HOUR),
    })));
  });

  afterAll(async () => {
    await t?.db.$disconnect();
  });

  it('the search statements read a few pages of each index, not a list of every case written since', async () => {
    for (const term of ['露天烧烤', '烤']) {
      seen.length = 0;
      const page = await listCases(t.db, admin.actor, { page: 1, pageSize: 20, q: term }, clock.now());
      expect(page.total, term).toBe(16);
      const searches = seen.filter((s) => /LIKE|case_search_grams/.test(s.sql));
      expect(searches.length, term).toBeGreaterThan(0);
      for (const { sql, args } of searches) {
        // A table this small is cheapest scanned: forbid it, so the index is read as at 1M cases.
        const [row] = await sqlOf(t.db).transaction(async (tx) => {
          await tx.run('SET LOCAL enable_seqscan = off');
          return tx.all<{ 'QUERY PLAN': unknown }>(`EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) ${sql}`, ...args);
        });
        const plan = (typeof row!['QUERY PLAN'] === 'string' ? JSON.parse(row!['QUERY PLAN']) : row!['QUERY PLAN']) as [
          { Plan: PlanNode },
        ];
        const scans = indexScans(plan[0].Plan);
        expect(scans.length, `${term}: ${sql}`).toBeGreaterThan(0);
        for (const s of scans) {
          const pages = (s['Shared Hit Blocks'] ?? 0) + (s['Shared Read Blocks'] ?? 0);
          // The index is a handful of pages here, its pending list 32 at most; before, each scan
          // read the list of all 1,500 cases (218 pages for 露天烧烤).
          expect(pages, `${term}: ${s['Index Name']}`).toBeLessThan(60);
        }
      }
    }
  });
});
