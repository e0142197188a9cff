import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const dir = mkdtempSync(join(tmpdir(), 'gridline-letters-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function evalLetters(lettersFile: string) {
  return spawnSync(
    process.execPath,
    ['--import', 'tsx', 'scripts/eval.ts', '--letters', '--letters-file', lettersFile, '--no-misses'],
    { cwd: root, encoding: 'utf8' },
  );
}

describe('npm run eval -- --letters', () => {
  it('explains that the development-only letters file is missing, and exits 2', () => {
    const run = evalLetters(join(dir, 'absent.jsonl'));
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('letters file is missing');
    expect(run.stderr).toContain('--letters-file');
    expect(run.stdout).toBe('');
  });

  it('joins the committed labels to letters by id and scores dev and frozen apart, street left out', () => {
    // Stand-in letters written for this test under ids the label file holds (one dev, one frozen).
    const file = join(dir, 'letters.jsonl');
    writeFileSync(
      file,
      [
        { id: 'L0007', title: '咨询医保报销', text: '请问在外地打的疫苗，居民医保可以报销吗？' },
        { id: 'L0006', title: '学校施工堵了小区后门的路', text: '新建学校把小区后面的主路堵死了。' },
      ]
        .map((l) => JSON.stringify(l))
        .join('\n'),
    );
    const run = evalLetters(file);
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/dev \(1 letters\)[\s\S]*route accuracy/);
    expect(run.stdout).toMatch(/frozen \(1 letters\)[\s\S]*route accuracy/);
    expect(run.stdout).not.toContain('street accuracy');
    expect(run.stderr).toContain('labels name no letter');
  });
});
