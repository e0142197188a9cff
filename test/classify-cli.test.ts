import { spawnSync } from 'node:child_process';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');

function classify(input: string): {
  lines: Array<Record<string, unknown>>;
  stdout: string;
  stderr: string;
  status: number | null;
} {
  const run = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/classify.ts'], {
    cwd: root,
    input,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  const lines = run.stdout
    .split('\n')
    .filter((l) => l.length > 0)
    .map((l) => JSON.parse(l) as Record<string, unknown>);
  return { lines, stdout: run.stdout, stderr: run.stderr, status: run.status };
}

describe('npm run classify', () => {
  it('answers one line per input line, in order, whatever the line holds', () => {
    const input = [
      JSON.stringify({ id: 'ok', text: '楼下有人在人行道上摆摊卖水果', reporter: 'resident', address: '鄱阳路' }),
      '',
      '{"id": "broken", "text": ',
      JSON.stringify({ id: 'empty', text: '' }),
      JSON.stringify({ id: 'huge', text: '占道'.repeat(50_000) }),
      JSON.stringify({ id: 'emoji', text: '😡😡😡' }),
      JSON.stringify({ id: 'mixed', text: 'Hello 城管, there is a 煤气罐 on the 人行道 outside the 饭店 😅' }),
      JSON.stringify({ id: 'far', text: '有人摆摊', lat: 95, lng: 114.3 }),
      '{"id": "nan", "text": "有人摆摊", "lat": NaN, "lng": 114.3}',
      '   ',
      JSON.stringify({ id: 'gas', text: '厨房里好大一股煤气味' }),
    ].join('\r\n');
    const { lines, status, stderr } = classify(input + '\n');
    expect(status).toBe(0);
    expect(stderr).toBe('');
    expect(lines).toHaveLength(11);
    expect(lines.map((l) => l.id)).toEqual([
      'ok',
      null,
      null,
      'empty',
      'huge',
      'emoji',
      'mixed',
      'far',
      null,
      null,
      'gas',
    ]);
    expect(lines[0]).toMatchObject({
      handling: 'street',
      post: '市容市政',
      department: null,
      street: '花楼水塔街道',
      urgent: false,
      item: 'SR-001',
    });
    expect(typeof lines[0]!.confidence).toBe('number');
    expect(Array.isArray(lines[0]!.reasons)).toBe(true);
    expect((lines[1]!.error as { code: string }).code).toBe('empty_line');
    expect((lines[2]!.error as { code: string }).code).toBe('invalid_json');
    expect((lines[3]!.error as { code: string }).code).toBe('empty_text');
    expect((lines[4]!.error as { code: string }).code).toBe('text_too_long');
    expect(lines[5]).toMatchObject({ handling: 'none', urgent: false });
    expect(lines[6]).toMatchObject({ handling: 'street', post: '燃气安全' });
    expect((lines[7]!.error as { code: string }).code).toBe('invalid_coordinates');
    expect((lines[8]!.error as { code: string }).code).toBe('invalid_json');
    expect((lines[9]!.error as { code: string }).code).toBe('empty_line');
    expect(lines[10]).toMatchObject({ handling: 'department', department: '燃气企业', urgent: true });
  });

  it('writes nothing but result lines, and nothing for empty input', () => {
    const { stdout, status } = classify('');
    expect(status).toBe(0);
    expect(stdout).toBe('');
  });

  it('keeps up with a batch streamed through it', () => {
    const input = Array.from({ length: 2000 }, (_, i) =>
      JSON.stringify({ id: i, text: i % 2 ? '垃圾桶满了没人收' : '你好' }),
    ).join('\n');
    const { lines } = classify(input);
    expect(lines).toHaveLength(2000);
    expect(lines[1999]).toMatchObject({ id: 1999, post: '环境卫生' });
  });
});
