/** The eight field posts of 江政〔2021〕8号 (案件法制 is internal and never routed to). */
export const POSTS = [
  '市容市政',
  '门前三包',
  '房屋建筑',
  '查违景观',
  '环境卫生',
  '燃气安全',
  '交通运输',
  '园林环保',
] as const;
export type Post = (typeof POSTS)[number];

/** Departments a street refers (移送) matters to, named as in the routing evaluation contract. */
export const DEPARTMENTS = [
  '公安',
  '公安交管',
  '市场监管',
  '生态环境',
  '住房',
  '水务',
  '消防救援',
  '人社',
  '市政养护',
  '燃气企业',
] as const;
/**
 * Government bodies outside urban management and the ten departments above (hospitals, schools,
 * power supply, …). Their list items are referral entries: such a matter goes to the body, never to
 * a street team, and the resident is told where to turn. No staff account exists for them, so a
 * case routed to one waits in the street centre's triage for a person to pass it on.
 */
export const REFERRAL_BODIES = [
  '卫健',
  '医保',
  '教育',
  '文旅',
  '供电',
  '铁路',
  '通信',
  '自然资源',
  '征收',
  '农业农村',
  '公积金',
  '交通运输',
] as const;
export type ReferralBody = (typeof REFERRAL_BODIES)[number];
export type Department = (typeof DEPARTMENTS)[number] | ReferralBody;

export const LEVELS = ['street', 'district', 'department'] as const;
export type Level = (typeof LEVELS)[number];

/** "721" work method: how a matter is settled by default. */
export const MODES_721 = ['service', 'management', 'enforcement'] as const;
export type Mode721 = (typeof MODES_721)[number];

/** Deadlines count working hours (工作时间) or wall-clock hours. */
export type TimeBasis = 'working' | 'clock';

export interface PowerItem {
  /** Stable across versions, e.g. 'SR-001'. */
  code: string;
  name: string;
  level: Level;
  /** Field post for street items (required) and district items (optional). */
  post: Post | null;
  /** Department for referral items (required), null otherwise. */
  department: Department | null;
  /** Laws and regulations by name, separated by '；'. */
  legalBasis: string;
  description?: string;
  /** Words and phrasings people use; a trailing '^n' overrides the weight. */
  keywords: string[];
  /** Context words: weak evidence on their own. */
  weak?: string[];
  /** Co-occurrence in one sentence: parts joined by '+', alternatives inside a part by '|'. */
  patterns?: string[];
  /** Words that argue against this item (its score is cut when present). */
  excludes?: string[];
  responseHours: number;
  handlingHours: number;
  timeBasis: TimeBasis;
  urgent: boolean;
  mode721: Mode721;
}

export interface PowerList {
  version: string;
  title: string;
  source: string;
  note?: string;
  items: PowerItem[];
}
