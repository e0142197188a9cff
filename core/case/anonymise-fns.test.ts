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
    expect(redactPersonalData('联系人：王小明，已整改')).toBe('联系人：[姓名已隐去]，已整改');
    expect(redactPersonalData('当事人已自行整改')).toBe('当事人已自行整改');
  });

  it('leaves ordinary Chinese text alone', () => {
    const text = '经现场核查，占道经营摊点已清理，路面恢复整洁。';
    expect(redactPersonalData(text)).toBe(text);
  });
});

// Realistic outcome texts as handlers write them (issue 13.6): what the public and other residents read.
describe('redactPersonalData on outcome sentences', () => {
  const N = '[姓名已隐去]';
  const P = '[电话已隐去]';
  it.each([
    // Names after words for a person.
    ['已联系报告人王小明，告知处理结果。', `已联系报告人${N}，告知处理结果。`],
    ['摊主李四已自行搬离，现场恢复整洁。', `摊主${N}已自行搬离，现场恢复整洁。`],
    ['店主张伟承诺不再占道经营。', `店主${N}承诺不再占道经营。`],
    ['业主陈建国已拆除违建雨棚。', `业主${N}已拆除违建雨棚。`],
    ['当事人刘芳当场签字确认，罚款200元。', `当事人${N}当场签字确认，罚款200元。`],
    ['车主赵磊已将车辆挪走。', `车主${N}已将车辆挪走。`],
    ['住户周敏称噪音来自楼上。', `住户${N}称噪音来自楼上。`],
    ['住户李强楼上的漏水已转交物业。', `住户${N}楼上的漏水已转交物业。`],
    ['居民吴秀英反映问题已解决。', `居民${N}反映问题已解决。`],
    ['老板郑强表示立即整改。', `老板${N}表示立即整改。`],
    ['装修师傅孙刚已清运建筑垃圾3车。', `装修师傅${N}已清运建筑垃圾3车。`],
    ['举报人：欧阳娜娜，回访满意。', `举报人：${N}，回访满意。`],
    ['当事人 黄晓东 拒不整改，已立案。', `当事人 ${N} 拒不整改，已立案。`],
    // A surname before a form of address.
    ['已电话告知王先生处理结果。', `已电话告知${N}先生处理结果。`],
    ['经与李小红女士沟通，同意下午清理。', `经与${N}女士沟通，同意下午清理。`],
    ['张师傅已把三轮车推走。', `${N}师傅已把三轮车推走。`],
    ['向陈女士说明了依据。', `向${N}女士说明了依据。`],
    // The anonymised form stays as written.
    ['当事人张某某已缴纳罚款。', '当事人张某某已缴纳罚款。'],
    ['摊主李某已搬离。', '摊主李某已搬离。'],
    // Phone numbers in any digits.
    ['摊主电话13912345678，已劝离。', `摊主电话${P}，已劝离。`],
    ['回访电话 139-1234-5678。', `回访电话 ${P}。`],
    ['回访电话 139 1234 5678。', `回访电话 ${P}。`],
    ['联系电话１３９１２３４５６７８', `联系电话${P}`],
    ['联系电话一三九一二三四五六七八', `联系电话${P}`],
    ['联系电话幺三九 幺二三四 五六七八', `联系电话${P}`],
    ['电话：一三九-一二三四-五六七八，已回访', `电话：${P}，已回访`],
    ['座机零二七八五五五一二三四', `座机${P}`],
    // ID numbers and plates.
    ['当事人身份证号42010319800101123X。', '当事人身份证号[证件号已隐去]。'],
    ['身份证 420103 19800101 1234 已核验', '身份证 [证件号已隐去] 已核验'],
    ['鄂A12345违停已拖移。', '鄂A*****违停已拖移。'],
    ['新能源车鄂A·D12345占用消防通道，已贴单。', '新能源车鄂A*****占用消防通道，已贴单。'],
    ['鄂AD12345已驶离', '鄂A*****已驶离'],
    ['鄂A 12345已驶离', '鄂A*****已驶离'],
    // Several at once, with the reporter's own name from the record.
    [
      '摊主李四（电话一三九一二三四五六七八）已搬离，已联系报告人王小明。',
      `摊主${N}（电话${P}）已搬离，已联系报告人${N}。`,
    ],
  ])('%s', (input, expected) => {
    expect(redactPersonalData(input, { names: ['王小明'] })).toBe(expected);
  });

  it("redacts the reporter's name from the record wherever it appears", () => {
    expect(redactPersonalData('已向司马光说明处理结果', { names: ['司马光'] })).toBe(`已向${N}说明处理结果`);
    expect(redactPersonalData('小明同学反映的问题已处理', { names: ['小明同学'] })).toBe(`${N}反映的问题已处理`);
    expect(redactPersonalData('Reported by Alice Wong, done', { names: ['Alice Wong'] })).toBe(
      `Reported by ${N}, done`,
    );
    // Too short to be told apart from ordinary words.
    expect(redactPersonalData('王府井路段已清理', { names: ['王'] })).toBe('王府井路段已清理');
    // The label given to people who gave no name is not a name.
    expect(redactPersonalData('居民反映的问题已解决', { names: ['居民'] })).toBe('居民反映的问题已解决');
    expect(redactPersonalData('网页居民反映的问题已解决', { names: ['网页居民'] })).toBe('网页居民反映的问题已解决');
  });

  it.each([
    '汉兴街道万松园路占道经营已清理。',
    '唐家墩街道居民楼下的堆物已清理。',
    '居民小区内违规停车已劝离。',
    '住户唐家墩路段的噪音已制止。',
    '业主江汉路店已整改。',
    '业主高度重视，店主周边的堆物已清理。',
    '业主委员会已组织清理楼道。',
    '业主方已拆除违建。',
    '车主已将车辆挪走。',
    '车主车辆已拖移至停车场。',
    '店主于当日整改完毕。',
    '当事人应当在3日内整改。',
    '居民常年反映的问题已解决。',
    '摊主已自行搬离，罚款200元，拆除广告牌3块，清理3米长的占道物品。',
    '与JH-20261129-0001合并处理，2026年12月6日14:30复查合格。',
    '于2026-12-06 09:00至11:30集中整治，出动执法人员12人次。',
    '民族街道、花楼水塔街道、民权街道、满春街道、民意街道、新华街道联合整治。',
    '万松街道、唐家墩街道、北湖街道、前进街道、常青街道、汉兴街道已完成。',
    '经现场核查，占道经营摊点已清理，路面恢复整洁。',
    '三三两两的摊贩已劝离，一二级道路恢复通行。',
    '师傅们已清运完毕。',
  ])('leaves alone: %s', (text) => {
    expect(redactPersonalData(text, { names: ['王小明'] })).toBe(text);
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
