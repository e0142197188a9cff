// Nearby before filing: a resident who pins a problem that is already reported close by is
// offered the open case of the same matter (the duplicate rule's radius) to follow (关注);
// following files nothing, and the follower gets the case's pushes from then on.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { wgs84ToGcj02 } from '../../core/geo/coord-transform-fns.ts';
import { createChatHarness, pushButton, type ChatHarness, type ChatUser } from '../helpers/chat-harness.ts';

const STALL = '人行道上有人摆摊卖烤红薯，把路都占了';
const HERE = { lat: 30.5942, lng: 114.2359 };
let h: ChatHarness;
let lead: ChatUser;
let first = '';

beforeAll(async () => {
  h = await createChatHarness();
  lead = await h.staffUser('lead-ws', 'team_lead', { street: '万松街道', name: '万队长' });
  const a = h.user('reporter-a');
  await a.send({ text: STALL, location: { ...HERE, crs: 'wgs84' } });
  first = /JH-\d{8}-\d{4}/.exec((await a.press('确认提交')).join())![0];
});
afterAll(async () => h.close());

describe('nearby open cases before filing', () => {
  it('offers the open case of the same matter nearby, and 关注 follows it without filing a new one', async () => {
    const b = h.user('reporter-b');
    const casesBefore = await h.db.case.count();
    // 40 m north, sent as WeChat does (GCJ-02): the offer compares WGS-84 with WGS-84.
    const near = wgs84ToGcj02({ lat: HERE.lat + 0.00036, lng: HERE.lng });
    const replies = await b.send({ text: STALL, location: { ...near, crs: 'gcj02' } });
    const offer = replies.find((r) => r.includes('附近约'));
    expect(offer).toContain(first);
    expect(offer).toMatch(/附近约 40 米/);
    expect(replies.join()).toContain('请确认'); // filing anyway stays possible
    expect(b.lastButtons.map((x) => x.label)).toEqual([`关注 ${first}`, '确认提交', '修改', '取消']);

    expect((await b.press(`关注 ${first}`)).join()).toContain(`已关注案件 ${first}`);
    expect(await h.db.case.count()).toBe(casesBefore);
    expect(await h.db.caseSubscriber.count({ where: { case: { number: first } } })).toBe(1); // b, the only follower
    // The draft is gone: 确认提交 on the old summary files nothing.
    expect((await b.send({ button: 'd:confirm' })).join()).not.toMatch(/提交成功/);
    expect(await h.db.case.count()).toBe(casesBefore);

    // The follower hears of the next step like the reporter does.
    const push = (await lead.pushes()).find((p) => p.text.includes(first));
    await lead.send({ button: pushButton(push, '接单') });
    expect((await b.pushes()).some((p) => p.text.includes(first))).toBe(true);
  });

  it('offers it again with each summary while it is there, and finds a case filed after a search found none', async () => {
    const e = h.user('reporter-e');
    const pinned = await e.send({ text: STALL, location: { ...HERE, crs: 'wgs84' } });
    expect(pinned.find((r) => r.includes('附近约'))).toContain(first);
    // More words complete the draft again: the summary is made again, and so is the offer.
    const more = await e.send({ text: '早晚都在' });
    expect(more.join()).toContain('请确认');
    expect(more.find((r) => r.includes('附近约'))).toContain(first);

    // Nothing nearby at the pin; a case filed there meanwhile is merged on submitting.
    const spot = { lat: HERE.lat + 0.02, lng: HERE.lng, crs: 'wgs84' as const };
    const f = h.user('reporter-f');
    expect((await f.send({ text: STALL, location: spot })).join()).not.toContain('附近约');
    const g = h.user('reporter-g');
    await g.send({ text: STALL, location: spot });
    const filed = /JH-\d{8}-\d{4}/.exec((await g.press('确认提交')).join())![0];
    await f.send({ text: '早晚都在' });
    expect((await f.press('确认提交')).join()).toContain(filed);
  });

  it('offers nothing for another matter, far away, or to the case’s own reporter', async () => {
    const c = h.user('reporter-c');
    const far = await c.send({ text: STALL, location: { lat: HERE.lat + 0.01, lng: HERE.lng, crs: 'wgs84' } });
    expect(far.join()).not.toContain('附近约');
    const d = h.user('reporter-d');
    const other = await d.send({ text: '小区门口有人乱倒建筑垃圾，堆了一大堆', location: { ...HERE, crs: 'wgs84' } });
    expect(other.join()).not.toContain('附近约');
    const a = h.user('reporter-a');
    expect((await a.send({ text: STALL, location: { ...HERE, crs: 'wgs84' } })).join()).not.toContain('附近约');
  });
});
