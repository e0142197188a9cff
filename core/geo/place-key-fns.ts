import { normaliseText } from './text-matcher-fns.ts';

/*
 * Place phrases a report names that the gazetteer may not know: residential compounds
 * (…小区, …花园, …里), buildings (…大厦) and road + house number (新华路218号). They are the
 * keys under which staff corrections are remembered, so a later report naming the same
 * place lands in the street staff confirmed. Extraction is deliberately conservative: a
 * phrase whose name part cannot be told from the words around it is left out, because a
 * wrong key would carry one correction onto unrelated reports.
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
  '商场',
  '市场',
  '苑',
  '里',
];

/** Words that end the name part when reading backwards from a suffix (楼下邻居在|香江花园). */
const STOP_WORDS = [
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
  '对面',
  '旁边',
  '附近',
  '门口',
  '楼下',
  '里面',
  '这个',
  '那个',
  '一个',
  '我们',
  '我家',
  '位于',
  '地址',
  '武汉市',
  '江汉区',
  '汉口',
];

/** Name parts that are not names (这个小区, 老小区). */
const NOT_NAMES = new Set([
  '这',
  '那',
  '某',
  '该',
  '本',
  '老',
  '新',
  '小',
  '大',
  '我',
  '你',
  '他',
  '个',
  '各',
  '周边',
  '附近',
  '整个',
]);

/** 里 and 苑 end ordinary words too (院子里, 小区里面): their name part must look like a lane's name. */
const SHORT_SUFFIXES = new Set(['里', '苑']);
const NOT_LANE_END = /[子家区院楼店屋房间场园道路街巷口上下里内外边头门室厅号]$/;
const NOT_AFTER_LANE = /[面头边外内的]/;

function acceptable(name: string, suffix: string, next: string | undefined): boolean {
  if (name.length < 2 || NOT_NAMES.has(name)) return false;
  if (!SHORT_SUFFIXES.has(suffix)) return true;
  if (name.length > 4 || NOT_LANE_END.test(name) || PLACE_SUFFIXES.some((s) => name.endsWith(s))) return false;
  return next === undefined || !NOT_AFTER_LANE.test(next);
}

const CJK_OR_ALNUM = /[\u4e00-\u9fa5a-z0-9]/;
const MAX_NAME = 8;

function nameBefore(norm: string, end: number): string {
  let start = end;
  while (start > 0 && end - start < MAX_NAME && CJK_OR_ALNUM.test(norm[start - 1]!)) start--;
  let name = norm.slice(start, end);
  // Cut at the last stop word: what follows it is the name.
  for (const w of STOP_WORDS) {
    const at = name.lastIndexOf(w);
    if (at >= 0) name = name.slice(at + w.length);
  }
  return name;
}

export interface RoadNumber {
  /** The road as written, e.g. '新华路'. */
  road: string;
  number: number;
}

/** 新华路218号, 解放大道1088号 (the road part is at most six characters before 路/街/巷/大道). */
const ROAD_NUMBER = /([\u4e00-\u9fa5]{1,8}?(?:大道|路|街|巷))(\d{1,5})号/g;

export function roadNumbersIn(text: string): RoadNumber[] {
  const norm = normaliseText(text ?? '');
  const out: RoadNumber[] = [];
  for (const m of norm.matchAll(ROAD_NUMBER)) {
    const road = nameBefore(m[1]!, m[1]!.length);
    if (road.length < 2) continue;
    out.push({ road, number: Number(m[2]) });
  }
  return out;
}

/**
 * Normalised keys of the specific places a text names: compound and building names
 * (香江花园, 同济里) and road + house number (新华路218号). Deduplicated, in text order.
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
    if (acceptable(name, suffix, norm[i + suffix.length])) push(name + suffix);
    i += suffix.length - 1;
  }
  return keys;
}
