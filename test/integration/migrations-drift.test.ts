import { describe, expect, it } from 'vitest';
import { diffDatabaseToSchema } from '../../db/migrate.ts';
import { createTestDb } from '../helpers/test-db.ts';

describe('migrations', () => {
  it('applied to an empty database give exactly what schema.prisma describes', async () => {
    const { db, url } = await createTestDb();
    await db.$disconnect();
    expect(await diffDatabaseToSchema(url)).toBe('');
  });

  it('record themselves in _prisma_migrations so prisma migrate deploy stays usable', async () => {
    const { db } = await createTestDb();
    const rows = await db.$queryRawUnsafe<Array<{ migration_name: string; finished_at: unknown }>>(
      'SELECT migration_name, finished_at FROM _prisma_migrations',
    );
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.every((r) => r.finished_at !== null)).toBe(true);
    await db.$disconnect();
  });
});
