// Worker processes of the fault tests (test/faults/fault-worker.ts): spawning,
// killing, and reading what they did from their shared log file.
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The data of a fault-test job: `steps` checkpointed steps of `stepMs` each. */
export interface StepJobData {
  steps: number;
  stepMs: number;
}

/** How events name a job: `queue/id` (job ids repeat across queues). */
export const jobKey = (job: { queueName: string; id?: string }) => `${job.queueName}/${job.id}`;

export type FaultEvent =
  | { event: 'ready'; id: ''; pid: number; at: number }
  | { event: 'start'; id: string; from: number; pid: number; at: number }
  | { event: 'step'; id: string; i: number; pid: number; at: number }
  | { event: 'done'; id: string; from: number; pid: number; at: number; maxCheckpointMs: number }
  | { event: 'cancel'; id: string; during: string; pid: number; at: number }
  | { event: 'hang'; method: string; id: string; pid: number; at: number };

const script = fileURLToPath(new URL('./fault-worker.ts', import.meta.url));
const live = new Set<ChildProcess>();
const logDirs = new Set<string>();
process.once('exit', () => {
  for (const c of live) c.kill('SIGKILL');
  for (const d of logDirs) rmSync(d, { recursive: true, force: true });
});

export interface WorkerEnv {
  DATABASE_URL: string;
  REDIS_URL: string;
  SIGNAL_POLL_MS?: string;
  DATABASE_LISTEN_URL?: string;
  SIGNAL_STALE_CLAIM_SECONDS?: string;
  FAULT_CONCURRENCY?: string;
  FAULT_LOCK_MS?: string;
  FAULT_STALLED_MS?: string;
  FAULT_HANG?: string;
}

export interface FaultWorker {
  pid: number;
  /** What the process wrote to stderr (the toolkit's log lines). */
  readonly stderr: string;
  readonly alive: boolean;
  kill(signal?: NodeJS.Signals): Promise<void>;
}

/** One log file shared by every worker process of a test, and its reader. */
export class FaultLog {
  readonly dir = mkdtempSync('/tmp/signal-desk-faults-');
  readonly file = join(this.dir, 'events.jsonl');
  private readonly workers: FaultWorker[] = [];

  constructor() {
    logDirs.add(this.dir);
  }

  events(): FaultEvent[] {
    if (!existsSync(this.file)) return [];
    return readFileSync(this.file, 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as FaultEvent);
  }

  /** Events of one kind, of one job if given. */
  of<K extends FaultEvent['event']>(
    kind: K,
    job?: { queueName: string; id?: string },
  ): Extract<FaultEvent, { event: K }>[] {
    const id = job && jobKey(job);
    return this.events().filter(
      (e): e is Extract<FaultEvent, { event: K }> =>
        e.event === kind && (id === undefined || e.id === id),
    );
  }

  /** The steps one job ran, in order (a step run twice shows twice). */
  steps(job: { queueName: string; id?: string }): number[] {
    return this.of('step', job).map((e) => e.i);
  }

  /** A worker process serving `queue`. Env: throwaway service URLs and fault switches. */
  spawn(queue: string, env: WorkerEnv): FaultWorker {
    const child = spawn(process.execPath, ['--import', 'tsx', script], {
      // Only what the worker needs: nothing of the test process's own DATABASE_URL leaks in.
      env: {
        NODE_ENV: 'test',
        PATH: process.env.PATH,
        HOME: process.env.HOME,
        ...env,
        FAULT_QUEUE: queue,
        FAULT_LOG: this.file,
      },
      stdio: ['ignore', 'inherit', 'pipe'],
    });
    live.add(child);
    let stderr = '';
    child.stderr?.on('data', (d) => {
      stderr += String(d);
      // FAULT_DEBUG=1 shows the workers' log lines as they come.
      if (process.env.FAULT_DEBUG) process.stderr.write(`[worker ${child.pid}] ${String(d)}`);
    });
    const exited = new Promise<void>((r) => child.once('exit', () => r()));
    exited.then(() => live.delete(child));
    const w: FaultWorker = {
      pid: child.pid as number,
      get stderr() {
        return stderr;
      },
      get alive() {
        return child.exitCode === null && child.signalCode === null;
      },
      async kill(signal = 'SIGKILL') {
        if (w.alive) {
          child.kill(signal);
          await exited;
        }
      },
    };
    this.workers.push(w);
    return w;
  }

  /** Kills every worker process and removes the log. */
  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.kill('SIGKILL')));
    rmSync(this.dir, { recursive: true, force: true });
    logDirs.delete(this.dir);
  }
}
