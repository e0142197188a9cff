import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { TooManyRequestsError } from '../../core/errors.ts';

/**
 * Flood control for HTTP: counts per key (a person, an address) in fixed windows through
 * @fastify/rate-limit, on the domain clock (tests pin it). Several limits can guard one route
 * (per person and per address), which the plugin's one-limit-per-route hook cannot do, so
 * routes call the checks they need. In memory, per process: a restart forgets the counts.
 */
export interface FloodLimitOptions {
  /** Distinguishes limits that count the same key (person 12's messages vs their uploads). */
  name: string;
  max: number;
  windowMs: number;
  /** Whose count this request adds to; null: not counted by this limit. */
  key(req: FastifyRequest): string | null;
  message: string;
}
export type FloodCheck = (req: FastifyRequest) => Promise<void>;

declare module 'fastify' {
  interface FastifyInstance {
    /** A check that counts the request and throws TooManyRequestsError (429) past the limit. */
    floodLimit(options: FloodLimitOptions): FloodCheck;
  }
}

/** The address limits count by: the peer, or the client a configured proxy names (TRUST_PROXY). */
export const byAddress = (req: FastifyRequest) => `ip:${req.ip}`;
export const byPerson = (req: FastifyRequest) => (req.actor ? `person:${req.actor.personId}` : null);

const MAX_KEYS = 50_000;
const PUBLIC_PATHS = new Set(['/public', '/power-list', '/api/power-list']);

/** @fastify/rate-limit's store contract, fixed windows on an injectable clock, bounded in size. */
function clockedStore(clock: () => Date) {
  return class ClockedStore {
    private readonly windows = new Map<string, { count: number; startMs: number }>();
    incr(key: string, cb: (err: Error | null, res: { current: number; ttl: number }) => void, windowMs: number) {
      const now = clock().getTime();
      let w = this.windows.get(key);
      if (!w || now - w.startMs >= windowMs || now < w.startMs) {
        w = { count: 0, startMs: now };
        this.windows.delete(key); // re-inserted last: the map's order is oldest window first
        this.windows.set(key, w);
        // Drop the oldest windows when a flood of distinct keys would grow the map without end.
        while (this.windows.size > MAX_KEYS) this.windows.delete(this.windows.keys().next().value!);
      }
      w.count += 1;
      cb(null, { current: w.count, ttl: Math.max(0, w.startMs + windowMs - now) });
    }
    child() {
      return new ClockedStore();
    }
  };
}

export async function registerFloodLimits(app: FastifyInstance, clock: () => Date): Promise<void> {
  await app.register(rateLimit, { global: false, store: clockedStore(clock) });
  app.decorate('floodLimit', (o: FloodLimitOptions): FloodCheck => {
    const count = app.createRateLimit({
      max: o.max,
      timeWindow: o.windowMs,
      keyGenerator: (req) => `${o.name}|${o.key(req)}`,
    });
    return async (req) => {
      if (o.key(req) === null) return;
      const r = await count(req);
      if (!r.isAllowed && r.isExceeded) throw new TooManyRequestsError(o.message, Math.max(1, r.ttlInSeconds));
    };
  });
}

/** Anonymous pages and API (/public, /power-list, /api/public/…, /api/power-list): a per-address budget, whoever asks. */
export function registerPublicFloodLimit(app: FastifyInstance, perMinute: number): void {
  const check = app.floodLimit({
    name: 'public-address',
    max: perMinute,
    windowMs: 60_000,
    key: byAddress,
    message: '访问过于频繁，请稍后再试。',
  });
  app.addHook('onRequest', async (req) => {
    const path = req.url.split('?')[0]!;
    if (PUBLIC_PATHS.has(path) || path.startsWith('/api/public/')) await check(req);
  });
}
