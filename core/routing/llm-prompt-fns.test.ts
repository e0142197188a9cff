import { describe, expect, it } from 'vitest';
import { buildMessages, candidateLine, redactPersonalData, type LlmCandidate } from './llm-prompt-fns.ts';

const candidates: LlmCandidate[] = [
  { code: 'SR-001', name: '占道经营', level: 'street', post: '市容市政', department: null },
  { code: 'QJ-001', name: '跨街道的违法行为', level: 'district', post: null, department: null },
  { code: 'YS-GA-001', name: '治安问题', level: 'department', post: null, department: '公安' },
];

describe('redactPersonalData', () => {
  it.each([
    ['电话13812345678请回电', '电话[手机号]请回电'],
    ['手机 138 1234 5678', '手机 [手机号]'],
    ['+86 138-1234-5678', '[手机号]'],
    ['打０２７－８５７８１２３４也行', '打027－[号码]也行'],
    ['座机027-85781234', '座机[号码]'],
    ['座机85781234', '座机[号码]'],
    ['身份证420102199001011234', '身份证[身份证号]'],
    ['身份证42010219900101123X号', '身份证[身份证号]号'],
    ['邮箱 zhang.san@example.com', '邮箱 [邮箱]'],
  ])('%s', (input, expected) => {
    expect(redactPersonalData(input)).toBe(expected);
  });

  it('keeps short numbers that help place or describe the problem', () => {
    const text = '解放大道123号门口，鄂A12345的车，2026-03-02 早上7点，打了12345';
    expect(redactPersonalData(text)).toBe(text);
  });
});

describe('buildMessages', () => {
  it('sends the report text alone as the user message, redacted', () => {
    const messages = buildMessages('门口有人摆摊 我电话13912345678', candidates);
    expect(messages).toHaveLength(2);
    expect(messages[1]).toEqual({ role: 'user', content: '门口有人摆摊 我电话[手机号]' });
  });

  it('describes every candidate with code, name, handler and level in the system prompt', () => {
    const system = buildMessages('x', candidates)[0]!;
    expect(system.role).toBe('system');
    expect(system.content).toContain('- SR-001｜占道经营｜街道执法队市容市政岗｜街道');
    expect(system.content).toContain('- QJ-001｜跨街道的违法行为｜区城市管理执法局｜区局');
    expect(system.content).toContain('- YS-GA-001｜治安问题｜公安部门｜移送部门');
    expect(system.content).toContain('JSON');
    expect(candidateLine(candidates[0]!)).toBe('- SR-001｜占道经营｜街道执法队市容市政岗｜街道');
  });
});
