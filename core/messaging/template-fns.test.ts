import { describe, expect, it } from 'vitest';
import {
  createTemplateCatalogue,
  overrideProblems,
  placeholdersOf,
  renderTemplate,
  type TemplateProblem,
} from './template-fns.ts';

describe('renderTemplate', () => {
  it('fills placeholders, numbers included', () => {
    expect(
      renderTemplate('案件{number}将于{due}到期，共{n}件', { number: 'JH-20260302-0001', due: '3月2日 18:00', n: 3 }),
    ).toEqual({
      text: '案件JH-20260302-0001将于3月2日 18:00到期，共3件',
      missing: [],
    });
  });

  it('leaves a missing placeholder visible and reports it once', () => {
    expect(renderTemplate('{number}：{matter}（{matter}）', { number: 'X', matter: null })).toEqual({
      text: 'X：{matter}（{matter}）',
      missing: ['matter'],
    });
  });

  it('does not touch braces that are not placeholders, nor inherited properties', () => {
    expect(renderTemplate('{ "a": 1 }｛中文｝{constructor}', {}).text).toBe('{ "a": 1 }｛中文｝{constructor}');
  });

  it('a value containing braces is not expanded again', () => {
    expect(renderTemplate('{a}{b}', { a: '{b}', b: 'B' }).text).toBe('{b}B');
  });
});

describe('overrideProblems', () => {
  const def = '【即将到期】案件{number}（{matter}）将于{due}到期。';
  it('accepts a reworded text that keeps every placeholder', () => {
    expect(overrideProblems(def, '提醒：{number} {matter} 的期限是 {due}')).toEqual([]);
    expect(placeholdersOf(def)).toEqual(['number', 'matter', 'due']);
  });
  it('refuses a dropped or unknown placeholder, and an empty text', () => {
    expect(overrideProblems(def, '案件{number}快到期了{who}')).toEqual([
      '缺少占位符：{matter}、{due}',
      '不支持的占位符：{who}（可用：{number}、{matter}、{due}）',
    ]);
    expect(overrideProblems(def, '  ')[0]).toBe('模板内容不能为空');
  });
});

describe('template catalogue', () => {
  it('prefers an override, reads overrides live, reports gaps', () => {
    const overrides = new Map<string, string>();
    const problems: TemplateProblem[] = [];
    const c = createTemplateCatalogue({ hello: '您好，{name}' }, overrides, (p) => problems.push(p));
    expect(c.t('hello', { name: '张三' })).toBe('您好，张三');
    overrides.set('hello', '{name}，欢迎');
    expect(c.t('hello', { name: '张三' })).toBe('张三，欢迎');
    expect(c.t('hello')).toBe('{name}，欢迎');
    expect(c.t('nope')).toBe('nope');
    expect(problems).toEqual([
      { key: 'hello', unknownKey: false, missing: ['name'] },
      { key: 'nope', unknownKey: true, missing: [] },
    ]);
    expect(c.keys()).toEqual(['hello']);
  });
});
