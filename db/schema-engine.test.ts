import { describe, expect, it } from 'vitest';
import { describeIndexSql } from './schema-engine.ts';

describe('describeIndexSql', () => {
  it("sends the engine's partial-index lookup with the name as a string, as SQLite without double-quoted strings needs", () => {
    expect(
      describeIndexSql(`SELECT sql FROM sqlite_master WHERE type = 'index' AND name = "Case_overdue_pending_idx";`),
    ).toBe(`SELECT sql FROM sqlite_master WHERE type = 'index' AND name = 'Case_overdue_pending_idx';`);
    expect(describeIndexSql(`SELECT sql FROM sqlite_master WHERE type = 'index' AND name = "it's ""x""";`)).toBe(
      `SELECT sql FROM sqlite_master WHERE type = 'index' AND name = 'it''s "x"';`,
    );
  });

  it('leaves every other statement as it is', () => {
    for (const sql of ['PRAGMA index_info("Case_overdue_pending_idx");', `SELECT "name" FROM "Case" WHERE name = "x"`])
      expect(describeIndexSql(sql)).toBe(sql);
  });
});
