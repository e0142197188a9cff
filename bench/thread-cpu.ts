// CPU time of one thread (the event loop's: its thread id is the process id), from /proc. On a
// shared machine the event loop's busy time (wall) counts the time the OS gave other work; the
// thread's own CPU does not, so it tells whether the loop's work per report changed. It does not
// count waits that block the loop without CPU (an fsync inside COMMIT): busy time does.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

let clockTicks: number | undefined;

/** user + system CPU of thread `tid` of process `pid`, ms; NaN where /proc is unreadable. */
export function threadCpuMs(pid: number | undefined, tid = pid): number {
  if (pid === undefined) return NaN;
  try {
    const stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' '); // state is f[0], utime f[11], stime f[12]
    clockTicks ??= Number(execFileSync('getconf', ['CLK_TCK']).toString().trim()) || 100;
    return ((Number(f[11]) + Number(f[12])) * 1000) / clockTicks;
  } catch {
    return NaN;
  }
}
