// npm run token:revoke -- --id 7            revokes token #7 (the number token:create printed)
// npm run token:revoke -- --person-id 12    revokes every live token of person #12
// npm run token:revoke -- --token <token>   revokes the token itself (read from stdin with --token -)
// npm run token:revoke -- --list            lists live tokens (never the tokens themselves)
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { loadConfig } from '../config/load-config.ts';
import { applyMigrations } from '../db/migrate.ts';
import { createPrismaClient } from '../db/prisma-client.ts';
import { revokeToken, revokeTokens } from '../db/token-store.ts';

const USAGE = `Usage: npm run token:revoke -- --id <token id>
       npm run token:revoke -- --person-id <person id>
       npm run token:revoke -- --token <token>     (--token - reads it from stdin)
       npm run token:revoke -- --list`;

function fail(message: string): never {
  process.stderr.write(`${message}\n\n${USAGE}\n`);
  process.exit(2);
}

const { values: a } = parseArgs({
  options: {
    id: { type: 'string' },
    'person-id': { type: 'string' },
    token: { type: 'string' },
    list: { type: 'boolean' },
    help: { type: 'boolean', short: 'h' },
  },
});
if (a.help) {
  process.stdout.write(`${USAGE}\n`);
  process.exit(0);
}
const chosen = [a.id, a['person-id'], a.token, a.list].filter((v) => v !== undefined).length;
if (chosen !== 1) fail('Give exactly one of --id, --person-id, --token or --list.');
const wholeNumber = (v: string, name: string) => {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) fail(`${name} must be a positive whole number.`);
  return n;
};

const config = loadConfig();
await applyMigrations(config.DATABASE_URL);
const db = await createPrismaClient(config.DATABASE_URL);
try {
  const now = new Date();
  if (a.list) {
    const live = await db.apiToken.findMany({
      where: { revokedAt: null, OR: [{ expiresAt: null }, { expiresAt: { gt: now } }] },
      include: { person: { select: { displayName: true, role: true } } },
      orderBy: { id: 'asc' },
    });
    for (const t of live)
      process.stdout.write(
        `#${t.id}\tperson #${t.personId} ${t.person.displayName} (${t.person.role})\t${t.label}\t` +
          `expires ${t.expiresAt?.toISOString() ?? 'never'}\tlast used ${t.lastUsedAt?.toISOString() ?? 'never'}\n`,
      );
    if (!live.length) process.stderr.write('No live tokens.\n');
  } else {
    let count: number;
    if (a.id) count = await revokeTokens(db, { id: wholeNumber(a.id, '--id') }, now);
    else if (a['person-id'])
      count = await revokeTokens(db, { personId: wholeNumber(a['person-id'], '--person-id') }, now);
    else {
      const token = a.token === '-' ? readFileSync(0, 'utf8').trim() : a.token!;
      count = (await revokeToken(db, token, now)) ? 1 : 0;
    }
    process.stderr.write(count ? `Revoked ${count} token(s).\n` : 'No live token matched: nothing revoked.\n');
    if (!count) process.exitCode = 1;
  }
} finally {
  await db.$disconnect();
}
