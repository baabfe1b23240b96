import { and, count, eq, sql } from 'drizzle-orm';
import { jobSignals } from '../../db/schema';
import type { BenchEnv } from './bench-env';
import type { ChildMode } from './child-protocol';
import { JobTracker, WorkerChild } from './children';
import { sleep } from './stats';

/** The queue of one scenario, its worker processes and what they report. */
export interface Lane {
  queue: string;
  tracker: JobTracker;
  children: WorkerChild[];
}

/** A fresh queue served by `processes` worker processes of `mode`. */
export async function openLane(
  env: BenchEnv,
  label: string,
  opts: {
    mode: ChildMode;
    processes: number;
    concurrency: number;
    pollMs: number;
    notifyRead?: 'changes' | 'all';
  },
): Promise<Lane> {
  const queue = env.newQueue(label);
  const tracker = new JobTracker();
  const options = {
    mode: opts.mode,
    queue,
    concurrency: opts.concurrency,
    databaseUrl: env.databaseUrl,
    pollMs: opts.pollMs,
    notifyRead: opts.notifyRead,
  };
  const children = await Promise.all(
    Array.from({ length: opts.processes }, () => WorkerChild.start(options, tracker)),
  );
  return { queue, tracker, children };
}

export async function closeLane(env: BenchEnv, lane: Lane): Promise<void> {
  lane.tracker.onStop = undefined;
  await Promise.all(lane.children.map((c) => c.close()));
  await env.dropQueue(lane.queue);
}

/** The largest clock offset of the lanes' processes from the runner's clock, ms. */
export async function maxClockOffset(lanes: Lane[]): Promise<number> {
  let max = 0;
  for (const lane of lanes)
    for (const c of lane.children) max = Math.max(max, Math.abs((await c.clockOffset()).offset));
  return max;
}

/** Waits until `n` jobs of the lane run. */
export async function untilRunning(lane: Lane, n: number, timeoutMs = 60_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (lane.tracker.running.size < n) {
    if (Date.now() > until) {
      throw new Error(
        `only ${lane.tracker.running.size} of ${n} jobs running after ${timeoutMs} ms`,
      );
    }
    await sleep(20);
  }
}

/**
 * Waits until no signal of the lane's queue is open and `running` jobs run again,
 * so that one block's requests never leak into the next.
 */
export async function settle(env: BenchEnv, lane: Lane, running: number): Promise<void> {
  const until = Date.now() + 30_000;
  for (;;) {
    const [row] = await env.handle.db
      .select({ n: count() })
      .from(jobSignals)
      .where(
        and(
          eq(jobSignals.queue, lane.queue),
          sql`${jobSignals.status} in ('pending', 'delivered')`,
        ),
      );
    if ((row?.n ?? 0) === 0 && lane.tracker.running.size >= running) return;
    if (Date.now() > until) throw new Error(`queue ${lane.queue} did not settle`);
    await sleep(50);
  }
}
