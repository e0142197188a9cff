import { describe, expect, it } from 'vitest';
import { createBundledJurisdiction } from '../../config/jurisdiction-data-file.ts';
import { loadPowerListFileSync } from '../../config/power-list-file.ts';
import { defaultPowerListPath } from '../../config/power-list-file.ts';
import { createRouter } from './router.ts';

const router = createRouter({
  powerList: loadPowerListFileSync(defaultPowerListPath()),
  jurisdiction: createBundledJurisdiction(),
});
const route = (text: string) => router.route({ text });

// Sentences written for these tests (not from any evaluation file): danger now, in the shapes people use.
const ABOUT_TO_FALL = [
  '三楼那户的空调外机支架锈蚀得厉害，外机斜着挂在墙上，下面就是进出小区的人行道',
  '菜场顶棚的彩钢瓦松动了，风一吹哗啦啦响，底下全是买菜的人',
  '路口那棵大樟树明显倾斜了，根都翘起来了，旁边就是公交站',
  '那棵枯死的梧桐树枝干快断了，挂在马路上空',
  '商场外墙的广告牌一角已经脱落，随时可能掉下来',
  '楼顶的铁皮棚被大风掀起一半，挂在檐口晃',
  '路边的电线杆被车撞歪了，斜在人行道上方',
  '外墙保温层大片剥落，一刮风就往下掉碎块',
  '雨棚上的玻璃裂了一大块，悬在门口上面',
  '小区门口的围墙开裂向外鼓，随时可能倒塌，每天很多学生从下面经过',
  '五楼窗外的晾衣架锈断了一边，吊着晃，楼下是小区的主路',
  '小学门口那块灯箱招牌松脱了，歪向人行道，孩子们放学都从底下走',
  '六楼阳台上的花盆放在栏杆外面，摇摇晃晃的，下面是人行道',
  '学校围墙被雨泡了，墙体往外歪，学生天天从旁边走',
  '店铺门头的招牌有一半已经掉下来了，吊在门口',
  '小区里那棵老槐树被风刮得歪倒在电线上了',
  '楼上空调外机的架子螺丝掉了两颗，外机在晃',
  '路边广告牌的钢架锈穿了，风一吹嘎吱嘎吱响',
  '楼顶的防水卷材被风刮起来，挂在楼边上飘',
  '马路边的行道树根部烂空了，树身往马路上倒',
  '商场顶上的玻璃幕墙裂了，碎玻璃往下掉',
];

const PERSON_IN_DANGER = [
  '有个小孩掉进湖里了，正在水里扑腾',
  '河边有人落水了，快来人',
  '公交站台有个老人突然昏倒在地上，叫不醒',
  '有人站在天台边上要往下跳',
  '地下通道积水很深，一辆车熄火困在里面，司机出不来',
  '工地有两个工人被困在塌了的沟槽里',
  '江滩上一个钓鱼的人被水冲走了',
  '地铁口有个年轻人晕倒了，脸色发白',
  '有个老太太在菜场门口摔倒了，头上流了很多血',
  '有人被电瓶车撞了躺在路中间',
  '东湖边一个人在水里喊救命',
];

// Risks, history and suggestions: handled at normal pace, not flagged.
const NOT_NOW = [
  '去年这里有块广告牌掉下来过',
  '建议对老旧小区的空调外机支架进行排查',
  '怕那棵树哪天倒下来砸到人，能不能先修剪一下',
  '楼下空调外机滴水滴到路人头上',
  '3月2日凌晨3时许小区里发生过一场大火，这场大火之后楼道一直没人清理',
  '这段河堤没有护栏，万一有人落水怎么办',
  '路边那几棵梧桐树的树皮被人剥掉了一大圈',
  '新房子交房半年，客厅墙体开裂，卫生间瓷砖脱落',
];

describe('urgent: things about to fall on people', () => {
  it.each(ABOUT_TO_FALL)('%s', (text) => {
    const d = route(text);
    expect(d.urgent).toBe(true);
    expect(d.urgentAdvice).toBeTruthy();
    expect(d.handling).not.toBe('none');
  });
});

describe('urgent: people in danger now', () => {
  it.each(PERSON_IN_DANGER)('%s', (text) => {
    const d = route(text);
    expect(d.urgent).toBe(true);
    expect(d.urgentAdvice).toMatch(/120|119|110/);
    expect(d.handling).not.toBe('none');
  });
});

describe('not urgent: risks, past events, suggestions', () => {
  it.each(NOT_NOW)('%s', (text) => {
    expect(route(text).urgent).toBe(false);
  });
});
