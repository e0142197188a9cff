// A throwaway PostgreSQL cluster for a benchmark: scripts/pg-test-cluster.sh in a temporary
// folder on a free port, with one empty database `gridline_bench` in it.
import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { adminQuery } from '../db/pg-scratch-database.ts';
import { freePort } from '../test/helpers/free-port.ts';

const run = promisify(execFile);
const SCRIPT = path.resolve(import.meta.dirname, '../scripts/pg-test-cluster.sh');

export interface BenchCluster {
  /** The benchmark database's postgresql:// URL. */
  url: string;
  dir: string;
  /** Stops the cluster and deletes its folder. */
  stop(): Promise<void>;
}

export async function startBenchCluster(): Promise<BenchCluster> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'gridline-bench-pg-'));
  const port = await freePort();
  const { stdout } = await run('bash', [SCRIPT, 'start', dir, String(port)]);
  const server = stdout.trim();
  await adminQuery(server, 'CREATE DATABASE gridline_bench');
  const url = new URL(server);
  url.pathname = '/gridline_bench';
  return {
    url: url.toString(),
    dir,
    stop: async () => {
      await run('bash', [SCRIPT, 'stop', dir]);
    },
  };
}

/** The command that stops a kept cluster. */
export const stopCommand = (dir: string): string => `bash scripts/pg-test-cluster.sh stop ${dir}`;
