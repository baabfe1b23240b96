import { type Job, Worker } from 'bullmq';
import { bullPrefix, workerConnection } from '../../worker/config';
import { createSignalWorker, getSignalWatcher, type SignalContext } from '../../worker/toolkit';
import type { BenchEnv } from './bench-env';
import { type BenchResult, result } from './report';
import { median, nowMs, round, sleep } from './stats';

const JOBS = 10_000;
const WARMUP_JOBS = 1_000;
const CONCURRENCY = 16;
const STEPS = 10;
const ROUNDS = 11;
const OPTIONS = { removeOnComplete: true, removeOnFail: true };

/** The tiny job: ten steps of nothing much, with or without a checkpoint before each. */
async function steps(checkpoint?: () => Promise<void>): Promise<number> {
  let acc = 0;
  for (let i = 0; i < STEPS; i++) {
    if (checkpoint) await checkpoint();
    acc += i;
  }
  return acc;
}

async function fill(env: BenchEnv, queue: string, n: number): Promise<void> {
  const q = env.queues.get(queue);
  for (let i = 0; i < n; i += 1000) {
    const size = Math.min(1000, n - i);
    await q.addBulk(
      Array.from({ length: size }, (_, j) => ({ name: 'tiny', data: { i: i + j }, opts: OPTIONS })),
    );
  }
}

/**
 * Runs WARMUP_JOBS + JOBS queued jobs through `start()`'s worker and returns jobs
 * per second over the last JOBS (the clock starts when the warm-up jobs are done).
 */
async function jobsPerSecond(
  env: BenchEnv,
  label: string,
  start: (queue: string) => Promise<Worker>,
): Promise<number> {
  const queue = env.newQueue(label);
  await fill(env, queue, WARMUP_JOBS + JOBS);
  let done = 0;
  let from = 0;
  let resolveEnd!: (t: number) => void;
  const end = new Promise<number>((r) => {
    resolveEnd = r;
  });
  const worker = await start(queue);
  worker.on('completed', () => {
    done++;
    if (done === WARMUP_JOBS) from = nowMs();
    else if (done === WARMUP_JOBS + JOBS) resolveEnd(nowMs());
  });
  worker.on('failed', (_job, err) => console.error(`throughput job failed: ${err.message}`));
  worker.run().catch((err: unknown) => console.error('throughput worker stopped', err));
  try {
    const to = await end;
    return (JOBS / (to - from)) * 1000;
  } finally {
    await worker.close();
    await env.dropQueue(queue);
  }
}

async function signalWorker(queue: string, checkpoints = true): Promise<Worker> {
  const processor = checkpoints
    ? (_job: Job, ctx: SignalContext) => steps(() => ctx.checkpoint())
    : () => steps();
  const worker = createSignalWorker(queue, processor, {
    concurrency: CONCURRENCY,
    autorun: false,
  });
  await worker.waitUntilReady();
  const watcher = getSignalWatcher();
  while (!watcher.isListening) await sleep(5);
  return worker;
}

async function bareWorker(queue: string): Promise<Worker> {
  const worker = new Worker(queue, (_job: Job) => steps(), {
    connection: workerConnection(),
    prefix: bullPrefix(),
    concurrency: CONCURRENCY,
    autorun: false,
  });
  worker.on('error', (err) => console.error(`bare worker: ${err.message}`));
  await worker.waitUntilReady();
  return worker;
}

/**
 * 3. Worker overhead: tiny jobs through createSignalWorker against a bare BullMQ
 * Worker. A third run, createSignalWorker without checkpoints, tells the cost
 * of the checkpoints from the cost the toolkit adds to each job.
 */
export async function benchThroughput(env: BenchEnv): Promise<BenchResult> {
  // Runs alternate (bare, ours, ours without checkpoints) ROUNDS times. On a shared
  // machine a round runs at anything from half to full speed (other tenants' load
  // comes and goes for seconds at a time), and load only ever slows a round down:
  // the figures are each variant's fastest round, as timeit takes the fastest run;
  // the medians are in the notes.
  const bare: number[] = [];
  const ours: number[] = [];
  const noCheckpoint: number[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    bare.push(await jobsPerSecond(env, 'throughput-bare', bareWorker));
    ours.push(await jobsPerSecond(env, 'throughput-signal', (q) => signalWorker(q)));
    noCheckpoint.push(
      await jobsPerSecond(env, 'throughput-signal-bare-steps', (q) => signalWorker(q, false)),
    );
  }
  const [b, o, n] = [Math.max(...bare), Math.max(...ours), Math.max(...noCheckpoint)];
  const [mb, mo, mn] = [median(bare), median(ours), median(noCheckpoint)];
  const perJobUs = (rate: number) => round((1 / rate - 1 / b) * 1e6);
  const list = (xs: number[]) => xs.map((x) => round(x)).join(', ');
  return result({
    name: 'throughput',
    ours: o,
    baseline: b,
    unit: 'jobs/s',
    higherIsBetter: true,
    runs: JOBS * ROUNDS,
    notes:
      `${JOBS.toLocaleString('en')} queued jobs of ${STEPS} steps each per run (after ${WARMUP_JOBS.toLocaleString('en')} warm-up jobs), concurrency ${CONCURRENCY}, one worker in the runner process, ${ROUNDS} alternating rounds, each variant's fastest round (medians: ours ${round(mo)}, bare ${round(mb)}, ratio ${round(mo / mb)}x; without checkpoints ${round(mn)}); ` +
      `ours: createSignalWorker, a checkpoint before each step (${round(o)} jobs/s; rounds ${list(ours)}; ${perJobUs(o)} µs more per job than bare); ` +
      `baseline: bare BullMQ Worker, same steps without checkpoints (${round(b)} jobs/s; rounds ${list(bare)}); ` +
      `createSignalWorker with the same steps and no checkpoint: ${round(n)} jobs/s (rounds ${list(noCheckpoint)}; ${perJobUs(n)} µs more per job than bare)`,
  });
}
