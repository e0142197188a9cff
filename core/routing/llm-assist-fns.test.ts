import { describe, expect, it } from 'vitest';
import type { PowerItem } from '../power-list/power-list-types.ts';
import { candidatesFor, mergeChoices, shouldAsk, type RouteChoice } from './llm-assist-fns.ts';
import type { RoutingDecision } from './routing-types.ts';

function decision(over: Partial<RoutingDecision> = {}): RoutingDecision {
  return {
    handling: 'street',
    post: '环境卫生',
    department: null,
    item: null,
    confidence: 0.8,
    urgent: false,
    urgentAdvice: null,
    street: {
      street: null,
      streetCode: null,
      method: 'none',
      outsideDistrict: false,
      neighbour: null,
      candidates: [],
      reason: '',
    } as unknown as RoutingDecision['street'],
    candidates: [
      { code: 'HW-003', name: '乱倒垃圾', score: 5, evidence: [] },
      { code: 'SR-001', name: '占道经营', score: 2, evidence: [] },
    ],
    needsTriage: false,
    reasons: [],
    ...over,
  };
}

describe('shouldAsk', () => {
  it('leaves confident reports with a clear winner to the rules', () => {
    expect(shouldAsk(decision())).toBeNull();
  });
  it('asks when the rules are unsure, send to triage, or the top two are close', () => {
    expect(shouldAsk(decision({ confidence: 0.5 }))).toBe('low_confidence');
    expect(shouldAsk(decision({ needsTriage: true }))).toBe('rules_triage');
    expect(
      shouldAsk(
        decision({
          candidates: [
            { code: 'A', name: 'a', score: 4, evidence: [] },
            { code: 'B', name: 'b', score: 3.5, evidence: [] },
          ],
        }),
      ),
    ).toBe('close_candidates');
  });
  it('never delays urgent reports and skips clear greetings, but asks about an unsure "none"', () => {
    expect(shouldAsk(decision({ urgent: true, confidence: 0.3 }))).toBeNull();
    expect(shouldAsk(decision({ handling: 'none', confidence: 1, needsTriage: false }))).toBeNull();
    expect(shouldAsk(decision({ handling: 'none', confidence: 0.3, needsTriage: true }))).toBe('rules_triage');
  });
  it('has nothing to ask without candidates', () => {
    expect(shouldAsk(decision({ confidence: 0.2, needsTriage: true, candidates: [] }))).toBeNull();
  });
});

describe('candidatesFor', () => {
  const item = (code: string, over: Partial<PowerItem> = {}) =>
    ({ code, name: code, level: 'street', post: '市容市政', department: null, ...over }) as PowerItem;
  const byCode = new Map([
    ['HW-003', item('HW-003')],
    ['SR-001', item('SR-001')],
    ['QJ-001', item('QJ-001', { level: 'district', post: null })],
  ]);
  it('adds the item the rules chose when it is not among the top candidates', () => {
    const d = decision({ handling: 'district', item: { code: 'QJ-001' } as RoutingDecision['item'] });
    expect(candidatesFor(d, byCode).map((c) => c.code)).toEqual(['HW-003', 'SR-001', 'QJ-001']);
    expect(candidatesFor(d, byCode)[2]).toEqual({
      code: 'QJ-001',
      name: 'QJ-001',
      level: 'district',
      post: null,
      department: null,
    });
  });
});

describe('mergeChoices', () => {
  const hw: RouteChoice = { code: 'HW-003', level: 'street', post: '环境卫生', department: null };
  const hw2: RouteChoice = { code: 'HW-001', level: 'street', post: '环境卫生', department: null };
  const sr: RouteChoice = { code: 'SR-001', level: 'street', post: '市容市政', department: null };
  const none: RouteChoice = { code: null, level: null, post: null, department: null };
  const rules = { ...hw, confidence: 0.45, needsTriage: true };
  const model = (choice: RouteChoice, confidence: number) => ({
    answer: { code: choice.code, confidence, reason: 'r' },
    choice,
  });
  const bar = 0.8;

  it('keeps the rules when the model gave nothing', () => {
    expect(mergeChoices({ rules, model: null, minModelConfidence: bar })).toEqual({
      agreed: null,
      final: 'rules',
      needsTriage: true,
      confidence: 0.45,
    });
  });
  it('agreement with a confident model clears triage; an unsure one changes nothing', () => {
    expect(mergeChoices({ rules, model: model(hw, 0.9), minModelConfidence: bar })).toEqual({
      agreed: true,
      final: 'rules',
      needsTriage: false,
      confidence: 0.9,
    });
    expect(mergeChoices({ rules, model: model(hw, 0.5), minModelConfidence: bar })).toEqual({
      agreed: true,
      final: 'rules',
      needsTriage: true,
      confidence: 0.45,
    });
  });
  it('counts another item with the same handler as agreement', () => {
    expect(mergeChoices({ rules, model: model(hw2, 0.85), minModelConfidence: bar })).toMatchObject({
      agreed: true,
      final: 'rules',
      needsTriage: false,
    });
  });
  it('disagreement goes to a person unless the model clears the bar', () => {
    expect(
      mergeChoices({ rules: { ...rules, needsTriage: false }, model: model(sr, 0.79), minModelConfidence: bar }),
    ).toEqual({ agreed: false, final: 'rules', needsTriage: true, confidence: 0.45 });
    expect(mergeChoices({ rules, model: model(sr, 0.8), minModelConfidence: bar })).toEqual({
      agreed: false,
      final: 'model',
      needsTriage: false,
      confidence: 0.8,
    });
  });
  it('a model moving the case to another level (street, bureau, department) goes to a person, however sure', () => {
    const district: RouteChoice = { code: 'QJ-001', level: 'district', post: null, department: null };
    const dept: RouteChoice = { code: 'YS-GA-001', level: 'department', post: null, department: '公安' };
    expect(
      mergeChoices({ rules: { ...rules, needsTriage: false }, model: model(district, 0.99), minModelConfidence: bar }),
    ).toEqual({ agreed: false, final: 'rules', needsTriage: true, confidence: 0.45 });
    expect(
      mergeChoices({
        rules: { ...district, confidence: 0.5, needsTriage: false },
        model: model(hw, 0.99),
        minModelConfidence: bar,
      }),
    ).toEqual({ agreed: false, final: 'rules', needsTriage: true, confidence: 0.5 });
    expect(mergeChoices({ rules, model: model(dept, 0.95), minModelConfidence: bar })).toMatchObject({
      final: 'rules',
      needsTriage: true,
    });
  });
  it('a model finding no fitting candidate can only ask for a person', () => {
    expect(
      mergeChoices({ rules: { ...rules, needsTriage: false }, model: model(none, 0.99), minModelConfidence: bar }),
    ).toEqual({ agreed: false, final: 'rules', needsTriage: true, confidence: 0.45 });
  });
  it('both finding nothing is agreement that changes nothing', () => {
    const unsureNone = { ...none, confidence: 0.3, needsTriage: true };
    expect(mergeChoices({ rules: unsureNone, model: model(none, 0.95), minModelConfidence: bar })).toEqual({
      agreed: true,
      final: 'rules',
      needsTriage: true,
      confidence: 0.3,
    });
  });
  it('the model may fill in an item the rules could not find', () => {
    expect(
      mergeChoices({
        rules: { ...none, confidence: 0.2, needsTriage: true },
        model: model(sr, 0.9),
        minModelConfidence: bar,
      }),
    ).toMatchObject({ agreed: false, final: 'model', needsTriage: false });
  });
});
