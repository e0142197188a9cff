import { describe, expect, it } from 'vitest';
import { firstJsonObject, parseModelAnswer } from './llm-answer-fns.ts';

const codes = ['SR-001', 'HW-003'];

describe('parseModelAnswer', () => {
  it('accepts a valid answer naming a candidate', () => {
    expect(parseModelAnswer('{"code":"SR-001","confidence":0.9,"reason":"在路边摆摊属于占道经营。"}', codes)).toEqual({
      ok: true,
      answer: { code: 'SR-001', confidence: 0.9, reason: '在路边摆摊属于占道经营。' },
    });
  });

  it('accepts null and null-like words as "none of the candidates"', () => {
    for (const code of [null, 'null', 'None', '']) {
      const r = parseModelAnswer(JSON.stringify({ code, confidence: 0.7, reason: '不是城管问题' }), codes);
      expect(r).toEqual({ ok: true, answer: { code: null, confidence: 0.7, reason: '不是城管问题' } });
    }
  });

  it('finds the JSON inside prose, code fences and visible reasoning', () => {
    const content =
      '<think>候选 {SR-001} 还是 {HW-003}？</think>好的：\n```json\n{"code": "HW-003", "confidence": 0.8, "reason": "垃圾 {乱倒}"}\n```';
    expect(parseModelAnswer(content, codes)).toMatchObject({
      ok: true,
      answer: { code: 'HW-003', reason: '垃圾 {乱倒}' },
    });
  });

  it('keeps one sentence of the reason, bounded', () => {
    const r = parseModelAnswer(JSON.stringify({ code: 'SR-001', confidence: 0.8, reason: '第一句。第二句。' }), codes);
    expect(r.ok && r.answer.reason).toBe('第一句。');
    const long = parseModelAnswer(JSON.stringify({ code: 'SR-001', confidence: 0.8, reason: '长'.repeat(300) }), codes);
    expect(long.ok && long.answer.reason.length).toBe(121);
  });

  it.each([
    ['', 'empty content'],
    ['no json here', 'no JSON object'],
    ['{"code": "SR-001", confidence: }', 'malformed JSON'],
    ['{"code": "SR-001", "confidence": 90, "reason": "x"}', 'schema'],
    ['{"code": "SR-001", "confidence": "0.9", "reason": "x"}', 'schema'],
    ['{"code": "SR-001", "confidence": 0.9}', 'schema'],
    ['{"code": "SR-001", "confidence": 0.9, "reason": "  "}', 'schema'],
    ['{"code": "YS-GA-001", "confidence": 0.9, "reason": "x"}', 'code not among the candidates'],
    ['{"code": "SR-001 占道经营", "confidence": 0.9, "reason": "x"}', 'code not among the candidates'],
  ])('rejects %s', (content, problem) => {
    const r = parseModelAnswer(content, codes);
    expect(r.ok).toBe(false);
    expect(!r.ok && r.problem).toContain(problem);
  });
});

describe('firstJsonObject', () => {
  it('respects braces and escaped quotes inside strings', () => {
    expect(firstJsonObject('x {"a": "}\\"{", "b": {"c": 1}} y {"d": 2}')).toBe('{"a": "}\\"{", "b": {"c": 1}}');
    expect(firstJsonObject('{"a": 1')).toBeNull();
  });
});
