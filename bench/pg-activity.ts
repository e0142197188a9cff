// What PostgreSQL was doing while a benchmark ran, from its statistics views: transactions
// committed (pg_stat_database), and samples of pg_stat_activity counting the database's backends
// that were running a statement and those waiting on a lock, so a benchmark can say whether the
// server or a lock (e.g. the day's case counter row) held it back.
import type { Db } from '../db/prisma-client.ts';

export interface PgActivity {
  transactions: number;
  samples: number;
  /** Mean backends of the database running a statement (state 'active'), the sampler's own excluded. */
  meanActive: number;
  /** Mean backends waiting on a heavyweight lock. */
  meanLockWaits: number;
  /** Lock wait events seen, most frequent first (e.g. transactionid, tuple). */
  lockEvents: Array<[string, number]>;
  /** The statements that waited on a lock (their first words), most frequent first. */
  lockedStatements: Array<[string, number]>;
}

export function watchPgActivity(db: Db, intervalMs = 250): { stop(): Promise<PgActivity> } {
  const transactions = async () =>
    Number(
      (
        await db.$queryRawUnsafe<Array<{ n: bigint | number }>>(
          'SELECT xact_commit + xact_rollback AS n FROM pg_stat_database WHERE datname = current_database()',
        )
      )[0]!.n,
    );
  let samples = 0;
  let active = 0;
  let waits = 0;
  const events = new Map<string, number>();
  const statements = new Map<string, number>();
  let running = true;
  const loop = (async () => {
    const x0 = await transactions();
    while (running) {
      const rows = await db.$queryRawUnsafe<
        Array<{ state: string | null; wait_event_type: string | null; wait_event: string | null; query: string }>
      >(
        `SELECT state, wait_event_type, wait_event, left(query, 200) AS query FROM pg_stat_activity
          WHERE datname = current_database() AND pid <> pg_backend_pid() AND backend_type = 'client backend'`,
      );
      samples += 1;
      for (const r of rows) {
        if (r.state === 'active') active += 1;
        if (r.wait_event_type === 'Lock') {
          waits += 1;
          events.set(r.wait_event ?? '?', (events.get(r.wait_event ?? '?') ?? 0) + 1);
          const head = r.query.replace(/\s+/g, ' ').slice(0, 60);
          statements.set(head, (statements.get(head) ?? 0) + 1);
        }
      }
      await new Promise((r) => setTimeout(r, intervalMs));
    }
    // pg_stat_database is updated when a backend reports, at most every second or so.
    await new Promise((r) => setTimeout(r, 1100));
    return (await transactions()) - x0 - samples - 1; // not the sampler's own statements
  })();
  return {
    async stop() {
      running = false;
      const tx = await loop;
      return {
        transactions: tx,
        samples,
        meanActive: samples ? active / samples : 0,
        meanLockWaits: samples ? waits / samples : 0,
        lockEvents: [...events].sort((a, b) => b[1] - a[1]),
        lockedStatements: [...statements].sort((a, b) => b[1] - a[1]),
      };
    },
  };
}
