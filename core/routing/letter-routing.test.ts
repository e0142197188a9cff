import { describe, expect, it } from 'vitest';
import { createBundledJurisdiction } from '../../config/jurisdiction-data-file.ts';
import { loadPowerListFileSync } from '../../config/power-list-file.ts';
import { defaultPowerListPath } from '../../config/power-list-file.ts';
import { createRouter } from './router.ts';

const router = createRouter({
  powerList: loadPowerListFileSync(defaultPowerListPath()),
  jurisdiction: createBundledJurisdiction(),
});
const letter = (title: string, text: string) => router.route({ title, text });

// Letters written for these tests in the shape of 12345 / 市长信箱 letters; not taken from any eval file.
describe('matters of other government bodies', () => {
  const cases: Array<[string, string, string]> = [
    [
      '社区医院给老人重复开检查单',
      '尊敬的领导：您好！我母亲在某社区卫生服务中心看病，一个月内被要求做了三次同样的抽血检查，费用全部自费，医生态度也很差。希望卫生部门管一管。谢谢！',
      '卫健',
    ],
    [
      '异地就医报销一直办不下来',
      '领导好：我父亲在外地住院三个月，回来申请医保报销，经办窗口让我们来回跑了五趟还没办好，请问到底需要什么材料？',
      '医保',
    ],
    [
      '某村变压器老化，夏天天天停电',
      '书记您好！我们村的电压一到晚上就很低，空调开不起来，这个月已经停电七八次了，供电所说要等线路改造，请领导关心一下。',
      '供电',
    ],
    [
      '某小学强制家长购买指定校服和教辅',
      '尊敬的教育局领导：某小学开学要求每个学生交八百元买指定的教辅资料，还说不买就分到差的班，家长们敢怒不敢言。',
      '教育',
    ],
    [
      '村里征地补偿款迟迟不发',
      '您好！我们组的土地去年被征收，征地补偿款到现在一分都没发到村民手里，村干部说还在走程序，我们想知道钱去哪了。',
      '征收',
    ],
  ];
  it.each(cases)('%s → department %s, never a street team', (title, text, body) => {
    const d = letter(title, text);
    expect(d.handling).toBe('department');
    expect(d.department).toBe(body);
    // The resident reads first where to turn.
    expect(d.reasons[0]).toContain('请向');
    expect(d.reasons[0]).toContain('12345');
  });
});

describe('title and body weighed as an official reads them', () => {
  it('files the letter under the matter of its title, not the side remarks of the body', () => {
    const d = letter(
      '某小区楼下烧烤店油烟直排扰民',
      '尊敬的领导：您好！我是某小区3栋的业主。楼下新开的烧烤店没有装油烟净化器，每天傍晚油烟直接往楼上飘，家里不敢开窗。' +
        '另外小区物业管理也很差，停车位不够，电梯也经常坏，物业费还涨了。恳请领导重视，谢谢！',
    );
    expect(d.handling).toBe('street');
    expect(d.post).toBe('园林环保');
  });

  it.each([
    [
      '某小区一楼住户违章搭建阳光房',
      '尊敬的领导：您好！我们小区问题很多：物业公司服务差，物业费年年涨，停车费也乱收，电梯经常坏，楼道灯不亮，业委会也不管事。最近一楼住户又在院子里违章搭建了一间阳光房，挡住了楼上的采光。恳请领导重视！',
      '查违景观',
    ],
    [
      '某路烧烤摊油烟扰民',
      '领导好：我们小区物业不作为，小区里电动车乱停，充电桩不够，物业费还乱收，业委会也成立不起来。小区外面某路口每晚有烧烤摊油烟很大。希望处理。',
      '园林环保',
    ],
    [
      '某小区门口流动摊贩占道',
      '尊敬的领导：我们小区物业管理混乱，物业公司收了物业费不办事，停车费乱收，垃圾也不清运，电梯经常坏。小区门口每天早上还有流动摊贩。',
      '市容市政',
    ],
  ])('the title %s outweighs a body full of other complaints', (title, text, post) => {
    const d = letter(title, text);
    expect(d.handling).toBe('street');
    expect(d.post).toBe(post);
  });

  it('ignores greetings and thanks: a letter full of courtesy still reports its problem', () => {
    const d = letter(
      '某路人行道被饭店桌椅占满',
      '尊敬的市长：您好！首先感谢您在百忙之中阅读我的来信。某路两家饭店每晚把桌椅摆到人行道上，行人只能走机动车道。再次感谢！此致敬礼',
    );
    expect(d.handling).toBe('street');
    expect(['门前三包', '市容市政']).toContain(d.post);
  });

  it('a phone number left for the reply does not make a letter an advert', () => {
    const d = letter(
      '某路口违章搭建的板房占了人行道',
      '某路口有人用彩钢板搭了一间板房，占了半条人行道，已经三个月了。我的联系电话13912345678，身份证号码42010319800101****。',
    );
    expect(d.handling).toBe('street');
    expect(d.post).toBe('查违景观');
  });

  it('does not send a letter to the district bureau for words it uses in passing (投诉, 多次, 街道)', () => {
    const d = letter(
      '某街道某路夜宵店油烟扰民',
      '我们多次打电话投诉，某街道某路的几家夜宵店每天排油烟到凌晨，油烟直排进居民家，希望相关部门尽快处理。',
    );
    expect(d.handling).toBe('street');
    expect(d.post).toBe('园林环保');
  });
});

describe('several matters', () => {
  it('routes the main matter and notes the others for the handler', () => {
    const d = letter(
      '某小区门口占道经营问题',
      '领导好：我们小区有几个问题：1、小区门口每天早上十几个流动摊贩占道经营，堵得车进不去；2、小区里有业主在楼顶违章搭建了一间铁皮房；3、物业公司乱收停车费。请相关部门处理。',
    );
    expect(d.handling).toBe('street');
    expect(d.post).toBe('市容市政');
    const noted = d.reasons.find((r) => r.startsWith('来信还反映了其他事项'));
    expect(noted).toBeDefined();
    expect(noted).toContain('查违景观');
  });
});

describe('suggestions and policy questions', () => {
  it('answers a suggestion as a suggestion, naming the power-list item it touches', () => {
    const d = letter(
      '关于在老城区多设几处便民早餐点的建议',
      '尊敬的领导：现在老城区早上买早点不方便，流动早餐摊又影响市容，建议在社区里规划几处固定的便民早餐点，既方便居民也好管理。',
    );
    expect(d.handling).toBe('none');
    expect(d.urgent).toBe(false);
    expect(d.reasons[0]).toContain('意见建议');
    expect(d.reasons[0]).toMatch(/相关清单事项：[A-Z]{2}-/);
  });

  it('answers a policy question as such', () => {
    const d = letter(
      '咨询临街门面装修需要办哪些手续',
      '您好，我在某路租了一个临街门面，想重新装修门头和招牌，请问需要到哪些部门办理什么手续？',
    );
    expect(d.handling).toBe('none');
    expect(d.reasons[0]).toContain('咨询');
  });

  it('a question about another body’s policy names the body to ask', () => {
    const d = letter(
      '咨询异地就医报销需要哪些材料',
      '您好，我母亲在外省住院，回来后医保报销需要准备哪些材料？在哪里办理？',
    );
    expect(d.handling).toBe('none');
    expect(d.reasons[0]).toContain('区医疗保障局');
  });

  it('an objection to a planned facility is an opinion on the plan, not a rubbish complaint', () => {
    const d = letter(
      '反对在某小区围墙边新建垃圾转运站',
      '听说区里要在我们小区围墙边建一个垃圾转运站，离住户不到二十米，大家都很担心以后的臭味和蚊蝇，希望重新选址。',
    );
    expect(d.handling).toBe('none');
  });

  it('a suggestion whose title names a problem on site is still handled', () => {
    const d = letter(
      '建议整治某路夜宵摊占道经营',
      '某路每晚有十几个夜宵摊摆到马路上，油烟大，垃圾遍地，建议城管加强管理。',
    );
    expect(d.handling).toBe('street');
  });
});

describe('commercial noise', () => {
  it('bar music and restaurant fans go to the street 园林环保 post, people noise to 公安', () => {
    expect(letter('楼下酒吧音乐声扰民', '楼下酒吧每晚音乐声震耳欲聋，一直到凌晨两点，整栋楼都睡不着。').post).toBe(
      '园林环保',
    );
    expect(letter('饭店抽风机噪音扰民', '某路一家饭店的大型抽风机正对着居民楼，从早到晚轰鸣。').post).toBe('园林环保');
    const mahjong = letter('楼下麻将馆扰民', '楼下住户开了个麻将馆，每晚打麻将吵到凌晨三点。');
    expect(mahjong.handling).toBe('department');
    expect(mahjong.department).toBe('公安');
  });
});

describe('danger in letters', () => {
  it('flags a letter whose danger is now', () => {
    const d = letter(
      '某小区外墙瓷砖大面积松动，随时可能掉落砸人',
      '尊敬的领导：某小区5栋外墙瓷砖这几天大面积松动，已经掉了几块在小区主路上，下面每天都有老人小孩经过，物业只拉了一根绳子。恳请尽快处理！',
    );
    expect(d.urgent).toBe(true);
    expect(d.urgentAdvice).toBeTruthy();
  });

  it('does not flag a letter that recounts past events and worries', () => {
    const d = letter(
      '某小区物业管理混乱，消防设施形同虚设',
      '尊敬的领导：2019年3月小区7栋发生过一次火灾，业主多次被困电梯，一旦发生火灾后果不堪设想。现在小区灭火器过期，消防通道被物业出租做停车位，恳请相关部门督促整改。',
    );
    expect(d.urgent).toBe(false);
  });
});

describe('chat reports are unchanged', () => {
  it('a short chat message without a title is not read as a letter', () => {
    const d = router.route({ text: '你好，小区门口又有人在摆摊卖水果' });
    expect(d.handling).toBe('street');
    expect(d.post).toBe('市容市政');
  });
});
