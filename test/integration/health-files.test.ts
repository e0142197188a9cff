// /healthz says whether files (photos, voice) can be stored, not only whether the database
// answers: a balancer must take a process out whose bucket went away, as one whose database did.
import { mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FILES_PROBE_EVERY_MS } from '../../server/routes/health-routes.ts';
import { createFakeClock } from '../helpers/fake-clock.ts';
import { startS3Emulator, type S3Emulator } from '../helpers/s3-emulator.ts';
import { createTestApp, type TestApp } from '../helpers/test-app.ts';

const clock = createFakeClock('2026-11-20T02:00:00Z');
let s3: S3Emulator;
let t: TestApp;

beforeAll(async () => {
  s3 = await startS3Emulator();
  t = await createTestApp({ clock: clock.now, env: s3.env });
});
afterAll(async () => {
  await t?.close();
  await s3?.close();
});

const health = async () => {
  const res = await t.app.inject('/healthz');
  return { status: res.statusCode, body: res.json() as Record<string, string> };
};

describe('/healthz and the file store', () => {
  it('answers 200 while the database answers and the bucket takes files', async () => {
    expect(await health()).toEqual({ status: 200, body: { status: 'ok', database: 'ok', files: 'ok' } });
  });

  it('answers 503 with files: error once the bucket is gone, and 200 again when it is back', async () => {
    const bucketDir = path.join(s3.directory, s3.bucket);
    rmSync(bucketDir, { recursive: true, force: true });
    // The store is asked again only after FILES_PROBE_EVERY_MS, not at every probe of the balancer.
    clock.advance(FILES_PROBE_EVERY_MS);
    expect(await health()).toEqual({
      status: 503,
      body: { status: 'unavailable', database: 'ok', files: 'error' },
    });
    mkdirSync(bucketDir, { recursive: true });
    expect((await health()).status).toBe(503);
    clock.advance(FILES_PROBE_EVERY_MS);
    expect(await health()).toEqual({ status: 200, body: { status: 'ok', database: 'ok', files: 'ok' } });
  });
});
