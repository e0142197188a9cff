// core/ is the domain: no file system, HTTP, chat library, database driver or cloud SDK. It declares
// ports (e.g. core/evidence/file-store-port.ts) that storage/, db/ and the adapters implement.
// This test reads every source file under core/ and fails on an import outside that rule.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '../..');
const CORE = path.join(ROOT, 'core');

/** Module names core/ must not import (exact, or a package and its subpaths). */
const FORBIDDEN = [
  /^(node:)?fs(\/promises)?$/,
  // File paths from module URLs (fileURLToPath) belong with the file readers in config/.
  /^(node:)?url$/,
  /^(node:)?path(\/posix|\/win32)?$/,
  /^(node:)?(http|https|http2|net|dgram|child_process)$/,
  /^(fastify|@fastify\/.+|telegraf(\/.*)?|wechaty(-.+)?(\/.*)?|undici)$/,
  /^(@prisma\/.+|pg|pg-.+|better-sqlite3|kysely(\/.*)?)$/,
  /^(@aws-sdk\/.+|openai(\/.*)?)$/,
];

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'))
    .map((f) => path.join(dir, f));
}

/** Every module a file imports: static, re-exported, side-effect, dynamic or required. */
function importsOf(source: string): string[] {
  const found = new Set<string>();
  const patterns = [
    /\b(?:import|export)\s[^'";]*?\bfrom\s*['"]([^'"]+)['"]/g,
    /\bimport\s*['"]([^'"]+)['"]/g,
    /\bimport\s*\(\s*['"]([^'"]+)['"]\s*\)/g,
    /\brequire\s*\(\s*['"]([^'"]+)['"]\s*\)/g,
  ];
  for (const p of patterns) for (const m of source.matchAll(p)) found.add(m[1]!);
  return [...found];
}

describe('core/ layering', () => {
  const files = sourceFiles(CORE).map((file) => ({
    name: path.relative(ROOT, file).split(path.sep).join('/'),
    imports: importsOf(readFileSync(file, 'utf8')),
  }));

  it('finds the source files and their imports', () => {
    expect(files.length).toBeGreaterThan(50);
    expect(files.find((f) => f.name === 'core/evidence/photo-evidence.ts')?.imports).toContain('./file-store-port.ts');
  });

  it('imports no file system, HTTP, chat library, database driver or SDK', () => {
    const violations = files.flatMap((f) =>
      f.imports.filter((m) => FORBIDDEN.some((re) => re.test(m))).map((m) => `${f.name} imports ${m}`),
    );
    expect(violations).toEqual([]);
  });
});
