/**
 * Street accuracy before and after a month of staff corrections, on synthetic reports
 * (test/fixtures/place-replay.ts explains the model): `npm run bench -- places [seed…]`.
 * The figures show the learning works; they are not a measure of real-world accuracy.
 */
import { createBundledJurisdiction } from '../config/jurisdiction-data-file.ts';
import type { JurisdictionService } from '../core/geo/jurisdiction.ts';
import { createPlaceMemory, type PlaceCorrection } from '../core/geo/place-memory.ts';
import { locateStreet } from '../core/routing/street-locate-fns.ts';
import { createWorld, mulberry32, replayMonth } from '../test/fixtures/place-replay.ts';

const pct = (x: number) => `${(x * 100).toFixed(1)}%`;

const out = (line: string) => process.stdout.write(`${line}\n`);

export function run(args: string[]): void {
  const seeds = args.length ? args.map(Number).filter(Number.isFinite) : [18, 1, 2, 3, 4];
  const j = createBundledJurisdiction();
  out('places: synthetic month (30 days × 20 reports, 150 compounds, 3 % wrong corrections), 400 held-out reports');
  out('seed  corrections  month-acc  held-out before → after   (pin only)         (name only)');
  const totals = { before: 0, after: 0 };
  for (const seed of seeds) {
    const t0 = performance.now();
    const r = replayMonth(j, { seed });
    totals.before += r.before.all;
    totals.after += r.after.all;
    out(
      `${String(seed).padEnd(5)} ${String(r.corrections).padEnd(12)} ${pct(r.monthAccuracy).padEnd(10)} ` +
        `${pct(r.before.all)} → ${pct(r.after.all)}   (${pct(r.before.pinOnly)} → ${pct(r.after.pinOnly)})   ` +
        `(${pct(r.before.textOnly)} → ${pct(r.after.textOnly)})   ${(performance.now() - t0).toFixed(0)} ms`,
    );
  }
  out(`mean held-out street accuracy: ${pct(totals.before / seeds.length)} → ${pct(totals.after / seeds.length)}`);
  lookupCost(j);
}

/** What the memory costs each report once years of corrections have piled up. */
function lookupCost(j: JurisdictionService): void {
  const world = createWorld(j, { seed: 7 });
  const reports = world.month(100, 100);
  const rand = mulberry32(7);
  const streets = j.streets.map((s) => s.name);
  const corrections: PlaceCorrection[] = reports.map((r) => ({
    street: streets[Math.floor(rand() * streets.length)]!,
    lat: r.input.lat ?? null,
    lng: r.input.lng ?? null,
    placeKeys: [`${r.compound}`, `新华路${Math.floor(rand() * 900)}号`],
    source: 'returned',
    at: new Date(0),
  }));
  const memory = createPlaceMemory(corrections);
  const queries = world.heldOut(5000).map((r) => r.input);
  for (const withMemory of [false, true]) {
    const t0 = performance.now();
    for (const q of queries) locateStreet(j, q, withMemory ? memory : null);
    const us = ((performance.now() - t0) * 1000) / queries.length;
    out(
      `street lookup ${withMemory ? `with ${corrections.length} corrections` : 'without memory'}: ${us.toFixed(1)} µs/report`,
    );
  }
}
