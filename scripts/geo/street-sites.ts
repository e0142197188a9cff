/*
 * Hand-placed sites (WGS-84) for the approximate street areas, and rough target areas.
 * Each site is where the street's communities, boundary roads or landmarks are believed
 * to be. They are estimates: move a site and rerun build-streets.ts to refine an area.
 */

export interface StreetSite {
  street: string;
  lng: number;
  lat: number;
  /** What the site stands for. */
  what: string;
}

export const SITES: StreetSite[] = [
  // Old city strip between 江岸区 (north-east, ~江汉路) and 硚口区 (south-west), down to the rivers.
  { street: '花楼水塔街道', lng: 114.287, lat: 30.5795, what: '江汉关 / 江汉关社区 (river to 鄱阳路)' },
  { street: '花楼水塔街道', lng: 114.285, lat: 30.583, what: '花楼街, between 江汉路 and 民生路' },
  { street: '花楼水塔街道', lng: 114.2815, lat: 30.5862, what: '水塔 area north of 中山大道, east of 前进四路' },
  { street: '民权街道', lng: 114.2835, lat: 30.577, what: '王家巷 by the river' },
  { street: '民权街道', lng: 114.281, lat: 30.5795, what: '民生路 middle, 打铜街, 三民' },
  { street: '民族街道', lng: 114.2795, lat: 30.5715, what: '龙王庙 at the confluence' },
  { street: '民族街道', lng: 114.2775, lat: 30.575, what: '民族路, 大董, 涂家' },
  { street: '满春街道', lng: 114.2655, lat: 30.5815, what: '长堤街 along the 硚口 boundary' },
  { street: '前进街道', lng: 114.2775, lat: 30.5848, what: 'between 前进一路 and 前进四路, 中山大道 to 京汉大道' },
  { street: '民意街道', lng: 114.274, lat: 30.585, what: '民意一路–四路, 新舞台, 天后' },
  { street: '民意街道', lng: 114.2705, lat: 30.587, what: '友谊路 side toward 京汉大道' },
  // The neck and the body.
  { street: '新华街道', lng: 114.2745, lat: 30.5895, what: '循礼门, 京汉大道 to 解放大道' },
  { street: '新华街道', lng: 114.2695, lat: 30.5932, what: '精武路, 取水楼' },
  { street: '新华街道', lng: 114.2655, lat: 30.598, what: '新华路 south of 建设大道' },
  { street: '万松街道', lng: 114.26, lat: 30.593, what: '中山公园 (公园社区)' },
  { street: '万松街道', lng: 114.253, lat: 30.594, what: '万松园路, 武广' },
  { street: '万松街道', lng: 114.245, lat: 30.592, what: '航空路 side, 白松, 电力' },
  { street: '万松街道', lng: 114.25, lat: 30.601, what: '王家墩, 机场 (south of the CBD)' },
  { street: '万松街道', lng: 114.238, lat: 30.597, what: '航侧, 凌云 (west)' },
  {
    street: '北湖街道',
    lng: 114.2615,
    lat: 30.6035,
    what: '西北湖, 德望, 妙三 (青年路–长江日报路, 建设大道–北湖西路)',
  },
  { street: '北湖街道', lng: 114.2655, lat: 30.607, what: '长江日报路28号 (office), 横堤' },
  { street: '唐家墩街道', lng: 114.2715, lat: 30.6035, what: '新村, 西桥 (south, by 江岸区)' },
  { street: '唐家墩街道', lng: 114.2745, lat: 30.611, what: '唐蔡 (三眼桥路, 发展大道)' },
  { street: '唐家墩街道', lng: 114.2665, lat: 30.6185, what: '八古墩 (north of 发展大道), 金家墩' },
  { street: '唐家墩街道', lng: 114.2575, lat: 30.6195, what: '汉口火车站, 站东, 汽运' },
  // 常青 borders 北湖 along 北湖西路 (gazetteer), between 北湖 and 发展大道, reaching west.
  { street: '常青街道', lng: 114.2555, lat: 30.6135, what: '北湖西路 north side, 发展' },
  { street: '常青街道', lng: 114.2525, lat: 30.6115, what: '贺家墩, 詹家墩, 邬家墩' },
  { street: '常青街道', lng: 114.2445, lat: 30.6165, what: '常青路, 复兴村' },
  { street: '汉兴街道', lng: 114.2505, lat: 30.6395, what: '姑嫂树 (north tip by 张公堤)' },
  { street: '汉兴街道', lng: 114.256, lat: 30.6325, what: '杨汊湖' },
  { street: '汉兴街道', lng: 114.2415, lat: 30.6305, what: '新湾路, 民航里' },
  { street: '汉兴街道', lng: 114.229, lat: 30.624, what: '常青一路–四路 (常二, 常三, 常四)' },
  { street: '汉兴街道', lng: 114.2355, lat: 30.6115, what: 'west, by 硚口区' },
];

/**
 * Rough areas in km² used to weight the diagram. Only 北湖 (1.78) and 前进 (0.32) come
 * from the gazetteer; the others are estimates from community counts and the layout,
 * scaled together to the outline area (which includes half of the rivers).
 */
/** Streets whose target is a published figure (gazetteer), not an estimate. */
export const KNOWN_KM2 = ['北湖街道', '前进街道'];

export const TARGET_KM2: Record<string, number> = {
  民族街道: 0.8,
  花楼水塔街道: 1.3,
  民权街道: 0.7,
  满春街道: 0.7,
  民意街道: 0.7,
  新华街道: 1.8,
  万松街道: 6.0,
  唐家墩街道: 4.5,
  北湖街道: 1.78,
  前进街道: 0.32,
  常青街道: 3.0,
  汉兴街道: 6.2,
};
