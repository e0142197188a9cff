import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ValidationError } from '../core/errors.ts';
import { defaultHotlineMappingPath, loadHotlineMappingSync } from './hotline-mapping-file.ts';

describe('HOTLINE_MAPPING', () => {
  it('defaults to the bundled Wuhan 12345 layout', () => {
    const m = loadHotlineMappingSync(undefined);
    expect(m.source).toBe('wuhan-12345');
    expect(m.columns.ref).toContain('工单编号');
    expect(defaultHotlineMappingPath()).toMatch(/config\/hotline\/wuhan-12345\.json$/);
  });

  it('reads another layout from a path, and names the file and the problems when it is wrong', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'hotline-mapping-'));
    const good = { ...loadHotlineMappingSync(undefined), name: '某市12345', source: 'other-12345' };
    writeFileSync(path.join(dir, 'other.json'), JSON.stringify(good));
    expect(loadHotlineMappingSync('other.json', dir).source).toBe('other-12345');

    writeFileSync(path.join(dir, 'bad.json'), JSON.stringify({ ...good, dateFormats: ['DD.MM.YYYY'] }));
    expect(() => loadHotlineMappingSync('bad.json', dir)).toThrow(ValidationError);
    expect(() => loadHotlineMappingSync('bad.json', dir)).toThrow(/bad\.json.*dateFormats\.0：日期格式如/);
    expect(() => loadHotlineMappingSync('missing.json', dir)).toThrow(/missing\.json 无法读取/);
  });
});
