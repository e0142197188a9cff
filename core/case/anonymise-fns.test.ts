import { describe, expect, it } from 'vitest';
import { coarseLocation, coarsenCoordinate, maskPhone, redactPersonalData } from './anonymise-fns.ts';

describe('redactPersonalData', () => {
  it.each([
    ['当事人电话13812345678已劝导', '当事人电话[电话已隐去]已劝导'],
    ['联系 138 1234 5678 或 +86-139-0000-1111', '联系 [电话已隐去] 或 [电话已隐去]'],
    ['店主手机１３８１２３４５６７８', '店主手机[电话已隐去]'],
  ])('redacts 11-digit mobiles: %s', (input, expected) => {
    expect(redactPersonalData(input)).toBe(expected);
  });

  it.each([
    ['物业电话027-85551234', '物业电话[电话已隐去]'],
    ['(027)8555 1234转12', '[电话已隐去]'],
    ['座机 02785551234。', '座机 [电话已隐去]。'],
  ])('redacts landlines: %s', (input, expected) => {
    expect(redactPersonalData(input)).toBe(expected);
  });

  it('redacts 18-digit ID numbers, X included', () => {
    expect(redactPersonalData('身份证42010319800101123X，已登记')).toBe('身份证[证件号已隐去]，已登记');
    expect(redactPersonalData('证件 420103198001011234')).toBe('证件 [证件号已隐去]');
  });

  it('redacts chat handles, WeChat ids, QQ numbers and e-mail addresses', () => {
    expect(redactPersonalData('请联系 @zhang_san99 处理')).toBe('请联系 [账号已隐去] 处理');
    expect(redactPersonalData('微信号：wxid_ab12cd34')).toBe('微信号：[账号已隐去]');
    expect(redactPersonalData('QQ：123456')).toBe('QQ：[账号已隐去]');
    expect(redactPersonalData('邮件 li.si@example.cn 已回复')).toBe('邮件 [邮箱已隐去] 已回复');
  });

  it('redacts long digit runs but keeps short numbers and case numbers', () => {
    expect(redactPersonalData('卡号6222020200112233445')).toBe('卡号[号码已隐去]');
    expect(redactPersonalData('本地号码8555123')).toBe('本地号码[号码已隐去]');
    expect(redactPersonalData('清理垃圾3车，罚款500元，拆除广告牌12块')).toBe('清理垃圾3车，罚款500元，拆除广告牌12块');
    expect(redactPersonalData('与JH-20261129-0001合并处理')).toBe('与JH-20261129-0001合并处理');
  });

  it('masks vehicle plates and labelled names', () => {
    expect(redactPersonalData('鄂A12345违停已拖移')).toBe('鄂A*****违停已拖移');
    expect(redactPersonalData('联系人：王小明，已整改')).toBe('联系人：***，已整改');
    expect(redactPersonalData('当事人已自行整改')).toBe('当事人已自行整改');
  });

  it('leaves ordinary Chinese text alone', () => {
    const text = '经现场核查，占道经营摊点已清理，路面恢复整洁。';
    expect(redactPersonalData(text)).toBe(text);
  });
});

describe('maskPhone', () => {
  it('keeps the first three and last four digits', () => {
    expect(maskPhone('13812345678')).toBe('138****5678');
    expect(maskPhone('027-85551234')).toBe('027****1234');
    expect(maskPhone('12345')).toBe('****45');
  });
});

describe('coarse location', () => {
  it('rounds to 3 decimals (about 100 m)', () => {
    expect(coarsenCoordinate(30.593456)).toBe(30.593);
    expect(coarsenCoordinate(114.27851)).toBe(114.279);
    expect(coarseLocation(30.59999, 114.2)).toEqual({ lat: 30.6, lng: 114.2 });
    expect(coarseLocation(null, 114.2)).toBeNull();
  });
});
