import { normaliseText } from './text-matcher-fns.ts';

/*
 * Place phrases a report names that the gazetteer may not know: residential compounds
 * (…小区, …花园, …里), buildings (…大厦) and road + house number (新华路218号). They are the
 * keys under which staff corrections are remembered, so a later report naming the same
 * place lands in the street staff confirmed. Extraction is deliberately conservative: a
 * phrase whose name part cannot be told from the words around it is left out, because a
 * wrong key (导致小区, 微信里) would carry one correction onto unrelated reports.
 */

/** Endings of compound, building and estate names, longest first so 花园小区 wins over 小区. */
const PLACE_SUFFIXES = [
  '花园小区',
  '小区',
  '花园',
  '家园',
  '新村',
  '新城',
  '公寓',
  '大厦',
  '大楼',
  '广场',
  '公馆',
  '宿舍',
  '还建房',
  '苑',
  '里',
];

/**
 * Words that end the name part when reading backwards from a suffix (楼下邻居在|香江花园,
 * 江汉区|同兴里): what follows the last of them is the name. Verbs and pronouns that commonly
 * stand before 小区 in complaints are here too, so 导致小区 yields no name at all.
 */
const BOUNDARY_WORDS = [
  '在',
  '的',
  '了',
  '是',
  '到',
  '从',
  '和',
  '与',
  '及',
  '近',
  '去',
  '住',
  '我',
  '你',
  '他',
  '她',
  '这',
  '那',
  '该',
  '此',
  '本',
  '对面',
  '旁边',
  '附近',
  '门口',
  '楼下',
  '里面',
  '一个',
  '两个',
  '几个',
  '多个',
  '各个',
  '整个',
  '其他',
  '位于',
  '地址',
  '导致',
  '进入',
  '使得',
  '目前',
  '因为',
  '而且',
  '作为',
  '关于',
  '对于',
  '通过',
  '经过',
  '针对',
  '发现',
  '落实',
  '影响',
  '审查',
  '审批',
  '侵占',
  '占有',
  '入住',
  '停放于',
  '来到',
  '回到',
  '搬到',
  '插手',
  '主导',
  '搭建',
  '平息',
  '让',
  '给',
  '把',
  '被',
  '并',
  '由',
  '听',
  '就',
  '对',
  '还',
  '武汉市',
  '江汉区',
  '汉口',
  '社区',
  '街道',
  '区',
  '县',
  '镇',
  '市',
];

/** Name parts that are kinds of compound, not names (住宅小区, 安置小区, 老小区). */
const NOT_NAMES = new Set([
  '住宅',
  '安置',
  '居住',
  '居民',
  '高档',
  '保障',
  '保障住房',
  '文明',
  '全国文明',
  '商品房',
  '老旧',
  '老',
  '新',
  '小',
  '大',
  '周边',
  '业主',
  '本来',
  '万一',
  '生活',
  '示范',
  '开放性',
  '第一',
  '第二',
  '违建',
  '参考',
  '楼盘',
  '各大',
  '广大',
]);

const CJK_OR_ALNUM = /[\u4e00-\u9fa5a-z0-9]/;
const MAX_NAME = 8;

/**
 * The name in front of `end`, or null when it cannot be told: a run of more than MAX_NAME
 * characters with no boundary word in it has no known start.
 */
function nameBefore(norm: string, end: number): string | null {
  let start = end;
  while (start > 0 && end - start <= MAX_NAME && CJK_OR_ALNUM.test(norm[start - 1]!)) start--;
  let name = norm.slice(start, end);
  let bounded = start === 0 || !CJK_OR_ALNUM.test(norm[start - 1]!);
  for (const w of BOUNDARY_WORDS) {
    const at = name.lastIndexOf(w);
    if (at >= 0) {
      name = name.slice(at + w.length);
      bounded = true;
    }
  }
  return bounded && name.length <= MAX_NAME ? name : null;
}

/** 里 and 苑 end ordinary words too (院子里, 微信里): the name must look like a lane's name. */
const SHORT_SUFFIXES = new Set(['里', '苑']);
const NOT_LANE_END = /[子家区院楼店屋房间场园道路街巷口上下里内外边头门室厅号群信心梯盘村车网箱桶洞缝中]$/;
/** What follows a lane's name: 同兴里社区, 同兴里巷子, 同兴里3号, or the end of the phrase. */
const AFTER_LANE = /^(?:$|[社小巷弄号栋门附一，。,.!！?？；;、\d])/;

function acceptable(name: string | null, suffix: string, rest: string): name is string {
  if (name === null || name.length < 2 || NOT_NAMES.has(name)) return false;
  if (suffix === '广场' && rest.startsWith('舞')) return false;
  if (!SHORT_SUFFIXES.has(suffix)) return true;
  if (name.length > 4 || NOT_LANE_END.test(name) || PLACE_SUFFIXES.some((s) => name.endsWith(s))) return false;
  return AFTER_LANE.test(rest);
}

export interface RoadNumber {
  /** The road as written, e.g. '新华路'. */
  road: string;
  number: number;
}

/** 新华路218号, 解放大道1088号. */
const ROAD_NUMBER = /([\u4e00-\u9fa5]{1,9}?(?:大道|路|街|巷))(\d{1,5})号/g;

export function roadNumbersIn(text: string): RoadNumber[] {
  const norm = normaliseText(text ?? '');
  const out: RoadNumber[] = [];
  for (const m of norm.matchAll(ROAD_NUMBER)) {
    const end = m.index + m[1]!.length;
    const road = nameBefore(norm, end);
    if (road === null || road.length < 2) continue;
    out.push({ road, number: Number(m[2]) });
  }
  return out;
}

/**
 * Normalised keys of the specific places a text names: compound and building names
 * (香江花园, 同兴里) and road + house number (新华路218号). Deduplicated, in text order.
 */
export function placeKeysIn(text: string): string[] {
  const norm = normaliseText(text ?? '');
  const keys: string[] = [];
  const push = (k: string) => {
    if (!keys.includes(k)) keys.push(k);
  };
  for (const rn of roadNumbersIn(norm)) push(`${rn.road}${rn.number}号`);
  for (let i = 0; i < norm.length; i++) {
    const suffix = PLACE_SUFFIXES.find((s) => norm.startsWith(s, i));
    if (!suffix) continue;
    const name = nameBefore(norm, i);
    if (acceptable(name, suffix, norm.slice(i + suffix.length))) push(name + suffix);
    i += suffix.length - 1;
  }
  return keys;
}
