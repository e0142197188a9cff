// Demo staff are created on first use by whichever process needs them. Several processes on one
// PostgreSQL starting in demo mode at once used to crash all but one on the identity's unique key.
// PostgreSQL only: several SQLite clients in one process would wait on each other's write lock
// synchronously (better-sqlite3's busy wait), and only one server process runs on SQLite.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureDemoStaff, listDemoStaff } from '../../db/demo-staff.ts';
import { createPrismaClient } from '../../db/prisma-client.ts';
import { seedReferenceData } from '../../db/seed.ts';
import { createTestDb, testPgServer, type TestDb } from '../helpers/test-db.ts';

describe.skipIf(!testPgServer())('demo staff, several processes on PostgreSQL', () => {
  let db: TestDb | undefined;
  const t = () => db!;
  beforeAll(async () => {
    db = await createTestDb('postgres');
  });
  afterAll(async () => db?.db.$disconnect());
  it('three processes creating the demo staff at once all succeed, and each person exists once', async () => {
    await seedReferenceData(t().db);
    // One client each, as three processes: their transactions really run side by side.
    const clients = await Promise.all([1, 2, 3].map(() => createPrismaClient(t().url)));
    try {
      const results = await Promise.allSettled(clients.map((db) => ensureDemoStaff(db)));
      expect(results.filter((r) => r.status === 'rejected')).toEqual([]);
    } finally {
      await Promise.all(clients.map((db) => db.$disconnect()));
    }
    const staff = await listDemoStaff(t().db);
    expect(staff.length).toBeGreaterThan(0);
    expect(new Set(staff.map((s) => s.displayName)).size).toBe(staff.length);
  });
});
