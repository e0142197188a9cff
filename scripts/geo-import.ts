/*
 * Replaces the approximate street areas with official boundaries.
 *
 *   npx tsx scripts/geo-import.ts <file.geojson> [--crs gcj02|bd09|wgs84] [--source "…"] [--out path]
 *
 * The file must be a FeatureCollection with the 12 streets identifiable by name (民族街道,
 * 花楼街, 水塔街道 …) or official code (420103001 …); 花楼街 and 水塔街 features are merged
 * into 花楼水塔街道. Coordinates are converted to WGS-84 (everything stored is WGS-84) and
 * the result, marked `approximate: false`, is written to prisma/data/streets.geojson.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import type { Crs } from '../core/geo/geo-types.ts';
import { createBundledJurisdiction } from '../config/jurisdiction-data-file.ts';
import { importOfficialStreets, StreetImportError } from '../core/geo/street-import-fns.ts';

function usage(message?: string): never {
  if (message) console.error(message);
  console.error(
    'usage: tsx scripts/geo-import.ts <file.geojson> [--crs gcj02|bd09|wgs84] [--source "text"] [--out path]',
  );
  process.exit(2);
}

function parseArgs(argv: string[]): { file: string; crs: Crs; source?: string; out: string } {
  let file: string | undefined;
  let crs: Crs = 'wgs84';
  let source: string | undefined;
  let out = new URL('../prisma/data/streets.geojson', import.meta.url).pathname;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const value = () => argv[++i] ?? usage(`${a} needs a value`);
    if (a === '--crs') {
      const v = value();
      if (v !== 'wgs84' && v !== 'gcj02' && v !== 'bd09') usage(`unknown --crs ${v}`);
      crs = v;
    } else if (a === '--source') source = value();
    else if (a === '--out') out = resolve(value());
    else if (a.startsWith('--')) usage(`unknown option ${a}`);
    else if (!file) file = a;
    else usage(`unexpected argument ${a}`);
  }
  if (!file) usage();
  return { file, crs, source, out };
}

function main(): void {
  const args = parseArgs(process.argv.slice(2));
  let input: unknown;
  try {
    input = JSON.parse(readFileSync(args.file, 'utf8'));
  } catch (err) {
    usage(`cannot read ${args.file}: ${(err as Error).message}`);
  }
  const jurisdiction = createBundledJurisdiction();
  const source =
    args.source ??
    `official boundaries imported from ${basename(args.file)} (${args.crs}) on ${new Date().toISOString().slice(0, 10)}`;
  try {
    const { collection, warnings } = importOfficialStreets(input, {
      crs: args.crs,
      source,
      streets: jurisdiction.streets,
      resolveStreet: jurisdiction.resolveStreet,
    });
    for (const w of warnings) console.warn(`warning: ${w}`);
    writeFileSync(args.out, `${JSON.stringify(collection)}\n`);
    console.log(`wrote ${collection.features.length} streets (approximate: false) to ${args.out}`);
  } catch (err) {
    if (err instanceof StreetImportError) {
      console.error(err.message);
      process.exit(1);
    }
    throw err;
  }
}

main();
