// A throwaway PostgreSQL cluster for the api benchmark (bench/pg-throwaway.ts) with one empty
// database `gridline_bench` in it.
import { adminQuery } from '../db/pg-scratch-database.ts';
import { startThrowawayPg } from './pg-throwaway.ts';

export interface BenchCluster {
  /** The benchmark database's postgresql:// URL. */
  url: string;
  dir: string;
  /** Stops the cluster and deletes its folder. */
  stop(): Promise<void>;
}

export async function startBenchCluster(): Promise<BenchCluster> {
  const pg = await startThrowawayPg();
  await adminQuery(pg.url, 'CREATE DATABASE gridline_bench');
  const url = new URL(pg.url);
  url.pathname = '/gridline_bench';
  return { url: url.toString(), dir: pg.dir, stop: async () => pg.stop() };
}

/** The command that stops a kept cluster. */
export const stopCommand = (dir: string): string => `bash scripts/pg-test-cluster.sh stop ${dir}`;
