/**
 * JSONL in, JSONL out: one result or error object per input line, in order, streamed.
 * Only results go to stdout; the startup failure message goes to stderr.
 */
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { createBundledJurisdiction } from '../config/jurisdiction-data-file.ts';
import { loadPowerListFileSync } from '../config/power-list-file.ts';
import { defaultPowerListPath } from '../config/power-list-file.ts';
import { classifyLine } from '../core/routing/classify-line-fns.ts';
import { createRouter } from '../core/routing/router.ts';

async function main(): Promise<void> {
  const router = createRouter({
    powerList: loadPowerListFileSync(process.env.POWER_LIST_PATH ?? defaultPowerListPath()),
    jurisdiction: createBundledJurisdiction(),
  });
  const lines = createInterface({ input: process.stdin, crlfDelay: Infinity });
  for await (const line of lines) {
    const out = JSON.stringify(classifyLine(router, line)) + '\n';
    if (!process.stdout.write(out)) await once(process.stdout, 'drain');
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`classify: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = 1;
});
