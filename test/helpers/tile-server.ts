import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { png } from './test-images.ts';

export interface TileServer {
  /** The MAP_TILE_URL template pointing at this server. */
  template: string;
  /** Paths asked for so far (/{z}/{x}/{y}.png). */
  requests: string[];
  close(): Promise<void>;
}

/** A tile source on loopback: any /{z}/{x}/{y}.png gets a small PNG; everything else 404. */
export async function startTileServer(): Promise<TileServer> {
  const tile = await png(256, 256, false);
  const requests: string[] = [];
  const server = http.createServer((req, res) => {
    if (/^\/\d+\/\d+\/\d+\.png$/.test(req.url ?? '')) {
      requests.push(req.url!);
      res.writeHead(200, { 'content-type': 'image/png', 'access-control-allow-origin': '*' }).end(tile);
    } else res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    template: `http://127.0.0.1:${port}/{z}/{x}/{y}.png`,
    requests,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
