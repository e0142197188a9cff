/**
 * Names of people in free text (outcomes, notes) that reach the public or other residents:
 * "已联系报告人王小明", "摊主李四已自行搬离", "王先生". A name cannot be recognised on its own in
 * Chinese, so three things are caught: the names the record itself knows (the reporter's), a
 * surname and given name right after a word for a person (报告人, 摊主, 店主, 业主, 车主, …),
 * and a surname before a form of address (先生, 女士, 师傅, …). Names already written in the
 * anonymised form (张某, 李某某) are left as they are.
 */

export const NAME_PLACEHOLDER = '[姓名已隐去]';

// Words after which a name follows in enforcement records. Longer forms first (the regex takes
// the first alternative that matches).
const PERSON_WORDS = [
  '法定代表人',
  '报告人',
  '举报人',
  '投诉人',
  '反映人',
  '来电人',
  '求助人',
  '联系人',
  '当事人',
  '行为人',
  '违法人',
  '承租人',
  '负责人',
  '经营者',
  '经营户',
  '老板娘',
  '驾驶员',
  '摊主',
  '摊贩',
  '店主',
  '店长',
  '业主',
  '户主',
  '房主',
  '房东',
  '租户',
  '车主',
  '司机',
  '住户',
  '居民',
  '市民',
  '村民',
  '商户',
  '老板',
  '师傅',
  '法人',
  '姓名',
];

// Forms of address after a surname (王先生, 李小红女士, 张师傅).
const ADDRESS_WORDS = ['先生', '女士', '小姐', '师傅', '老板', '阿姨', '大爷', '大妈', '大姐', '同志'];

const COMPOUND_SURNAMES = [
  '欧阳',
  '司马',
  '上官',
  '诸葛',
  '东方',
  '皇甫',
  '尉迟',
  '公孙',
  '慕容',
  '令狐',
  '宇文',
  '长孙',
  '夏侯',
  '轩辕',
  '端木',
  '独孤',
  '南宫',
  '西门',
];

// Common single-character surnames. Left out on purpose: those that are far more often an
// ordinary word right after a person word (车主车辆, 居民楼, 居民小区, 业主方, 当事人应当,
// 居民安全, 住户常年, 当事人解释 …); a name with such a surname after a person word is missed,
// a sentence is never garbled.
const SURNAMES = new Set(
  [
    ...'王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤温康施牛樊葛邢齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿兰焦俞左柳甘祝包宁尚符舒阮柯纪梅童凌毕季裴霍涂苗谷盛曲翁冉骆蓝游辛靳柴蒙鲍喻祁蒲滕屈饶牟艾尤阳穆农卓吉缪简项连芦麦褚娄窦戚岑景宫费卜冷晏席卫米柏宗瞿桂佟臧闵苟邬边卞姬仇栾隋刁沙荣巫寇桑郎甄丛仲虞敖巩佘池苑迟邝封谈匡鞠惠荆冀郁胥班储栗燕楚鄢劳谌奚皮粟冼蔺盖练',
  ].filter((ch) => !'方安常楼路车明全原成时商单关文解应党管区'.includes(ch)),
);

// Characters that end a name rather than continue it: function words, verbs and time words that
// follow a name in a record (李四已搬离, 王五称, 于当日). 某 keeps 张某/李某某 as written.
const NOT_FIRST_GIVEN = new Set([
  ...'已未在于将把被对与和及等的了也都均称说表同承拒签现当因经并再又还所让请要会不没无有是为到来去处进反投举擅私占摆某电手联今昨日月年时上下次本此该其他她们从向由给跟自主方度号拨',
]);
const NOT_SECOND_GIVEN = new Set([...NOT_FIRST_GIVEN, ...'家店摊车门户楼讲证先女小师老阿大同']);

// A candidate followed by one of these is a place (唐家墩街道, 万松园路, 黄鹤楼), not a person.
const PLACE_SUFFIX =
  /^(?:街道|路|街|大道|小区|社区|村|巷|广场|公园|花园|大厦|商场|市场|中心|桥|湖|园|里|片区|楼(?![上下道])|城|庙|岗|庄|湾|墩|坊|院(?![内子]))/;

// Ordinary words that begin with a surname character and often follow a person word
// (业主高度重视, 店主周边, 当事人金额). Not exhaustive: a miss here over-redacts, never leaks.
const ORDINARY_WORDS = new Set(
  '高度 马上 周边 周围 范围 金额 陈述 付款 石材 许可 程序 严重 余下 余款 江边 夏季 白天 雷雨 钱包 叶子 万元 于是 向前 何时 何处 姜汤 卢布 汤水 施工 温度 易燃 宫殿 费用 冷饮 席位 桂花 边上 边的 郁闷 苗木 谷物 蒙古 龙头 黎明 齐全 康复 伍佰 包装 包括 包子 毛巾 孔洞 孟冬 鲁莽 燕子 楚天 甘蔗 柯基 乔迁 宁可 尚未 童车 梅雨 凌晨 毕竟 季度 霍乱 曲尺 蓝色 蓝天 游客 游戏 辛苦 柴油 屈服 艾草 尤其 阳台 阳光 穆斯 卓越 吉祥 简易 项目 连续 连日 芦苇 麦子 戚属 景观 卫生 米面 柏油 宗教 栾树 姬松 仇视 沙子 沙石 荣誉 寇丹 桑叶 郎中 丛林 虞美 敖包 巩固 池塘 迟迟 封闭 谈话 匡正 惠民 荆棘 冀望 储物 栗子 燕窝 劳动 奚落 皮革 粟米 盖子 练习 黄色 黄沙 白色 黑色 金属 石头 杨树 柳树 林地 田地 江面 任意 任何 任务 付清 肖像 华丽 余额 汪汪 钟点 罗列 谢谢 宋体 曹操 彭湃 程度 潘多 苏醒'.split(
    ' ',
  ),
);

const HAN = /^[\u4e00-\u9fa5]$/;

function startsWithAny(text: string, at: number, words: readonly string[]): boolean {
  return words.some((w) => text.startsWith(w, at));
}

function surnameAt(text: string, at: number): number {
  const compound = COMPOUND_SURNAMES.find((s) => text.startsWith(s, at));
  if (compound) return compound.length;
  return SURNAMES.has(text.charAt(at)) ? 1 : 0;
}

/**
 * The length of a name (surname and up to two given characters) starting at `at`, or 0.
 * A surname alone counts only before a form of address (王先生).
 */
function nameLengthAt(text: string, at: number): number {
  const s = surnameAt(text, at);
  if (!s || ORDINARY_WORDS.has(text.slice(at, at + 2))) return 0;
  let end = at + s;
  for (const stop of [NOT_FIRST_GIVEN, NOT_SECOND_GIVEN]) {
    const ch = text.charAt(end);
    if (!HAN.test(ch) || stop.has(ch) || startsWithAny(text, end, ADDRESS_WORDS)) break;
    end += 1;
    // 江汉路, 罗家庄: part of a place name.
    if (PLACE_SUFFIX.test(text.slice(end))) return 0;
  }
  if (end === at + s && !startsWithAny(text, end, ADDRESS_WORDS)) return 0;
  if (PLACE_SUFFIX.test(text.slice(end))) return 0;
  return end - at;
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const PERSON_WORD = new RegExp(`(?:${PERSON_WORDS.map(escape).join('|')})[:：]?\\s?`, 'g');
const ADDRESS_WORD = new RegExp(ADDRESS_WORDS.map(escape).join('|'), 'g');
// Prepositions that are also surnames: 向王先生 is "to Mr Wang", not Mr Xiang Wang.
const PREPOSITIONS = new Set([...'向于和与同经被由对给跟']);

/** Spans [start, end) of names after person words and before forms of address. */
function nameSpans(text: string): Array<[number, number]> {
  const spans: Array<[number, number]> = [];
  for (const m of text.matchAll(PERSON_WORD)) {
    const at = m.index + m[0].length;
    const len = nameLengthAt(text, at);
    if (len) spans.push([at, at + len]);
  }
  for (const m of text.matchAll(ADDRESS_WORD)) {
    // The longest name ending right before the form of address, preferring one that does not
    // start with a preposition.
    let best = 0;
    for (let len = 3; len >= 1; len--) {
      const at = m.index - len;
      if (at < 0 || nameLengthAt(text, at) !== len) continue;
      if (!best || (PREPOSITIONS.has(text.charAt(m.index - best)) && !PREPOSITIONS.has(text.charAt(at)))) best = len;
    }
    if (best) spans.push([m.index - best, m.index]);
  }
  return spans;
}

// Display names given when a person gave none (db/identity-store.ts, db/demo-identities.ts): labels,
// not names, and redacting them would garble every "居民反映…".
const GENERIC_NAMES = new Set([
  '居民',
  '网页居民',
  '市民',
  '群众',
  '用户',
  '匿名',
  '匿名用户',
  '游客',
  '访客',
  ...PERSON_WORDS,
]);

/** Known names (the reporter's display name from the record): long enough to be unambiguous. */
function knownNameSpans(text: string, names: readonly string[]): Array<[number, number]> {
  const spans: Array<[number, number]> = [];
  for (const raw of names) {
    const name = raw.trim();
    // One character (or two Latin letters) would wipe out ordinary words.
    if ([...name].length < 2 || (/^[\x20-\x7e]+$/.test(name) && name.length < 3)) continue;
    if (GENERIC_NAMES.has(name)) continue;
    const latin = /^[\x20-\x7e]+$/.test(name);
    const re = new RegExp(latin ? `(?<![A-Za-z0-9])${escape(name)}(?![A-Za-z0-9])` : escape(name), latin ? 'gi' : 'g');
    for (const m of text.matchAll(re)) spans.push([m.index, m.index + m[0].length]);
  }
  return spans;
}

/** Replaces every name found with {@link NAME_PLACEHOLDER}; overlapping finds become one. */
export function redactNames(text: string, knownNames: readonly string[] = []): string {
  const spans = [...knownNameSpans(text, knownNames), ...nameSpans(text)].sort((a, b) => a[0] - b[0] || b[1] - a[1]);
  let out = '';
  let pos = 0;
  for (const [start, end] of spans) {
    if (end <= pos) continue;
    out += text.slice(pos, Math.max(pos, start));
    if (start >= pos) out += NAME_PLACEHOLDER;
    pos = end;
  }
  return out + text.slice(pos);
}
