import { describe, expect, it } from 'vitest';
import { cleanLetterText, letterIntent, readLetter, splitMatters, stripClosing, stripGreeting } from './letter-fns.ts';

// Letters written for these tests, in the shapes hotline letters take; not taken from any eval file.
describe('stripGreeting', () => {
  it('drops addressee and greeting formulae, however they are stacked', () => {
    expect(stripGreeting('尊敬的王区长：您好！我是花园小区的住户，楼下有人占道。')).toBe(
      '我是花园小区的住户，楼下有人占道。',
    );
    expect(stripGreeting('李书记：你好，我们反映一件事。')).toBe('我们反映一件事。');
    expect(stripGreeting('领导好：小区门口天天有人摆摊。')).toBe('小区门口天天有人摆摊。');
    expect(stripGreeting('尊敬的各位领导 你们好！路灯坏了。')).toBe('路灯坏了。');
  });

  it('leaves a text that opens with the matter alone', () => {
    expect(stripGreeting('学校门口的人行道上停满了汽车。')).toBe('学校门口的人行道上停满了汽车。');
    expect(stripGreeting('政府门口有人摆摊')).toBe('政府门口有人摆摊');
  });
});

describe('stripClosing', () => {
  it('drops short thanks and formulae at the end, keeps the matter', () => {
    expect(stripClosing('烧烤店油烟直排进我家。恳请领导重视！万分感谢！')).toBe('烧烤店油烟直排进我家。');
    expect(stripClosing('路面塌了一个坑。此致敬礼')).toBe('路面塌了一个坑。');
  });

  it('keeps a long last sentence even if it thanks someone', () => {
    const s = '感谢社区上次帮忙，但是这个月楼下饭店又把桌子摆到了人行道上，晚上吵到十二点。';
    expect(stripClosing(s)).toBe(s);
  });
});

describe('splitMatters', () => {
  it('splits numbered matters and keeps the opening with the first', () => {
    const parts = splitMatters('我们小区有几个问题：1、门口摆摊占道；2、垃圾站不清运；3、物业乱收停车费。');
    expect(parts).toHaveLength(3);
    expect(parts[0]).toContain('摆摊');
    expect(parts[1]).toContain('垃圾站');
    expect(parts[2]).toContain('停车费');
  });

  it('understands Chinese numerals and 第一/问题一 markers', () => {
    expect(splitMatters('一、围墙倒了一半。二、路灯不亮。')).toHaveLength(2);
    expect(splitMatters('第一，油烟大；第二，噪音大。')).toHaveLength(2);
  });

  it('does not split dates, prices or a single number', () => {
    expect(splitMatters('2019年5月3日起，每月收费1.5元，已经三个月了。')).toHaveLength(1);
    expect(splitMatters('1、楼下烧烤油烟太大。')).toHaveLength(1);
  });
});

describe('letterIntent', () => {
  it('reads suggestions and questions from the title', () => {
    expect(letterIntent('关于增设社区图书角的建议')).toBe('suggestion');
    expect(letterIntent('咨询新生儿落户需要哪些材料')).toBe('question');
    expect(letterIntent('某路公交什么时候恢复原线路？')).toBe('question');
  });

  it('asking for works or objecting to a plan is a suggestion, even when it names rubbish or a structure', () => {
    expect(letterIntent('建议在某路口增设一处公交候车亭')).toBe('suggestion');
    expect(letterIntent('希望加快某片区排水管网建设')).toBe('suggestion');
    expect(letterIntent('坚决反对在某小区旁新建垃圾中转站')).toBe('suggestion');
  });

  it('a title naming a present problem is a complaint, whatever else it asks', () => {
    expect(letterIntent('建议整治某街夜宵摊油烟扰民')).toBe('complaint');
    expect(letterIntent('请问楼下的违章建筑什么时候拆')).toBe('complaint');
    expect(letterIntent('某小区门前路段乱象')).toBe(null);
  });
});

describe('readLetter', () => {
  it('separates title and body and strips formulae', () => {
    const l = readLetter(
      '某路口烧烤摊油烟扰民',
      '尊敬的领导：您好！某路口每晚有烧烤摊，油烟熏得我们不敢开窗。请领导重视，谢谢！',
    );
    expect(l.isLetter).toBe(true);
    expect(l.title).toBe('某路口烧烤摊油烟扰民');
    expect(l.body).toBe('某路口每晚有烧烤摊，油烟熏得我们不敢开窗。');
    expect(l.intent).toBe('complaint');
  });

  it('recognises a long letter without a title by its greeting', () => {
    const text = `尊敬的领导：您好！${'我们小区门口的绿化带被人铲掉种了菜，'.repeat(10)}`;
    expect(readLetter(undefined, text).isLetter).toBe(true);
  });

  it('takes a pasted work order’s first short line as its title', () => {
    const text = `某小区地下车库长期积水\n尊敬的领导：${'小区地下车库一下雨就积水，车都开不进去，物业说不归他们管，'.repeat(5)}`;
    const l = readLetter(undefined, text);
    expect(l.title).toBe('某小区地下车库长期积水');
    expect(l.body.startsWith('小区地下车库')).toBe(true);
  });

  it('leaves a chat message as it is', () => {
    const l = readLetter(undefined, '你好，楼下又在摆摊了');
    expect(l).toEqual({
      title: '',
      body: '你好，楼下又在摆摊了',
      matters: ['你好，楼下又在摆摊了'],
      isLetter: false,
      intent: null,
    });
  });

  it('removes export debris and links', () => {
    expect(cleanLetterText('问题一_x000D_ 路灯不亮 https://example.com/a?b=1 谢谢')).toBe('问题一 路灯不亮 谢谢');
  });
});
