// npm run bench -- open311 <database kept by `npm run bench -- api --keep`> [--requests 30]
// Open311 reads over a district's worth of data: p50/p99 wall and CPU time of app.inject()
// for the services list and a full page of requests (the specification's 1000), XML and JSON.
import path from 'node:path';
import { parseArgs } from 'node:util';
import { createDomain } from '../app/create-domain.ts';
import { loadConfig } from '../config/load-config.ts';
import { createLogger } from '../config/logger.ts';
import { createPrismaClient } from '../db/prisma-client.ts';
import { createServer } from '../server/app.ts';
import { percentile } from './percentile.ts';

const SCENARIOS = [
  '/open311/v2/services.xml',
  '/open311/v2/services.json',
  '/open311/v2/requests.xml',
  '/open311/v2/requests.json',
  '/open311/v2/requests.json?status=open&service_code=SR-001',
  '/open311/v2/servicerequestupdates.xml',
];

export async function run(argv: string[] = []): Promise<void> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { requests: { type: 'string', default: '30' } },
  });
  const file = positionals[0];
  if (!file) throw new Error('give the database kept by `npm run bench -- api --keep`');
  const n = Number(values.requests);
  const dir = path.dirname(file);
  const url = `file:${file}`;
  const db = await createPrismaClient(url);
  const config = loadConfig({ DATA_DIR: dir, DATABASE_URL: url, LOG_LEVEL: 'silent' }, dir, false);
  const logger = createLogger(config);
  const app = await createServer({ config, logger, db, domain: await createDomain({ db, config, logger }) });
  console.log(`\nOpen311 benchmark on ${file}, ${n} requests per row after 5 warm-up\n`);
  for (const u of SCENARIOS) {
    for (let i = 0; i < 5; i++) await app.inject({ url: u });
    const wall: number[] = [];
    const cpu: number[] = [];
    let items = 0;
    for (let i = 0; i < n; i++) {
      const start = performance.now();
      const cpuStart = process.cpuUsage();
      const res = await app.inject({ url: u });
      wall.push(performance.now() - start);
      const used = process.cpuUsage(cpuStart);
      cpu.push((used.user + used.system) / 1000);
      if (res.statusCode !== 200) throw new Error(`${u}: ${res.statusCode} ${res.body}`);
      items = (res.body.match(/<request>|<service>|<request_update>|"service_request_id"|"service_code"/g) ?? [])
        .length;
      if (u.includes('requests.json')) items = (res.json() as unknown[]).length;
    }
    wall.sort((a, b) => a - b);
    cpu.sort((a, b) => a - b);
    const f = (x: number) => x.toFixed(1).padStart(7);
    console.log(
      `${u.padEnd(60)} wall p50 ${f(percentile(wall, 50))} p99 ${f(percentile(wall, 99))}  cpu p50 ${f(percentile(cpu, 50))} p99 ${f(percentile(cpu, 99))} ms  items ${items}`,
    );
  }
  await app.close();
  await db.$disconnect();
}

export default run;
