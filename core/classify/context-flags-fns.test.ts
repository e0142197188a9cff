import { describe, expect, it } from 'vitest';
import { contextFlags } from './context-flags-fns.ts';

function flagsOf(text: string, word: string) {
  const start = text.indexOf(word);
  return contextFlags(text, start, start + word.length);
}

describe('contextFlags', () => {
  it('sees a negator right before a word', () => {
    expect(flagsOf('家里没有煤气味', '煤气味').negated).toBe(true);
    expect(flagsOf('燃气灶打不着火', '着火').negated).toBe(true);
    expect(flagsOf('一股很浓的煤气味', '煤气味').negated).toBe(false);
  });

  it('does not read questions or intensifiers as negation', () => {
    expect(flagsOf('是不是漏气了', '漏气').negated).toBe(false);
    expect(flagsOf('有没有着火', '着火').negated).toBe(false);
    expect(flagsOf('一直不停冒烟', '冒烟').negated).toBe(false);
  });

  it('stops at the clause: a negation in another clause does not count', () => {
    expect(flagsOf('楼道里没人 一股煤气味', '煤气味').negated).toBe(false);
  });

  it('marks risks as hypothetical, before or after the word', () => {
    expect(flagsOf('万一着火了怎么办', '着火').hypothetical).toBe(true);
    expect(flagsOf('一刮风就怕掉下来砸人', '掉下来').hypothetical).toBe(true);
    expect(flagsOf('存在火灾隐患', '火灾').hypothetical).toBe(true);
    expect(flagsOf('刚才着火了', '着火').hypothetical).toBe(false);
    expect(flagsOf('楼道堆满纸箱 着火了怎么办', '着火').hypothetical).toBe(true);
  });

  it('marks explicit denials but not rhetorical questions', () => {
    expect(flagsOf('这里不是占道经营', '占道经营').denied).toBe(true);
    expect(flagsOf('网格内未发现违建', '违建').denied).toBe(true);
    expect(flagsOf('今日辖区内无新增违法建设', '违法建设').denied).toBe(true);
    expect(flagsOf('这不是乱涨价吗', '乱涨价').denied).toBe(false);
    expect(flagsOf('是不是骗子', '骗子').denied).toBe(false);
  });

  it('marks events told as past', () => {
    expect(flagsOf('上个月电梯往下掉了一层', '往下掉').past).toBe(true);
    expect(flagsOf('电梯往下掉了一层', '往下掉').past).toBe(false);
  });

  it('reads letters’ history as past: dates, times, counted occurrences, references back', () => {
    expect(flagsOf('今年5月8日凌晨1时许楼下突发大火', '大火').past).toBe(true);
    expect(flagsOf('这场大火烧掉了两户', '大火').past).toBe(true);
    expect(flagsOf('业主数次被困电梯', '被困').past).toBe(true);
    expect(flagsOf('至今没人解释起火原因', '起火').past).toBe(true);
    expect(flagsOf('打架斗殴时常发生', '斗殴').past).toBe(true);
    expect(flagsOf('楼下起火了', '起火').past).toBe(false);
  });

  it('treats a season of risk and an open question as hypothetical', () => {
    expect(flagsOf('冬天本是火灾高发期', '火灾').hypothetical).toBe(true);
    expect(flagsOf('不知道有没有砸伤人', '砸伤').hypothetical).toBe(true);
  });
});
