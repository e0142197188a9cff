// Issue 17 (Deliver 6): the intake benchmark's cluster mode starts its processes, drives a tiny run
// over HTTP through the balancer, and finds every report stored and the outbox drained. Runs only
// in npm run test:postgres (TEST_ENGINE=postgres with TEST_DATABASE_URL), on a scratch database.
import { describe, expect, it } from 'vitest';
import { runIntakeCluster } from '../../bench/intake-cluster-bench.ts';
import { testPgServer } from '../helpers/test-db.ts';

const base = { reports: 20, concurrency: 4, warmup: 2, drainTimeoutSeconds: 120, keep: false };

describe('intake benchmark, cluster mode', () => {
  it('refuses several processes on SQLite, whose engine lives in one process', async () => {
    await expect(runIntakeCluster({ ...base, db: 'sqlite', processes: 2, photos: 0 }, () => {})).rejects.toThrow(
      /--processes 1/,
    );
  });

  it.skipIf(!testPgServer() || process.env.TEST_ENGINE !== 'postgres')(
    '20 reports (a photo in a quarter) through two processes on PostgreSQL: all stored, none failed, outbox drained',
    async () => {
      const lines: string[] = [];
      const r = await runIntakeCluster(
        { ...base, db: 'postgres', processes: 2, pgUrl: testPgServer()!, photos: 0.25 },
        (s = '') => lines.push(s),
      );
      expect(r.failures).toBe(0);
      expect(r.cases).toBe(22);
      expect(r.expectedCases).toBe(22);
      expect(r.drainSeconds).not.toBeNull();
      expect(r.reportsPerSecond).toBeGreaterThan(0);
      expect(r.p99Ms).toBeGreaterThanOrEqual(r.p50Ms);
      expect(lines.join('\n')).toMatch(/row \| postgres \| 2 \|/);
    },
    180_000,
  );
});
