// On PostgreSQL the day's CaseCounter row stays locked from the moment a registration takes its
// number until it commits, and every other registration in any process waits on it (the intake
// cluster benchmark found nearly every waiting backend there). So a registration reads what it
// needs first (flood limit, item, street, department, staffing) and takes its number just before
// the duplicate search and the writes. The duplicate search stays behind the lock on purpose: two
// reports of one matter at once take turns there, and the second joins the first.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createCaseServices } from '../../core/case/case-services.ts';
import type { CaseStore, CaseTx } from '../../core/case/case-port.ts';
import { loadHolidayCalendarSync } from '../../config/holiday-calendar-file.ts';
import { createCaseStore } from '../../db/case-store.ts';
import { createCaseFactory } from '../helpers/case-factory.ts';
import { createFakeClock } from '../helpers/fake-clock.ts';
import { createTestDb, type TestDb } from '../helpers/test-db.ts';
import { seedReferenceData } from '../../db/seed.ts';

const clock = createFakeClock('2026-03-02T02:00:00.000Z');
let t: TestDb;
beforeAll(async () => {
  t = await createTestDb();
  await seedReferenceData(t.db);
});
afterAll(async () => t.db.$disconnect());

/** The real store, with every call on its unit of work written down in order. */
function recordingStore(inner: CaseStore, calls: string[]): CaseStore {
  return {
    ...inner,
    transaction: (fn) =>
      inner.transaction((tx) =>
        fn(
          new Proxy(tx, {
            get(target, key, receiver) {
              const value = Reflect.get(target, key, receiver) as unknown;
              if (typeof value !== 'function') return value;
              return (...args: unknown[]) => {
                calls.push(String(key));
                return (value as (...a: unknown[]) => unknown).apply(target, args);
              };
            },
          }) as CaseTx,
        ),
      ),
  };
}

it('reads everything a registration needs before it takes the day’s case number', async () => {
  const calls: string[] = [];
  const store = recordingStore(
    createCaseStore(t.db, async () => {}),
    calls,
  );
  const cases = createCaseServices({
    store,
    clock: clock.now,
    messages: { t: (key) => key },
    calendar: loadHolidayCalendarSync(),
    settings: {
      casePrefix: 'JH',
      duplicateRadiusM: 50,
      duplicateWindowHours: 24,
      minConfidence: 0.5,
      reportsPerHour: { resident: 10, staff: 50 },
    },
  });
  const reporter = await createCaseFactory(t.db).person({ role: 'resident' });
  const { case: c } = await cases.intake.submit(
    {
      text: '人行道上有人摆摊卖水果',
      lat: 30.5826,
      lng: 114.2713,
      address: '江汉区万松街道',
      channel: 'web',
      reporterId: reporter.id,
      answeredInChat: true,
    },
    {
      handling: 'department',
      itemCode: 'YS-SR-001',
      department: '市场监管',
      streetName: '万松街道',
      confidence: 0.9,
      urgent: false,
      needsTriage: false,
      reasons: [],
    },
  );
  expect(c.number).toBe('JH-20260302-0001');
  const numbered = calls.indexOf('nextCaseNumber');
  expect(numbered).toBeGreaterThan(-1);
  const readsAfter = calls
    .slice(numbered + 1)
    .filter((k) =>
      ['reportedSince', 'activeItem', 'streetIdByName', 'departmentIdByName', 'departmentStaffed'].includes(k),
    );
  expect(readsAfter).toEqual([]);
  expect(calls.slice(numbered + 1, numbered + 3)).toEqual(['findOpenDuplicate', 'insertCase']);
});
