import { type ChildProcess, fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type {
  ChildMessage,
  ChildOptions,
  ChildStats,
  ParentMessage,
  StopTimes,
} from './child-protocol';
import { nowMs } from './stats';

const script = fileURLToPath(new URL('./worker-child.ts', import.meta.url));
const live = new Set<ChildProcess>();
/** Set once the run is being torn down: no new worker process may start. */
let closed = false;

interface Deferred<T> {
  promise: Promise<T>;
  settled: boolean;
  resolve(v: T): void;
}

function deferred<T>(): Deferred<T> {
  let settle!: (v: T) => void;
  const promise = new Promise<T>((r) => {
    settle = r;
  });
  const d: Deferred<T> = {
    promise,
    settled: false,
    resolve(v) {
      d.settled = true;
      settle(v);
    },
  };
  return d;
}

/** Start and stop times of the jobs of one queue, as the worker processes report them. */
export class JobTracker {
  readonly running = new Set<string>();
  private readonly starts = new Map<string, Deferred<number>>();
  private readonly stops = new Map<string, Deferred<StopTimes>>();
  /** Called on every stop (the 500-job runs add a replacement job here). */
  onStop: ((id: string, e: StopTimes) => void) | undefined;

  private slot<T>(map: Map<string, Deferred<T>>, id: string): Deferred<T> {
    let d = map.get(id);
    if (!d) {
      d = deferred<T>();
      map.set(id, d);
    }
    return d;
  }

  /** Jobs that started more than once (BullMQ's stall check ran them again): should stay 0. */
  restarts = 0;

  started(id: string, at: number): void {
    if (this.starts.get(id)?.settled) this.restarts++;
    this.running.add(id);
    this.slot(this.starts, id).resolve(at);
  }

  stopped(id: string, e: StopTimes): void {
    this.running.delete(id);
    this.slot(this.stops, id).resolve(e);
    this.onStop?.(id, e);
  }

  whenStarted(id: string, timeoutMs = 30_000): Promise<number> {
    return withTimeout(this.slot(this.starts, id).promise, timeoutMs, `job ${id} to start`);
  }

  whenStopped(id: string, timeoutMs = 30_000): Promise<StopTimes> {
    return withTimeout(this.slot(this.stops, id).promise, timeoutMs, `job ${id} to stop`);
  }
}

export function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms waiting for ${what}`)), ms);
  });
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}

/** One worker process (worker-child.ts) and its IPC channel. */
export class WorkerChild {
  private replies: ((m: ChildMessage) => void)[] = [];
  private closing = false;

  private constructor(
    readonly proc: ChildProcess,
    readonly options: ChildOptions,
  ) {}

  /** Starts a worker process and resolves once its worker is ready (and listening, for signal workers). */
  static async start(options: ChildOptions, tracker?: JobTracker): Promise<WorkerChild> {
    if (closed) throw new Error('the run is closing; no new worker process');
    const proc = fork(script, [JSON.stringify(options)], {
      execArgv: ['--import', 'tsx'],
      env: { ...process.env, DATABASE_URL: options.databaseUrl },
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    live.add(proc);
    const child = new WorkerChild(proc, options);
    proc.on('exit', (code, signal) => {
      live.delete(proc);
      if (!child.closing && !closed) {
        console.error(`bench worker process ${proc.pid} exited (code ${code}, signal ${signal})`);
      }
    });
    const ready = new Promise<void>((resolve, reject) => {
      proc.on('message', (m: ChildMessage) => {
        if (m.t === 'started') tracker?.started(m.id, m.at);
        else if (m.t === 'stopped') {
          const { t: _, id, ...times } = m;
          tracker?.stopped(id, times);
        } else if (m.t === 'ready') resolve();
        else if (m.t === 'fatal') reject(new Error(`worker process failed: ${m.error}`));
        else child.replies.shift()?.(m);
      });
      proc.on('exit', (code) => reject(new Error(`worker process exited with code ${code}`)));
    });
    // A process of 50 watchers opens 100 connections and reads 50 times before it is ready.
    const readyMs = options.mode === 'watchers' ? 180_000 : 30_000;
    await withTimeout(ready, readyMs, `worker process (${options.mode}) to be ready`);
    return child;
  }

  private ask(m: ParentMessage): Promise<ChildMessage> {
    const reply = new Promise<ChildMessage>((resolve) => this.replies.push(resolve));
    this.proc.send(m);
    return withTimeout(reply, 10_000, `a '${m.t}' reply`);
  }

  /**
   * Offset of the child's clock from ours in ms, from the ping with the shortest
   * round trip (Cristian's algorithm). Near zero on one host; reported, not applied.
   */
  async clockOffset(pings = 20): Promise<{ offset: number; rtt: number }> {
    let best = { offset: 0, rtt: Number.POSITIVE_INFINITY };
    for (let i = 0; i < pings; i++) {
      const sent = nowMs();
      const m = await this.ask({ t: 'clock' });
      const back = nowMs();
      if (m.t === 'clock' && back - sent < best.rtt) {
        best = { offset: m.at - (sent + back) / 2, rtt: back - sent };
      }
    }
    return best;
  }

  /** The process's counters since the previous call (the first call starts them). */
  async stats(): Promise<ChildStats> {
    const m = await this.ask({ t: 'stats' });
    if (m.t !== 'stats') throw new Error(`unexpected reply ${m.t}`);
    const { t: _, ...stats } = m;
    return stats;
  }

  /** Closes the worker gracefully; kills the process if it has not exited within `ms`. */
  async close(ms = 10_000): Promise<void> {
    if (this.proc.exitCode !== null || this.proc.signalCode !== null) return;
    this.closing = true;
    const exited = new Promise<void>((r) => this.proc.once('exit', () => r()));
    this.proc.send({ t: 'close' } satisfies ParentMessage);
    await withTimeout(exited, ms, 'a worker process to exit').catch(() => {
      this.proc.kill('SIGKILL');
      return exited;
    });
  }
}

/** Kills the worker processes this runner started and that are still alive (on failure or Ctrl-C). */
export function killChildren(): void {
  closed = true;
  for (const proc of live) proc.kill('SIGKILL');
  live.clear();
}
