// A Signal Desk worker process for the fault tests. Every job is a loop of
// `data.steps` steps of `data.stepMs` each, checkpointing `{ i }` before each step
// and resuming from `ctx.resumeState`. Every step, start, cleanup and completion is
// appended to FAULT_LOG (synchronously, so a SIGKILL loses nothing written).
//
// Environment: FAULT_QUEUE, FAULT_LOG, FAULT_CONCURRENCY, FAULT_LOCK_MS,
// FAULT_STALLED_MS, and FAULT_HANG: a comma-separated list of `Job` methods
// (`moveToDelayed`, `remove` (also `Queue#remove`), `promote`, `changeDelay`) that hang for ever once
// called, so a test can SIGKILL the process at exactly that point. DATABASE_URL,
// DATABASE_LISTEN_URL, REDIS_URL and SIGNAL_POLL_MS configure the toolkit as usual.
import { appendFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { Job, Queue } from 'bullmq';
import { createSignalWorker } from '../../worker/toolkit';
import { type FaultEvent, jobKey, type StepJobData } from './fault-log';

const queue = process.env.FAULT_QUEUE as string;
const logFile = process.env.FAULT_LOG as string;
const pid = process.pid;
const record = (e: FaultEvent) => appendFileSync(logFile, `${JSON.stringify(e)}\n`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

for (const method of (process.env.FAULT_HANG ?? '').split(',').filter(Boolean)) {
  const proto = Job.prototype as unknown as Record<string, unknown>;
  proto[method] = function hang(this: Job) {
    record({ event: 'hang', method, id: jobKey(this), pid, at: Date.now() });
    return new Promise(() => {});
  };
  // The toolkit removes queued jobs through their queue, many at a time.
  if (method === 'remove') {
    (Queue.prototype as unknown as Record<string, unknown>).remove = function hang(
      this: Queue,
      jobId: string,
    ) {
      record({ event: 'hang', method, id: `${this.name}/${jobId}`, pid, at: Date.now() });
      return new Promise(() => {});
    };
  }
}

const worker = createSignalWorker<StepJobData, { from: number }, { i: number }>(
  queue,
  async (job, ctx) => {
    const id = jobKey(job);
    const from = ctx.resumeState?.i ?? 0;
    record({ event: 'start', id, from, pid, at: Date.now() });
    let maxCheckpointMs = 0;
    for (let i = from; i < job.data.steps; i++) {
      const t = performance.now();
      await ctx.checkpoint({ i });
      maxCheckpointMs = Math.max(maxCheckpointMs, performance.now() - t);
      record({ event: 'step', id, i, pid, at: Date.now() });
      await sleep(job.data.stepMs);
    }
    record({ event: 'done', id, from, pid, at: Date.now(), maxCheckpointMs });
    return { from };
  },
  {
    concurrency: Number(process.env.FAULT_CONCURRENCY) || 1,
    lockDuration: Number(process.env.FAULT_LOCK_MS) || 30_000,
    stalledInterval: Number(process.env.FAULT_STALLED_MS) || 30_000,
    onCancel: (job, info) =>
      record({ event: 'cancel', id: jobKey(job), during: info.during, pid, at: Date.now() }),
  },
);
worker.on('ready', () => record({ event: 'ready', id: '', pid, at: Date.now() }));
