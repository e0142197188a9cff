import { Writable } from 'node:stream';
import pino from 'pino';
import type { Logger } from '../../config/logger.ts';

/** A real pino logger at info level whose lines are kept in memory, to check what reaches the logs. */
export function captureLogger(): { logger: Logger; text: () => string } {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      lines.push(chunk.toString('utf8'));
      done();
    },
  });
  return { logger: pino({ level: 'info' }, stream), text: () => lines.join('') };
}
