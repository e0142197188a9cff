import net from 'node:net';
import type { FastifyInstance } from 'fastify';
import { createDomain } from '../../app/create-domain.ts';
import { createPrismaClient } from '../../db/prisma-client.ts';
import { createServer } from '../../server/app.ts';
import { silentLogger, testConfig } from './test-config.ts';

/**
 * A TCP relay in front of a PostgreSQL server that logs every statement a client runs through
 * it, as the server receives it: a simple query ('Q') or an extended-protocol Execute ('E') of
 * what its Parse ('P') named. Both of Gridline's pools (Prisma's and the stores') connect through
 * it when the client is made with `urlThrough(url)`, so a test counts the round trips a request
 * costs on the wire, with no hook in the code under test.
 */
export interface PgWireLog {
  /** The same database URL, through the relay. */
  urlThrough(url: string): string;
  /** The statements executed so far (their SQL text), in order. */
  readonly statements: string[];
  /** The same, with the parameters each was executed with (as text; null for NULL), in order. */
  readonly executions: Array<{ sql: string; params: Array<string | null> }>;
  /** The statements parsed so far (Parse messages; a named prepared statement is parsed once per connection). */
  readonly parses: string[];
  close(): Promise<void>;
}

export async function startPgWireLog(serverUrl: string): Promise<PgWireLog> {
  const target = new URL(serverUrl);
  const statements: string[] = [];
  const executions: Array<{ sql: string; params: Array<string | null> }> = [];
  const parses: string[] = [];
  const sockets = new Set<net.Socket>();
  const server = net.createServer((client) => {
    const upstream = net.connect(Number(target.port || 5432), target.hostname);
    sockets.add(client).add(upstream);
    let buf = Buffer.alloc(0);
    let started = false;
    const parsed = new Map<string, string>(); // prepared statement name → SQL
    const portals = new Map<string, { sql: string; params: Array<string | null> }>(); // portal name → SQL, parameters
    const cstring = (b: Buffer, at: number): [string, number] => {
      const end = b.indexOf(0, at);
      return [b.toString('utf8', at, end), end + 1];
    };
    client.on('data', (chunk: Buffer) => {
      upstream.write(chunk);
      buf = Buffer.concat([buf, chunk]);
      for (;;) {
        if (!started) {
          // The startup packet has no type byte: its length, then the protocol or a request code.
          if (buf.length < 8) return;
          const len = buf.readInt32BE(0);
          if (buf.length < len) return;
          const code = buf.readInt32BE(4);
          buf = buf.subarray(len);
          // SSL/GSS requests are answered 'N' and followed by the real startup packet.
          if (code !== 80877103 && code !== 80877104) started = true;
          continue;
        }
        if (buf.length < 5) return;
        const len = buf.readInt32BE(1);
        if (buf.length < len + 1) return;
        const type = String.fromCharCode(buf[0]!);
        const body = buf.subarray(5, len + 1);
        buf = buf.subarray(len + 1);
        if (type === 'Q') {
          statements.push(cstring(body, 0)[0]);
          executions.push({ sql: cstring(body, 0)[0], params: [] });
        } else if (type === 'P') {
          const [name, at] = cstring(body, 0);
          parsed.set(name, cstring(body, at)[0]);
          parses.push(cstring(body, at)[0]);
        } else if (type === 'B') {
          const [portal, at] = cstring(body, 0);
          const [name, formatsAt] = cstring(body, at);
          // Parameter format codes, then the parameters: each a length (-1: NULL) and its bytes.
          let off = formatsAt + 2 + 2 * body.readInt16BE(formatsAt);
          const count = body.readInt16BE(off);
          off += 2;
          const params: Array<string | null> = [];
          for (let i = 0; i < count; i++) {
            const len = body.readInt32BE(off);
            off += 4;
            params.push(len < 0 ? null : body.toString('utf8', off, off + len));
            off += Math.max(len, 0);
          }
          portals.set(portal, { sql: parsed.get(name) ?? '', params });
        } else if (type === 'E') {
          const run = portals.get(cstring(body, 0)[0]) ?? { sql: '', params: [] };
          statements.push(run.sql);
          executions.push(run);
        }
      }
    });
    upstream.pipe(client);
    const end = () => {
      client.destroy();
      upstream.destroy();
      sockets.delete(client);
      sockets.delete(upstream);
    };
    client.on('error', end).on('close', end);
    upstream.on('error', end).on('close', end);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  return {
    statements,
    executions,
    parses,
    urlThrough(url: string) {
      const u = new URL(url);
      u.hostname = '127.0.0.1';
      u.port = String(port);
      return u.toString();
    },
    async close() {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/**
 * The test app's database served a second time, as main.ts serves it, by a client that connects
 * through a logging relay: what a request sends PostgreSQL is then `wire.statements`.
 */
export async function serveThroughWireLog(
  t: { url: string; dir: string },
  clock: () => Date,
): Promise<{ app: FastifyInstance; wire: PgWireLog; close(): Promise<void> }> {
  const wire = await startPgWireLog(t.url);
  const db = await createPrismaClient(wire.urlThrough(t.url));
  const config = testConfig(t.dir);
  const logger = silentLogger();
  const app = await createServer({ config, logger, db, domain: await createDomain({ db, config, logger, clock }) });
  return {
    app,
    wire,
    async close() {
      await app.close();
      await db.$disconnect();
      await wire.close();
    },
  };
}
