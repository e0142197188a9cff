import { describe, expect, it } from 'vitest';
import { createBundledJurisdiction } from '../../config/jurisdiction-data-file.ts';
import { loadPowerListFileSync } from '../../config/power-list-file.ts';
import { defaultPowerListPath } from '../../config/power-list-file.ts';
import { createRouter } from './router.ts';

interface Example {
  text: string;
  reporter?: 'resident' | 'inspector';
  handling: string[];
  post?: string[];
  department?: string[];
  urgent?: boolean;
}

/**
 * Reports written for development, not taken from the evaluation file, labelled by the policy table
 * of the evaluation README. Where two readings are defensible both are accepted.
 */
const EXAMPLES: Example[] = [
  {
    text: '巡查发现：地铁站C出口有流动摊点售卖手机壳、数据线，已劝离。',
    reporter: 'inspector',
    handling: ['street'],
    post: ['市容市政'],
  },
  { text: '沿街那几家建材店把货全摆在店门外面的人行道上', handling: ['street'], post: ['门前三包', '市容市政'] },
  { text: '对面那家服装店装修 把原来的门脸全拆了 换成大玻璃 整个外观都变了', handling: ['street'], post: ['房屋建筑'] },
  { text: '垃圾站好几天没清运了 垃圾堆成小山 下雨还往外流黑水', handling: ['street'], post: ['环境卫生'] },
  { text: '那种三轮摩托在小区门口拉人 两块钱一位 挤得满满的', handling: ['street'], post: ['交通运输'] },
  { text: '路边那几棵梧桐树的树皮被人剥掉了一大圈', handling: ['street'], post: ['园林环保'] },
  { text: '刚才在公交上看到有人偷手机', handling: ['department'], department: ['公安'] },
  {
    text: '那个卖烤红薯的老头子天天把炉子摆在公交站牌底下 等车的人都没地方站',
    handling: ['street'],
    post: ['市容市政'],
  },
  { text: '我家楼下的人把院子用砖墙围起来 还在里面搭了个二层的铁皮房', handling: ['street'], post: ['查违景观'] },
  { text: '那家小面馆用的是液化气 就放在收银台旁边 离灶台不到一米', handling: ['street'], post: ['燃气安全'] },
  { text: '小区门口电动车到处乱放 快递员的三轮车也停在人行道上', handling: ['street'], post: ['交通运输', '市容市政'] },
  { text: '投诉你们的执法人员 收了东西也不给开单子 还说我再摆就抓我', handling: ['district'], post: ['市容市政'] },
  { text: '小区的公共维修资金怎么查 物业说用完了', handling: ['department'], department: ['住房'] },
  {
    text: '一进单元门就闻到一股很冲的燃气味 不知道是哪家的',
    handling: ['department'],
    department: ['燃气企业', '消防救援'],
    urgent: true,
  },
  { text: '小区外墙被人用喷漆写满了收房 收车的电话 整面墙都花了', handling: ['street'], post: ['市容市政'] },
  { text: '顶楼那户在楼顶盖了一个房子 还接了水电 租给别人住', handling: ['street'], post: ['查违景观', '房屋建筑'] },
  { text: '菜场门口那几个开电动三轮的 专门拉买菜的老人 一次五块', handling: ['street'], post: ['交通运输'] },
  { text: '同一个老板在好几个街道都开了黑气点 给饭店送没检验的气罐', handling: ['district'], post: ['燃气安全'] },
  { text: '附近电镀厂的废水直接排到了沟里 水都是绿的', handling: ['department'], department: ['生态环境'] },
  {
    text: '楼顶的太阳能热水器被风吹得快掉下来了 下面是小区的路',
    handling: ['street', 'department'],
    post: ['房屋建筑', '查违景观', '市容市政'],
    department: ['消防救援', '住房'],
    urgent: true,
  },
  { text: '菜馆的门口摆了两个大水缸养鱼 还在人行道上杀', handling: ['street'], post: ['门前三包', '市容市政'] },
  { text: '出租车司机不让我上车 说要交班了', handling: ['street'], post: ['交通运输'] },
  { text: '有人把小区绿化带的草皮挖走了 铺到自己家院子里', handling: ['street'], post: ['园林环保'] },
  {
    text: '区里能不能管管 这个烧烤夜市从我们街道摆到隔壁街道 好几百米',
    handling: ['district'],
    post: ['市容市政', '园林环保'],
  },
  { text: '外卖小哥骑车逆行闯红灯 好几次差点撞到人', handling: ['department'], department: ['公安交管'] },
  { text: '楼下车库着火了 浓烟往楼上冒', handling: ['department'], department: ['消防救援'], urgent: true },
  {
    text: '网格员上报：某小区南门外人行道有占道摆卖水果摊点2处，经多次劝导仍反复出摊。',
    reporter: 'inspector',
    handling: ['street'],
    post: ['市容市政'],
  },
  {
    text: '巡查发现：某小区楼顶有人新搭建彩钢棚一处，约40平方米，已责令停止施工。',
    reporter: 'inspector',
    handling: ['street'],
    post: ['查违景观', '房屋建筑'],
  },
  {
    text: '巡查发现：某单位擅自修剪行道树，截干严重，已责令停止。',
    reporter: 'inspector',
    handling: ['street'],
    post: ['园林环保'],
  },
  {
    text: '巡查发现：某小区消防通道被杂物堵塞，已通知物业清理并报消防部门。',
    reporter: 'inspector',
    handling: ['department'],
    department: ['消防救援'],
  },
  {
    text: '巡查发现：有居民反映执法队员在执法过程中态度粗暴，已记录，建议区局核查。',
    reporter: 'inspector',
    handling: ['district'],
    post: ['市容市政'],
  },
  { text: '巡查发现：今日辖区内无新增违法建设，各点位正常。', reporter: 'inspector', handling: ['none'] },
  { text: '工地大门口的路面被进出的车子带得全是黄泥', handling: ['street'], post: ['环境卫生'] },
  {
    text: '刚才路边的围墙突然倒了 砸到了一辆电动车',
    handling: ['department', 'street'],
    post: ['房屋建筑', '查违景观'],
    department: ['住房', '消防救援'],
    urgent: true,
  },
  { text: '小区消防通道上停满了车 要是起火了消防车根本进不来', handling: ['department'], department: ['消防救援'] },
  { text: '早上好', handling: ['none'] },
];

const router = createRouter({
  powerList: loadPowerListFileSync(defaultPowerListPath()),
  jurisdiction: createBundledJurisdiction(),
});

describe('held-out style reports', () => {
  it.each(EXAMPLES.map((e) => [e.text, e] as const))('%s', (_text, e) => {
    const d = router.route({ text: e.text, reporter: e.reporter ?? 'resident' });
    expect(e.handling).toContain(d.handling);
    if (d.handling === 'street' || d.handling === 'district') expect(e.post ?? [null]).toContain(d.post);
    if (d.handling === 'department') expect(e.department).toContain(d.department);
    expect(d.urgent).toBe(e.urgent ?? false);
  });
});
