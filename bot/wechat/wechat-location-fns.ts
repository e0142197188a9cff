// WeChat location messages → the core's InboundLocation. Pure; unit-tested with known points.
import { assertValidLatLng } from '../../core/geo/coord-transform-fns.ts';
import type { InboundLocation } from '../inbound-types.ts';

/** What Wechaty's `message.toLocation()` gives (wechaty-puppet LocationPayload). */
export interface WeChatLocationPayload {
  latitude: number;
  longitude: number;
  address?: string;
  name?: string;
  accuracy?: number;
}

const ADDRESS_MAX = 200;

/**
 * WeChat's map picker works in GCJ-02 (the Chinese mapping datum), so the point is passed on with
 * `crs: 'gcj02'` and the core converts it to WGS-84 before any routing or storage. The address
 * and the place name the user picked are kept: they are what the user actually chose.
 *
 * WeChat's `accuracy` is not a radius in metres (the XML carries the map's zoom `scale`, which
 * some puppets copy into it), so it is not passed on: a pin is a deliberate choice on a map.
 * Returns null for a point that is not a valid coordinate (0,0 from a broken client included).
 */
export function toInboundLocation(p: WeChatLocationPayload): InboundLocation | null {
  const point = { lat: Number(p.latitude), lng: Number(p.longitude) };
  try {
    assertValidLatLng(point);
  } catch {
    return null;
  }
  if (point.lat === 0 && point.lng === 0) return null;
  const address = clean(p.address);
  const title = clean(p.name);
  return {
    lat: point.lat,
    lng: point.lng,
    crs: 'gcj02',
    ...(address || title ? { address: address ?? title! } : {}),
    ...(title && title !== address ? { title } : {}),
  };
}

function clean(s: string | undefined): string | undefined {
  const t = s?.replace(/\s+/g, ' ').trim();
  return t ? t.slice(0, ADDRESS_MAX) : undefined;
}

/**
 * The web protocol (wechat4u) cannot decode location messages: it hands over their text, which is
 * "<address>:\n/cgi-bin/mmwebwx-bin/webwxgetpubliclinkimg?…&pictype=location", sometimes with a
 * Tencent Maps link holding `coord=<lat>,<lng>` (GCJ-02). Take what is there.
 */
export function parseLocationText(text: string): { location: InboundLocation | null; address: string | null } {
  const coord = /coord=(-?\d{1,3}(?:\.\d+)?),(-?\d{1,3}(?:\.\d+)?)/.exec(text);
  const firstLine = text.split('\n')[0]?.replace(/:$/, '').trim() ?? '';
  const address =
    firstLine && !firstLine.startsWith('/') && !/^https?:/.test(firstLine) ? firstLine.slice(0, ADDRESS_MAX) : null;
  const location = coord
    ? toInboundLocation({ latitude: Number(coord[1]), longitude: Number(coord[2]), ...(address ? { address } : {}) })
    : null;
  return { location, address };
}
