// What the case store keeps in step with every case change, rebuilt from the cases at once: for
// anything that wrote cases around the store (an import, a repair by hand, a benchmark seeder).
import { rebuildCaseTally } from './case-tally.ts';
import type { SqlTx } from './sql-connection.ts';
import { rebuildRollups } from './stats-rollup.ts';

export async function rebuildSummaries(
  tx: SqlTx,
): Promise<{ cases: number; rows: number; facts: number; tally: { rows: number } }> {
  return { ...(await rebuildRollups(tx)), tally: await rebuildCaseTally(tx) };
}
