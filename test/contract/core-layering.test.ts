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
  /^(node:)?path(\/posix|\/win32)?$/,
  /^(node:)?(http|https|http2|net|dgram|child_process)$/,
  /^(fastify|@fastify\/.+|telegraf(\/.*)?|wechaty(-.+)?(\/.*)?|undici)$/,
  /^(@prisma\/.+|pg|pg-.+|better-sqlite3|kysely(\/.*)?)$/,
  /^(@aws-sdk\/.+|openai(\/.*)?)$/,
];

/**
 * Files that still break the rule, and what they may import. Each is a bundled data file read at
 * start-up (prisma/data/…) or the LLM client; moving them means touching their ~25 callers in
 * app/, scripts/, bench/ and tests, left for a change of its own. The list may only shrink: an
 * entry whose import is gone fails below, so the exception cannot outlive its reason.
 */
const ALLOWED: Record<string, string[]> = {
  'core/geo/jurisdiction-data.ts': ['node:fs'],
  'core/power-list/power-list-loader.ts': ['node:fs', 'node:fs/promises'],
  'core/deadlines/holiday-calendar.ts': ['node:fs', 'node:fs/promises'],
  'core/routing/llm-client.ts': ['openai'],
};

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

  it('imports no file system, HTTP, chat library, database driver or SDK outside the listed exceptions', () => {
    const violations = files.flatMap((f) =>
      f.imports
        .filter((m) => FORBIDDEN.some((re) => re.test(m)) && !(ALLOWED[f.name] ?? []).includes(m))
        .map((m) => `${f.name} imports ${m}`),
    );
    expect(violations).toEqual([]);
  });

  it('lists no exception that is no longer needed', () => {
    const stale = Object.entries(ALLOWED).flatMap(([name, modules]) =>
      modules
        .filter((m) => !files.find((f) => f.name === name)?.imports.includes(m))
        .map((m) => `${name} no longer imports ${m}`),
    );
    expect(stale).toEqual([]);
  });
});
