import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { createPgNotifyBus, type NotifyBus } from '../../db/pg-notify-bus.ts';
import { silentLogger } from '../helpers/test-config.ts';
import { defaultTestEngine, testPgServer } from '../helpers/test-db.ts';

/**
 * The notify bus (web chat pushes between processes) has one connection. A burst of publishes (the
 * delivery worker sends a round of messages at once) each called client.query() on it while the
 * one before was still running: pg queued them, and printed at start-up on a running deployment
 * "Calling client.query() when the client is already executing a query is deprecated and will be
 * removed in pg@9.0". Every pg.Client's statements are recorded here: one issued while another of
 * the same client has not answered yet is what pg@9 will refuse.
 */
const original = pg.Client.prototype.query;
const buses: NotifyBus[] = [];

afterEach(async () => {
  pg.Client.prototype.query = original;
  for (const b of buses.splice(0)) await b.close();
});

function recordStatements(): { texts: string[]; overlapping: string[] } {
  const texts: string[] = [];
  const overlapping: string[] = [];
  const running = new WeakMap<object, number>();
  pg.Client.prototype.query = function (this: pg.Client, ...args: unknown[]) {
    const text = typeof args[0] === 'string' ? args[0] : String((args[0] as { text?: string }).text);
    texts.push(text);
    const n = running.get(this) ?? 0;
    if (n > 0) overlapping.push(text);
    running.set(this, n + 1);
    const done = () => void running.set(this, (running.get(this) ?? 1) - 1);
    const result = (original as (...a: unknown[]) => unknown).apply(this, args);
    if (result instanceof Promise) result.then(done, done);
    return result;
  } as typeof original;
  return { texts, overlapping };
}

describe.skipIf(defaultTestEngine() !== 'postgres')('the PostgreSQL notify bus', () => {
  it('sends a burst of publishes one statement after another, all delivered in order', async () => {
    const channel = `gl_test_${randomUUID().replaceAll('-', '')}`;
    const make = () => {
      const bus = createPgNotifyBus({ databaseUrl: testPgServer()!, channel, logger: silentLogger() });
      buses.push(bus);
      return bus;
    };
    const sender = make();
    const receiver = make();
    await Promise.all([sender.ready, receiver.ready]);
    const received: string[] = [];
    receiver.onMessage((m) => received.push(m));

    const { texts, overlapping } = recordStatements();
    // Every fifth message is longer than one NOTIFY payload (2,000 characters a part).
    const messages = Array.from({ length: 30 }, (_, i) => (i % 5 === 4 ? `长${i}`.repeat(1500) : `message ${i}`));
    await Promise.all(messages.map((m) => sender.publish(m)));

    expect(overlapping).toEqual([]);
    // The first publish's statement, then one for the 29 published while it ran (30 before).
    expect(texts.filter((t) => t.includes('pg_notify'))).toHaveLength(2);
    const deadline = Date.now() + 10_000;
    while (received.length < messages.length && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    expect(received).toEqual(messages);
  });

  it('sends what was published before close() ends its connection', async () => {
    const channel = `gl_test_${randomUUID().replaceAll('-', '')}`;
    const sender = createPgNotifyBus({ databaseUrl: testPgServer()!, channel, logger: silentLogger() });
    const receiver = createPgNotifyBus({ databaseUrl: testPgServer()!, channel, logger: silentLogger() });
    buses.push(receiver);
    await Promise.all([sender.ready, receiver.ready]);
    const received: string[] = [];
    receiver.onMessage((m) => received.push(m));

    const published = [sender.publish('first'), sender.publish('second'), sender.publish('third')];
    await sender.close();
    await Promise.all(published);
    const deadline = Date.now() + 10_000;
    while (received.length < 3 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    expect(received).toEqual(['first', 'second', 'third']);
  });
});
