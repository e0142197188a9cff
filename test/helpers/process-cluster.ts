// Several Gridline processes (main.ts, as `npm start` runs it) behind a round-robin balancer like
// nginx: start them with an environment, wait until they listen, kill and restart them, and keep
// the log lines a caller asks for. Used by the multi-process tests and the cluster benchmarks.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { freePort } from './free-port.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');

export interface ClusterProcess {
  name: string;
  port: number;
  child: ChildProcess;
  /** Given requests by the balancer: set by waitUp, cleared by kill. */
  alive: boolean;
  /** The stdout log lines `keepLine` chose, in order. */
  lines: string[];
  /** The last warnings, errors and stderr output, for failure messages. */
  tail: string;
}

export interface ProcessClusterOptions {
  /** What every process gets on top of this process's environment (DATABASE_URL, TELEGRAM_*, …). */
  env: Record<string, string>;
  /** Each process's DATA_DIR is `<dataDir>/<name>`. */
  dataDir: string;
  /** Stdout log lines to keep in ClusterProcess.lines (none when not given). */
  keepLine?: (line: string) => boolean;
  /** Node options before main.ts (e.g. --cpu-prof): close() then stops the processes with SIGTERM and waits, so they can write what those options ask for. */
  nodeArgs?: string[];
}

export interface ProcessCluster {
  /** The balancer's address (http://127.0.0.1:port); every process gets it as PUBLIC_URL. */
  url: string;
  /** Every process started, in order, dead ones included. */
  procs: ClusterProcess[];
  /** Spawns a process (added to `procs`); it takes requests once `waitUp` has seen it listen. */
  start(name: string, env?: Record<string, string>): Promise<ClusterProcess>;
  /** Waits until the process answers /healthz, then lets the balancer send it requests. */
  waitUp(p: ClusterProcess): Promise<void>;
  /** Takes the process out of the balancer, sends it `signal` and waits until it has exited. */
  kill(p: ClusterProcess, signal?: NodeJS.Signals): Promise<void>;
  /** CPU time the process has used so far (user + system, from /proc), in ms; NaN where unreadable. */
  cpuMs(p: ClusterProcess): number;
  /** SIGKILLs whatever still runs and closes the balancer. */
  close(): Promise<void>;
}

let clockTicks: number | undefined;
function ticksPerSecond(): number {
  if (clockTicks === undefined) {
    try {
      clockTicks = Number(execFileSync('getconf', ['CLK_TCK']).toString().trim()) || 100;
    } catch {
      clockTicks = 100;
    }
  }
  return clockTicks;
}

/** utime + stime (+ those of waited-for children) of a live process, in ms; NaN where unreadable. */
export function processCpuMs(pid: number | undefined): number {
  if (pid === undefined) return NaN;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name, which is in parentheses and may hold spaces: state is [0].
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = [11, 12, 13, 14].reduce((sum, i) => sum + Number(f[i]), 0);
    return (ticks * 1000) / ticksPerSecond();
  } catch {
    return NaN;
  }
}

export async function startProcessCluster(opts: ProcessClusterOptions): Promise<ProcessCluster> {
  const procs: ClusterProcess[] = [];
  let next = 0;
  // nginx-like: round robin over the live processes, the next one when a process does not answer.
  const balancer = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const attempt = (tries: number) => {
        const live = procs.filter((p) => p.alive);
        if (tries >= live.length + 2 || live.length === 0) {
          res.writeHead(502).end();
          return;
        }
        const target = live[next++ % live.length]!;
        const out = http.request(
          { host: '127.0.0.1', port: target.port, path: req.url, method: req.method, headers: req.headers },
          (up) => {
            res.writeHead(up.statusCode ?? 502, up.headers);
            up.pipe(res);
          },
        );
        out.on('error', () => attempt(tries + 1)); // killed mid-request: Telegram would deliver again
        out.end(body);
      };
      attempt(0);
    });
  });
  const url = await new Promise<string>((resolve) =>
    balancer.listen(0, '127.0.0.1', () => {
      resolve(`http://127.0.0.1:${(balancer.address() as { port: number }).port}`);
    }),
  );

  async function start(name: string, env: Record<string, string> = {}): Promise<ClusterProcess> {
    const port = await freePort();
    const child = spawn(process.execPath, [...(opts.nodeArgs ?? []), '--import', 'tsx', 'main.ts'], {
      cwd: ROOT,
      env: {
        ...process.env,
        DATA_DIR: path.join(opts.dataDir, name),
        PORT: String(port),
        HOST: '127.0.0.1',
        PUBLIC_URL: url,
        ...opts.env,
        ...env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const p: ClusterProcess = { name, port, child, alive: false, lines: [], tail: '' };
    let partial = '';
    child.stdout!.on('data', (d: Buffer) => {
      const text = partial + d.toString();
      const lines = text.split('\n');
      partial = lines.pop() ?? '';
      for (const line of lines) {
        if (opts.keepLine?.(line)) p.lines.push(line);
        else if (/"level":(40|50|60)/.test(line)) p.tail = (p.tail + line + '\n').slice(-4000);
      }
    });
    child.stderr!.on('data', (d: Buffer) => (p.tail = (p.tail + d.toString()).slice(-4000)));
    procs.push(p);
    return p;
  }

  async function waitUp(p: ClusterProcess): Promise<void> {
    for (let i = 0; ; i++) {
      if (i > 1200 || p.child.exitCode !== null) throw new Error(`${p.name} did not start:\n${p.tail}`);
      const up = await fetch(`http://127.0.0.1:${p.port}/healthz`).then(
        (r) => r.ok,
        () => false,
      );
      if (up) break;
      await sleep(100);
    }
    p.alive = true;
  }

  async function kill(p: ClusterProcess, signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
    p.alive = false;
    if (p.child.exitCode !== null || p.child.signalCode !== null) return;
    const exited = new Promise((r) => p.child.once('exit', r));
    p.child.kill(signal);
    await exited;
  }

  async function close(): Promise<void> {
    if (opts.nodeArgs?.length) await Promise.all(procs.map(stopGracefully));
    for (const p of procs) {
      p.alive = false;
      if (p.child.exitCode === null && p.child.signalCode === null) p.child.kill('SIGKILL');
    }
    balancer.closeAllConnections(); // keep-alive sockets would hold close() open
    await new Promise((r) => balancer.close(r));
  }

  /** SIGTERM, and the exit awaited (main.ts stops within 10 s), for a process whose exit writes something. */
  async function stopGracefully(p: ClusterProcess): Promise<void> {
    if (p.child.exitCode !== null || p.child.signalCode !== null) return;
    const exited = new Promise((r) => p.child.once('exit', r));
    p.child.kill('SIGTERM');
    await exited;
  }

  return { url, procs, start, waitUp, kill, cpuMs: (p) => processCpuMs(p.child.pid), close };
}
