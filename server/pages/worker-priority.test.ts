import { Worker } from 'node:worker_threads';
import { getPriority } from 'node:os';
import { describe, expect, it } from 'vitest';
import { LOWEST_THREAD_PRIORITY } from './worker-priority.ts';

describe.runIf(process.platform === 'linux')('LOWEST_THREAD_PRIORITY', () => {
  it('puts the worker thread at nice 19 and leaves the main thread as it was', async () => {
    const before = getPriority();
    const source = `
const { parentPort } = require('node:worker_threads');
${LOWEST_THREAD_PRIORITY}
const tid = Number(require('node:fs').readlinkSync('/proc/thread-self').split('/').pop());
parentPort.postMessage(require('node:os').getPriority(tid));
`;
    const worker = new Worker(source, { eval: true });
    const nice = await new Promise<number>((resolve, reject) => {
      worker.once('message', resolve);
      worker.once('error', reject);
    });
    await worker.terminate();
    expect(nice).toBe(19);
    expect(getPriority()).toBe(before);
  });
});
