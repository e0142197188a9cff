import { describe, expect, it } from 'vitest';
import { numberedPlaceholders, utcTimestamp } from './pg-sql-connection.ts';

describe('numberedPlaceholders', () => {
  it('numbers the ? placeholders in order and leaves quoted text and casts alone', () => {
    expect(
      numberedPlaceholders(`SELECT '?' AS "a?" FROM t WHERE x = ? AND y IN (SELECT v::int FROM f(?::jsonb)) LIMIT ?`),
    ).toBe(`SELECT '?' AS "a?" FROM t WHERE x = $1 AND y IN (SELECT v::int FROM f($2::jsonb)) LIMIT $3`);
  });
});

describe('utcTimestamp', () => {
  // What the parser replaced did: the text in ISO form, read as UTC by Date's own parser.
  const byDateParser = (v: string) => new Date(`${v.replace(' ', 'T')}Z`).getTime();

  it('reads a timestamp as PostgreSQL writes it to the same instant as Date would', () => {
    const texts = [
      '2026-11-20 04:00:00',
      '2026-11-20 04:00:00.5',
      '2026-11-20 04:00:00.12',
      '2026-11-20 04:00:00.123',
      '2026-11-20 04:00:00.123456',
      '2026-11-20 04:00:00.9999',
      '2024-02-29 23:59:59.999',
      '1970-01-01 00:00:00',
      '2026-02-31 00:00:00',
    ];
    // A spread of instants, with PostgreSQL's trimmed fractions.
    for (let i = 0; i < 500; i++) {
      const iso = new Date(1_600_000_000_000 + i * 987_654_321 + (i % 7) * 13).toISOString();
      texts.push(
        iso
          .replace('T', ' ')
          .replace('Z', '')
          .replace(/\.?0+$/, ''),
      );
    }
    for (const v of texts) expect([v, utcTimestamp(v).getTime()]).toEqual([v, byDateParser(v)]);
  });

  it("leaves what is not a plain timestamp to Date's parser", () => {
    for (const v of [
      '0099-01-01 00:00:00',
      '10000-01-01 00:00:00',
      'infinity',
      '2026-13-01 00:00:00',
      '2026-11-20 24:00:00',
    ])
      expect([v, utcTimestamp(v).getTime()]).toEqual([v, byDateParser(v)]);
  });
});
