import { describe, expect, it } from 'vitest';
import { normaliseWidth, parseWeChatCommand, pickedNumber, splitQuote, stripMention } from './wechat-text-fns.ts';

describe('parseWeChatCommand', () => {
  it('reads slash commands, the full-width slash too', () => {
    expect(parseWeChatCommand('/status JH-20261201-0001')).toEqual({ name: 'status', args: 'JH-20261201-0001' });
    expect(parseWeChatCommand('／my')).toEqual({ name: 'my', args: '' });
    expect(parseWeChatCommand('/Bind  8F3K2Q ')).toEqual({ name: 'bind', args: '8F3K2Q' });
  });

  it('reads the Chinese words people type instead', () => {
    expect(parseWeChatCommand('帮助')).toEqual({ name: 'help', args: '' });
    expect(parseWeChatCommand('我的报告')).toEqual({ name: 'my', args: '' });
    expect(parseWeChatCommand('查询 JH-20261201-0001')).toEqual({ name: 'status', args: 'JH-20261201-0001' });
    expect(parseWeChatCommand('查询JH-20261201-0001')).toEqual({ name: 'status', args: 'JH-20261201-0001' });
    expect(parseWeChatCommand('待办')).toEqual({ name: 'queue', args: '' });
    expect(parseWeChatCommand('绑定 8F3K2Q7A')).toEqual({ name: 'bind', args: '8F3K2Q7A' });
    expect(parseWeChatCommand('开始巡查')).toEqual({ name: 'patrol', args: '' });
    expect(parseWeChatCommand('结束巡查')).toEqual({ name: 'patrol', args: '' });
  });

  it('takes a bare case number as a status query, in any case and width', () => {
    expect(parseWeChatCommand('jh-20261201-0001')).toEqual({ name: 'status', args: 'JH-20261201-0001' });
    expect(parseWeChatCommand('ＪＨ－２０２６１２０１－０００１')).toEqual({
      name: 'status',
      args: 'JH-20261201-0001',
    });
  });

  it('leaves reports, and words the core reads in context (取消, 确认), alone', () => {
    expect(parseWeChatCommand('请帮助我，门口有人摆摊')).toBeNull();
    expect(parseWeChatCommand('巡查员说这里有垃圾')).toBeNull();
    expect(parseWeChatCommand('取消')).toBeNull();
    expect(parseWeChatCommand('确认')).toBeNull();
    expect(parseWeChatCommand('1')).toBeNull();
  });
});

describe('pickedNumber', () => {
  it('reads a number typed alone, in ASCII or full width', () => {
    expect(pickedNumber('1')).toBe(1);
    expect(pickedNumber(' 2 ')).toBe(2);
    expect(pickedNumber('３')).toBe(3);
    expect(pickedNumber('4.')).toBe(4);
    expect(pickedNumber('12')).toBe(12);
  });
  it('ignores anything else', () => {
    expect(pickedNumber('0')).toBeNull();
    expect(pickedNumber('1楼')).toBeNull();
    expect(pickedNumber('123')).toBeNull();
    expect(pickedNumber('')).toBeNull();
  });
});

describe('stripMention / normaliseWidth', () => {
  it('removes the bot mention WeChat puts in room messages', () => {
    expect(stripMention('@网格通\u2005门口有人摆摊', '网格通')).toBe('门口有人摆摊');
    expect(stripMention('/queue @网格通 ', '网格通')).toBe('/queue');
    expect(stripMention('@别人 你好', '网格通')).toBe('@别人 你好');
  });
  it('turns full-width ASCII into ASCII', () => {
    expect(normaliseWidth('／ｓｔａｔｕｓ　１')).toBe('/status 1');
  });
});

describe('splitQuote', () => {
  it('separates a quoted case card from the reply', () => {
    const quoted = '「网格通：已提交，案件编号：JH-20261201-0001」\n- - - - - - - - - - - - - - -\n摊主每天下午四点来';
    expect(splitQuote(quoted)).toEqual({ text: '摊主每天下午四点来', quoted: '已提交，案件编号：JH-20261201-0001' });
    expect(splitQuote('路边有人摆摊')).toEqual({ text: '路边有人摆摊' });
  });
});
