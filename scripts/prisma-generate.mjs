// Runs `prisma generate` on npm install. Prisma's CLI insists on a native schema engine
// binary that cannot be downloaded on these machines; generate never executes it, so any
// existing file satisfies the check. Migrations use the WebAssembly engine (db/schema-engine.ts).
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const cli = require.resolve('prisma/build/index.js');
const env = {
  ...process.env,
  PRISMA_SCHEMA_ENGINE_BINARY: process.env.PRISMA_SCHEMA_ENGINE_BINARY ?? process.execPath,
};
const result = spawnSync(process.execPath, [cli, 'generate'], { stdio: 'inherit', env });
process.exit(result.status ?? 1);
