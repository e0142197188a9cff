/**
 * Worker source (CommonJS) that puts the thread it runs in at the lowest CPU priority. Building a
 * workbook is seconds of CPU; at nice 19 the event loop's thread, and with it every other
 * request, takes the CPU first (two cores shared by the exports' workers and the readers). On
 * Linux a thread's own id renices that thread only; elsewhere nothing happens.
 */
export const LOWEST_THREAD_PRIORITY = `
try {
  const tid = Number(require('node:fs').readlinkSync('/proc/thread-self').split('/').pop());
  require('node:os').setPriority(tid, 19);
} catch {}
`;
