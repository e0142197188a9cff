// A PostgreSQL cluster of a benchmark's own: scripts/pg-test-cluster.sh in a temporary folder on a
// free port, stopped and deleted at the end. Also the CPU its server processes have used, so a
// benchmark can say how much of a report's cost is PostgreSQL's.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort } from '../test/helpers/free-port.ts';
import { processCpuMs } from '../test/helpers/process-cluster.ts';

const SCRIPT = path.resolve(import.meta.dirname, '../scripts/pg-test-cluster.sh');

export interface ThrowawayPg {
  /** postgresql:// URL of the server's maintenance database. */
  url: string;
  dir: string;
  /** CPU used so far by the postmaster and the server processes alive now (exited ones included via the postmaster), ms. */
  cpuMs(): number;
  stop(): void;
}

/** The pid of each process whose parent is `parent` (from /proc). */
function childrenOf(parent: number): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid === parent) pids.push(Number(entry));
    } catch {
      // gone meanwhile
    }
  }
  return pids;
}

/** CPU used so far by a postmaster and its server processes, ms (exited children via the postmaster's own counts). */
export const serverCpuMs = (postmaster: number): number =>
  [postmaster, ...childrenOf(postmaster)].reduce((sum, pid) => sum + (processCpuMs(pid) || 0), 0);

/**
 * The postmaster of the server whose data directory is `dataDirectory` when it runs on this
 * machine (the folder is readable here), else null: a benchmark against an existing local server can then say what
 * PostgreSQL spent, as it does for a throwaway cluster.
 */
export function localPostmaster(dataDirectory: string): number | null {
  try {
    const pid = Number(readFileSync(path.join(dataDirectory, 'postmaster.pid'), 'utf8').split('\n')[0]);
    return Number.isInteger(pid) && pid > 0 && readFileSync(`/proc/${pid}/stat`, 'utf8') ? pid : null;
  } catch {
    return null;
  }
}

export async function startThrowawayPg(): Promise<ThrowawayPg> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'gridline-bench-pg-'));
  const port = await freePort();
  const url = execFileSync('bash', [SCRIPT, 'start', dir, String(port)])
    .toString()
    .trim();
  const postmaster = Number(readFileSync(path.join(dir, 'postmaster.pid'), 'utf8').split('\n')[0]);
  let stopped = false;
  return {
    url,
    dir,
    cpuMs: () => serverCpuMs(postmaster),
    stop() {
      if (stopped) return;
      stopped = true;
      execFileSync('bash', [SCRIPT, 'stop', dir]);
    },
  };
}
