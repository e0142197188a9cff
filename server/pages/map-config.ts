import type { Config } from '../../config/config-schema.ts';

/** What the browser map script needs to draw tiles: null when no tile source is configured. */
export interface MapTiles {
  url: string;
  crs: 'wgs84' | 'gcj02';
  attribution: string;
  subdomains: string;
}

export function mapTiles(
  config: Pick<Config, 'MAP_TILE_URL' | 'MAP_TILE_CRS' | 'MAP_TILE_ATTRIBUTION' | 'MAP_TILE_SUBDOMAINS'>,
): MapTiles | null {
  if (!config.MAP_TILE_URL) return null;
  return {
    url: config.MAP_TILE_URL,
    crs: config.MAP_TILE_CRS,
    attribution: config.MAP_TILE_ATTRIBUTION ?? '',
    subdomains: config.MAP_TILE_SUBDOMAINS ?? 'abc',
  };
}

/**
 * The CSP img-src entry that admits the tile host: its origin, or `*.rest.of.host` when the
 * host carries {s} (t{s}.tianditu.gov.cn → *.tianditu.gov.cn; CSP allows a wildcard only as
 * the leftmost label). Empty when nothing is configured.
 */
export function tileImgSource(tiles: MapTiles | null): string {
  if (!tiles) return '';
  const m = /^(https?):\/\/([^/?#]+)/.exec(tiles.url);
  if (!m) return '';
  const [, scheme, host] = m as unknown as [string, string, string];
  if (!host.includes('{')) return `${scheme}://${host}`;
  const rest = host.split('.').slice(1).join('.');
  return rest ? `${scheme}://*.${rest}` : '';
}

/** JSON for a <script type="application/json"> element (no "</script>" can close it early). */
export function mapBootJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c');
}
