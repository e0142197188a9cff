// Runs `prisma generate` on npm install, for both engines: prisma/generated (SQLite, from
// schema.prisma) and prisma/generated-pg (PostgreSQL, from the schema derived from it by
// prisma-schema-pg.mjs). Prisma's CLI insists on a native schema engine binary that cannot be
// downloaded on these machines; generate never executes it, so any existing file satisfies the
// check. Migrations use the WebAssembly engine (db/schema-engine.ts).
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { writePostgresSchema } from './prisma-schema-pg.mjs';

const require = createRequire(import.meta.url);
const cli = require.resolve('prisma/build/index.js');
const env = {
  ...process.env,
  PRISMA_SCHEMA_ENGINE_BINARY: process.env.PRISMA_SCHEMA_ENGINE_BINARY ?? process.execPath,
};
for (const schema of ['prisma/schema.prisma', writePostgresSchema()]) {
  const result = spawnSync(process.execPath, [cli, 'generate', '--schema', schema], { stdio: 'inherit', env });
  if (result.status !== 0) process.exit(result.status ?? 1);
}
