import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createChatHarness, pushButton, type ChatHarness, type ChatUser } from '../helpers/chat-harness.ts';

let h: ChatHarness;
let lead: ChatUser;

beforeAll(async () => {
  h = await createChatHarness();
  lead = await h.staffUser('lead-hlst', 'team_lead', { street: '花楼水塔街道', name: '王队长' });
  await h.staffUser('insp-hlst', 'inspector', { street: '花楼水塔街道', name: '李巡查' });
});
afterAll(async () => h.close());

describe('a resident in the chat', () => {
  it('is welcomed on the first message and on /start', async () => {
    const u = h.user('newcomer');
    const replies = await u.send({ command: { name: 'start', args: '' } });
    expect(replies[0]).toContain('网格通');
    const other = h.user('newcomer2');
    expect((await other.send({ text: '你好' }))[0]).toContain('网格通');
  });

  it('reports across several messages, confirms, follows every push and rates', async () => {
    const u = h.user('resident-1');
    expect((await u.send({ text: '人行道上有人摆摊卖烤红薯，把路都占了' })).join()).toContain('位置');
    const summary = await u.send({ text: '江汉区鄱阳路23号门口' });
    expect(summary.join()).toContain('请确认');
    expect(summary.join()).toContain('花楼水塔街道');
    expect(u.lastButtons.map((b) => b.label)).toEqual(['确认提交', '修改', '取消']);
    const done = await u.press('确认提交');
    const number = /JH-\d{8}-\d{4}/.exec(done.join())?.[0];
    expect(number).toBeTruthy();

    // The team lead hears of it with the actions; the resident hears every step.
    const leadPush = (await lead.pushes()).at(-1);
    expect(leadPush?.text).toContain(number!);
    expect(leadPush?.text).not.toContain('用户resident-1');
    expect(await lead.send({ button: pushButton(leadPush, '接单') })).toEqual([expect.stringContaining('已接单')]);
    expect(await lead.send({ button: pushButton(leadPush, '接单') })).toEqual([expect.stringContaining('不能接单')]); // pressed twice
    // The card follows the state: 办结 is offered once the case is accepted, on the answer's card.
    expect(lead.lastButtons.map((b) => b.label)).toContain('办结');
    expect((await lead.press('办结')).join()).toContain('处置结果');
    expect((await lead.send({ text: '已劝离摊贩，恢复人行道通行' })).join()).toContain('照片');
    expect((await lead.press('下一步')).join()).toContain('处置方式');
    expect((await lead.press('服务（劝导）')).join()).toContain('已办结');

    const resolvedPush = (await u.pushes()).at(-1);
    expect(resolvedPush?.text).toContain('已办结');
    // The reporter who confirms is answered once, with the closing notice and the rating buttons.
    expect((await u.send({ button: pushButton(resolvedPush, '已解决') })).join()).toContain('已结案');
    expect((await u.press('满意')).join()).toContain('感谢评价');
    expect((await u.send({ text: '处理很快，点赞' })).join()).toContain('已记录');
    const texts = (await u.pushes()).map((p) => p.text);
    expect(texts.some((t) => t.includes('接单'))).toBe(true);
    expect((await h.db.rating.findFirstOrThrow({ where: { case: { number: number! } } })).comment).toBe(
      '处理很快，点赞',
    );

    expect((await u.send({ command: { name: 'my', args: '' } })).join()).toContain(number!);
    expect((await u.send({ command: { name: 'status', args: number! } })).join()).toContain('已结案');
    expect((await h.user('someone-else').send({ command: { name: 'status', args: number! } })).join()).toContain(
      '没有找到',
    );
  });

  it('gives urgent advice before anything else', async () => {
    const u = h.user('resident-urgent');
    const replies = await u.send({
      text: '楼下饭店煤气罐漏气了，一股很大的煤气味',
      location: { lat: 30.5795, lng: 114.2869, crs: 'wgs84' },
    });
    expect(replies[0]).toContain('紧急');
    expect(replies[0]).toMatch(/119|110|燃气/);
  });

  it('tells a resident when the place is outside the district, and asks again', async () => {
    const u = h.user('resident-outside');
    const replies = await u.send({
      text: '路边有人乱倒建筑垃圾',
      location: { lat: 30.545, lng: 114.36, crs: 'wgs84' },
    });
    expect(replies.join()).toContain('不在江汉区范围内');
  });

  it('answers greetings, unknown commands, edits and unsupported messages without starting a report', async () => {
    const u = h.user('resident-chatty');
    await u.send({ text: '你好' });
    expect((await u.send({ text: '谢谢' })).join()).toContain('不客气');
    expect((await u.send({ command: { name: 'fly', args: '' } })).join()).toContain('没有“/fly”这个命令');
    expect((await u.send({ text: '改一下', edited: true })).join()).toContain('修改后的消息');
    expect((await u.send({ unsupported: '贴纸' })).join()).toContain('暂不支持');
    expect(await h.db.conversation.count({ where: { chatId: 'resident-chatty', flow: 'report' } })).toBe(0);
  });

  it('joins a duplicate report to the open case and follows it', async () => {
    const point = { lat: 30.5823, lng: 114.2842, crs: 'wgs84' as const };
    const a = h.user('dup-a');
    await a.send({ text: '门口一堆建筑垃圾没人清理，堆了好几天', location: point });
    const first = /JH-\d{8}-\d{4}/.exec((await a.press('确认提交')).join())?.[0];
    const b = h.user('dup-b');
    await b.send({ text: '这里有人乱倒建筑垃圾，堆在路边好几天了', location: { ...point, lat: point.lat + 0.0001 } });
    const replies = await b.press('确认提交');
    expect(replies.join()).toContain(first!);
    expect(replies.join()).toContain('并入');
  });

  it('pushes the outcome to every follower without names, phone numbers or plates (issue 13.6)', async () => {
    const point = { lat: 30.5801, lng: 114.2861, crs: 'wgs84' as const };
    const a = h.user('named-a');
    await a.send({ text: '店门口有人占道摆摊卖水果，行人过不去', location: point });
    const number = /JH-\d{8}-\d{4}/.exec((await a.press('确认提交')).join())?.[0];
    expect(number).toBeTruthy();
    // The reporter's name as the messenger gave it (a Telegram first and last name).
    await h.db.person.updateMany({ where: { displayName: '用户named-a' }, data: { displayName: '王小明' } });
    const b = h.user('named-b');
    await b.send({ text: '这里有人占道摆摊卖水果，路都堵了', location: { ...point, lat: point.lat + 0.0001 } });
    expect((await b.press('确认提交')).join()).toContain(number!);

    const leadPush = (await lead.pushes()).filter((p) => p.text.includes(number!)).at(-1);
    await lead.send({ button: pushButton(leadPush, '接单') });
    await lead.press('办结');
    await lead.send({ text: '已电话回复王小明，摊主李四已搬离，车辆鄂A12345已挪走，回访电话一三九一二三四五六七八' });
    await lead.press('下一步');
    expect((await lead.press('服务（劝导）')).join()).toContain('已办结');

    for (const u of [a, b]) {
      const pushed = (await u.pushes()).at(-1)?.text ?? '';
      const status = (await u.send({ command: { name: 'status', args: number! } })).join();
      for (const text of [pushed, status]) {
        expect(text).toContain(
          '已电话回复[姓名已隐去]，摊主[姓名已隐去]已搬离，车辆鄂A*****已挪走，回访电话[电话已隐去]',
        );
        for (const secret of ['王小明', '李四', '12345', '一三九']) expect(text).not.toContain(secret);
      }
    }
  });

  it('keeps a draft across a restart and expires an abandoned one with a notice', async () => {
    const u = h.user('resident-restart');
    await u.send({ text: '小区外面有人乱贴小广告，电线杆上全是' });
    h.restart();
    expect((await u.send({ text: '江汉区鄱阳路' })).join()).toContain('请确认');
    const v = h.user('resident-expire');
    await v.send({ text: '有人在人行道上乱堆杂物' });
    await h.db.conversation.updateMany({
      where: { chatId: 'resident-expire' },
      data: { expiresAt: new Date(Date.now() - 1000) },
    });
    expect((await v.send({ text: '鄱阳路' })).join()).toContain('已自动作废');
  });

  it('refuses staff buttons to residents and accepts numbered replies', async () => {
    const u = h.user('resident-nosy');
    expect((await u.send({ button: 'c:accept:1' })).join()).toMatch(/职责范围|无权/);
    await u.send({ text: '人行道上有人摆摊卖水果' });
    await u.send({ text: '鄱阳路' });
    expect((await u.send({ text: '3' })).join()).toContain('已取消');
  });
});
