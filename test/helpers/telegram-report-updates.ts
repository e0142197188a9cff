// Telegram updates for one resident's report — a description, a location pin, a press of
// 确认提交 — as the Bot API sends them. Used by the intake benchmark.
import type { TelegramUpdate } from '../../bot/telegram/telegram-channel.ts';

export type Step = 'text' | 'location' | 'photo' | 'confirm';

const TEXTS = [
  '人行道上有人摆摊卖水果，把路都占了',
  '门口堆了一堆建筑垃圾，好几天没人清理',
  '电线杆上贴满了小广告',
  '楼下饭店油烟很大，熏得没法开窗',
  '店铺把货物摆到店外人行道上经营',
  '有人在绿化带里乱倒垃圾',
  '路边有人私自搭建棚子',
  '小区门口有流动摊贩烧烤，烟很大',
];

/** Points over the district on a grid about 150 m apart, so reports are not merged as duplicates. */
export function districtPoints(n: number, inside: (lat: number, lng: number) => boolean): Array<[number, number]> {
  const points: Array<[number, number]> = [];
  for (let lat = 30.565; lat < 30.64 && points.length < n * 4; lat += 0.0014) {
    for (let lng = 114.215; lng < 114.305; lng += 0.0016)
      if (inside(lat, lng)) points.push([Number(lat.toFixed(5)), Number(lng.toFixed(5))]);
  }
  return points;
}

/** Where report `i` is pinned. */
export function reportPoint(i: number, points: Array<[number, number]>): [number, number] {
  return points[(i * 7919) % points.length]!;
}

/**
 * The three updates of report `i` (resident 100000 + i), with update ids from `nextId`; with
 * `photo` (a message body such as `{ document: … }`), four: the photo comes after the pin.
 */
export function reportUpdates(
  i: number,
  points: Array<[number, number]>,
  nextId: () => number,
  photo?: Record<string, unknown>,
): Array<[Step, TelegramUpdate]> {
  const user = 100_000 + i;
  const chat = { id: user, type: 'private' as const, first_name: `居民${i}` };
  const from = { id: user, is_bot: false, first_name: `居民${i}` };
  const [lat, lng] = reportPoint(i, points);
  const bodies: Array<[Step, Record<string, unknown>]> = [
    ['text', { message: { message_id: 1, date: 0, chat, from, text: TEXTS[i % TEXTS.length] } }],
    [
      'location',
      {
        message: {
          message_id: 2,
          date: 0,
          chat,
          from,
          location: { latitude: lat, longitude: lng, horizontal_accuracy: 10 },
        },
      },
    ],
    ...(photo
      ? [['photo', { message: { message_id: 4, date: 0, chat, from, ...photo } }] satisfies [Step, unknown]]
      : []),
    [
      'confirm',
      {
        callback_query: {
          id: `cq${i}`,
          from,
          chat_instance: `ci${i}`,
          data: 'd:confirm',
          message: { message_id: 3, date: 0, chat },
        },
      },
    ],
  ];
  return bodies.map(([step, body]) => [step, { update_id: nextId(), ...body } as unknown as TelegramUpdate]);
}
