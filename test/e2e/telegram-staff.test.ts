// Staff in Telegram: an inspector's patrol with findings (one settled on the spot, one a case),
// and the team lead accepting and resolving that case with an album of photos.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTelegramHarness, type TelegramHarness } from '../helpers/telegram-harness.ts';
import type { EmulatedUser } from '../helpers/telegram-emulator-user.ts';
import { jpeg } from '../helpers/test-images.ts';

let h: TelegramHarness;
let inspector: EmulatedUser;
let lead: EmulatedUser;
let caseNumber = '';

beforeAll(async () => {
  h = await createTelegramHarness();
  inspector = await h.staffUser(3001, 'inspector', { street: '花楼水塔街道', name: '李巡查' });
  lead = await h.staffUser(3002, 'team_lead', { street: '花楼水塔街道', name: '王队长' });
});
afterAll(async () => h?.close());

describe('Telegram: an inspector on patrol', () => {
  it('starts a patrol, settles one finding on the spot and opens a case for another, then ends it', async () => {
    await inspector.send('/patrol');
    await inspector.expect('巡查开始');

    // A photo sent as a file keeps its EXIF: the GPS in it is the finding's location.
    const photo = await jpeg(640, 480, { takenAt: '2026:11:30 09:15:00', lat: 30.5795, lng: 114.2869 });
    await inspector.sendPhoto(photo, {
      asDocument: { mime: 'image/jpeg', name: 'IMG_2041.JPG' },
      caption: '人行道上有流动摊贩占道经营',
    });
    await inspector.expect('巡查发现已记录');
    await inspector.press('已劝导整改');
    await inspector.expect('现场劝导整改');

    await inspector.send('路边有人乱倒建筑垃圾，堆了一大堆');
    await inspector.expect('请补充位置');
    await inspector.sendVenue(30.5823, 114.2842, '花楼街', '江汉区花楼街45号');
    await inspector.expect('巡查发现已记录');
    await inspector.press('需执法');
    const submitted = await inspector.expect('提交成功');
    caseNumber = /JH-\d{8}-\d{4}/.exec(submitted.text!)![0];
    await lead.expect(caseNumber);

    await inspector.send('/patrol');
    // The day's 巡查日报 goes out once in the evening (test/integration/patrol-day.test.ts), not per /patrol.
    expect((await inspector.expect('巡查结束')).text).toContain('本次发现问题 2 处');

    const findings = await h.db.patrolFinding.findMany({ orderBy: { id: 'asc' }, include: { attachments: true } });
    expect(findings.map((f) => f.outcome)).toEqual(['settled', 'case']);
    const evidence = findings[0]!.attachments[0]!;
    expect(evidence.exifLat).toBeCloseTo(30.5795, 3);
    expect(evidence.exifTakenAt?.toISOString()).toBe('2026-11-30T01:15:00.000Z'); // 09:15 in Wuhan
    expect(evidence.mime).toBe('image/jpeg');
    expect(evidence.sha256).toMatch(/^[0-9a-f]{64}$/);
  });
});

describe('Telegram: a team lead', () => {
  it('accepts the case and resolves it with an album of photos', async () => {
    await lead.press('接单');
    await lead.expect('已接单');
    await lead.press('办结');
    await lead.expect('处置结果');
    await lead.send('已清运建筑垃圾，并责令当事人不得再倾倒');
    await lead.expect('照片');
    await lead.sendAlbum([await jpeg(320, 240), await jpeg(300, 200), await jpeg(200, 300)], '清运后现场');
    const added = await lead.expect('已收到 3 张照片');
    expect(lead.messages().filter((m) => m.text?.includes('张照片'))).toEqual([added]); // one answer for the album
    await lead.press('下一步');
    await lead.expect('处置方式');
    await lead.press('服务（劝导）');
    await lead.expect('已办结');
    await inspector.expect('已办结');

    const c = await h.db.case.findUniqueOrThrow({ where: { number: caseNumber }, include: { attachments: true } });
    expect(c.status).toBe('resolved');
    const resolved = await h.db.caseEvent.findFirstOrThrow({
      where: { caseId: c.id, type: 'resolved' },
      include: { attachments: true },
    });
    expect(resolved.attachments).toHaveLength(3);
    expect(h.emu.callbackIds.filter((id) => !h.emu.answered.has(id))).toEqual([]);
  });
});

describe('Telegram: every case a card', () => {
  it('acts on an older push, and /queue answers with one card per case, each with its own buttons', async () => {
    const resident = await h.db.person.create({ data: { displayName: '居民', role: 'resident' } });
    const submit = async (text: string, lat: number) => {
      const r = await h.domain.reports.submit({
        text,
        lat,
        lng: 114.2842,
        address: '江汉区花楼街',
        channel: 'web',
        reporter: { personId: resident.id, role: 'resident' },
      });
      if (r.kind !== 'created') throw new Error(`not filed: ${r.kind}`);
      return r.case.number;
    };
    const older = await submit('花楼街上有人占道摆摊卖水果，行人过不去', 30.5823);
    const newer = await submit('花楼街路边有人乱堆建筑垃圾，堆了一大堆', 30.583);
    await lead.expect(`【新案件】${older}`);
    await lead.expect(`【新案件】${newer}`);
    await lead.press('接单', older);
    await lead.expect(`已接单：案件 ${older}`);
    const states = await h.db.case.findMany({ where: { number: { in: [older, newer] } }, orderBy: { id: 'asc' } });
    expect(states.map((c) => c.status)).toEqual(['accepted', 'dispatched']);

    await lead.send('/queue');
    await lead.expect('待办案件');
    const card = await lead.expect(newer);
    const buttons = card.reply_markup?.inline_keyboard?.flat() ?? [];
    expect(buttons.map((b) => b.text)).toContain('接单');
    const id = states[1]!.id;
    for (const b of buttons) expect(b.callback_data.endsWith(`:${id}`)).toBe(true);
  });
});
