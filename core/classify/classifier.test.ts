import { dict } from '@node-rs/jieba/dict.js';
import { describe, expect, it } from 'vitest';
import { loadPowerListFileSync } from '../../config/power-list-file.ts';
import { defaultPowerListPath } from '../../config/power-list-file.ts';
import type { PowerList } from '../power-list/power-list-types.ts';
import { createClassifier } from './classifier.ts';
import { buildDomainDict } from './domain-dict-fns.ts';
import { createTokenizer, straddlesTokens } from './tokenizer.ts';

const powerList = loadPowerListFileSync(defaultPowerListPath());
const tokenizer = createTokenizer({ baseDict: dict, domainDict: buildDomainDict(powerList) });
const classifier = createClassifier({ powerList, tokenizer });
const top = (text: string) => classifier.classify(text).items[0];

describe('tokenizer', () => {
  it('keeps domain words whole and reports boundaries', () => {
    const text = '巡查发现人行道有水果摊贩占道经营';
    expect(tokenizer.cut(text)).toContain('占道经营');
    const b = tokenizer.boundaries(text);
    expect(b[0]).toBe(1);
    expect(b[text.length]).toBe(1);
  });

  it('tells a word that cuts through tokens from one inside a token', () => {
    const b = Uint8Array.from([1, 0, 1, 0, 1]); // 大楼|道路
    expect(straddlesTokens(b, 1, 3)).toBe(true); // 楼道
    expect(straddlesTokens(b, 0, 2)).toBe(false); // 大楼
    expect(straddlesTokens(b, 2, 3)).toBe(false); // 道
  });

  it('builds a jieba dictionary from the list vocabulary', () => {
    const text = buildDomainDict(powerList);
    expect(text).toMatch(/^占道经营 \d+$/m);
    expect(text).not.toMatch(/^.\s/m);
  });
});

describe('classify', () => {
  it('ranks items with the words that matched', () => {
    const best = top('楼下早上有人推着小车在人行道上卖包子');
    expect(best?.code).toBe('SR-001');
    expect(best?.evidence.length).toBeGreaterThan(0);
    expect(best?.strong).toBe(true);
  });

  it('reads dialect and voice-input slips', () => {
    expect(top('门口好多沾道经营的 冇得人管')?.code).toBe('SR-001');
    expect(top('拉圾桶满了几天冇人收')?.code).toBe('HW-002');
  });

  it('does not let a word inside another item’s phrase count: 地砖翘 is paving, not a pile of bricks', () => {
    expect(top('人行道上的地砖翘起来了')?.code).toBe('YS-SZ-003');
  });

  it('finds present danger and ignores feared or denied danger', () => {
    expect(classifier.classify('厨房一股很浓的煤气味').urgency.urgent).toBe(true);
    expect(classifier.classify('饭店的气罐就放在灶台边 万一漏气了怎么办').urgency.urgent).toBe(false);
    expect(classifier.classify('家里没有煤气味 就是灶打不着火').urgency.urgent).toBe(false);
  });

  it('recognises chat that carries no report', () => {
    expect(classifier.classify('你们几点上班').chat.kind).toBe('bot');
    expect(classifier.classify('高薪诚聘 日结 加微信').chat.advert).toBeGreaterThanOrEqual(2.5);
  });

  it('works from a list given as data: a new item is found without code changes', () => {
    const custom: PowerList = {
      ...powerList,
      items: [
        ...powerList.items,
        {
          code: 'SR-099',
          name: '测试事项',
          level: 'street',
          post: '市容市政',
          department: null,
          legalBasis: '测试',
          keywords: ['彩虹独角兽'],
          responseHours: 1,
          handlingHours: 2,
          timeBasis: 'working',
          urgent: false,
          mode721: 'service',
        },
      ],
    };
    const c = createClassifier({ powerList: custom, tokenizer });
    expect(c.classify('门口有只彩虹独角兽').items[0]?.code).toBe('SR-099');
  });
});
