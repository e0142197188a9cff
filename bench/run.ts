/** `npm run bench -- <name> [args]`: runs one benchmark, which prints its own figures. */
interface Bench {
  run(args: string[]): Promise<void> | void;
}

const benches: Record<string, () => Promise<Bench>> = {
  routing: () => import('./routing-bench.ts'),
  api: () => import('./api-bench.ts'),
  intake: () => import('./intake-bench.ts'),
  wal: () => import('./wal-bench.ts'),
  places: () => import('./places-bench.ts'),
  soak: () => import('./soak-bench.ts'),
  open311: () => import('./open311-bench.ts'),
  'case-list': () => import('./case-list-bench.ts'),
  'request-cpu': () => import('./request-cpu-bench.ts'),
  'deadline-watch': () => import('./deadline-watch-bench.ts'),
};

async function main(): Promise<void> {
  const [name, ...args] = process.argv.slice(2);
  const load = name ? benches[name] : undefined;
  if (!load) {
    process.stderr.write(`usage: npm run bench -- <${Object.keys(benches).join('|')}> [args]\n`);
    process.exitCode = 2;
    return;
  }
  await (await load()).run(args);
}

main().catch((err: unknown) => {
  process.stderr.write(`bench: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exitCode = 1;
});
