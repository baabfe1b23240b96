import type { Worker } from 'bullmq';
import { createSignalWorker, getSignalWatcher } from '../../worker/toolkit';
import type { BenchEnv } from './bench-env';
import { type BenchResult, result } from './report';
import { selectOpenSignal } from './select-pattern';
import { median, round } from './stats';

const ROUNDS = 5;
const CHECKPOINTS_PER_ROUND = 2_000_000;
const SELECTS_PER_ROUND = 2_000;

interface Rounds {
  ours: number[];
  baseline: number[];
  emptyAwait: number[];
}

/** Nanoseconds per iteration of `body`, run `n` times in sequence. */
async function nsPerCall(n: number, body: () => Promise<unknown> | undefined): Promise<number> {
  const start = process.hrtime.bigint();
  for (let i = 0; i < n; i++) await body();
  return Number(process.hrtime.bigint() - start) / n;
}

/**
 * 1. Checkpoint cost with nothing pending: `ctx.checkpoint()` inside a running
 * job against one indexed SELECT per checkpoint through the same Drizzle client
 * (the watcher's) and database. Rounds alternate so noise hits both alike.
 */
export async function benchCheckpoint(env: BenchEnv): Promise<BenchResult> {
  const queue = env.newQueue('checkpoint');
  let resolveRounds!: (r: Rounds) => void;
  const measured = new Promise<Rounds>((r) => {
    resolveRounds = r;
  });
  const worker: Worker = createSignalWorker(queue, async (job, ctx) => {
    const { db } = getSignalWatcher();
    const jobId = String(job.id);
    const checkpoint = () => ctx.checkpoint();
    const select = () => selectOpenSignal(db, queue, jobId);
    const emptyAwait = () => undefined;
    // Warm-up: JIT and the prepared statement.
    await nsPerCall(CHECKPOINTS_PER_ROUND / 10, checkpoint);
    await nsPerCall(SELECTS_PER_ROUND / 10, select);
    const rounds: Rounds = { ours: [], baseline: [], emptyAwait: [] };
    for (let r = 0; r < ROUNDS; r++) {
      rounds.ours.push(await nsPerCall(CHECKPOINTS_PER_ROUND, checkpoint));
      rounds.baseline.push(await nsPerCall(SELECTS_PER_ROUND, select));
      rounds.emptyAwait.push(await nsPerCall(CHECKPOINTS_PER_ROUND, emptyAwait));
    }
    resolveRounds(rounds);
  });
  try {
    await env.queues.get(queue).add('measure', {});
    const rounds = await measured;
    const ours = median(rounds.ours);
    const baseline = median(rounds.baseline);
    return result({
      name: 'checkpoint',
      ours,
      baseline,
      unit: 'ns',
      runs: ROUNDS * CHECKPOINTS_PER_ROUND,
      notes:
        `median of ${ROUNDS} alternating rounds: ${CHECKPOINTS_PER_ROUND.toLocaleString('en')} awaited ctx.checkpoint() ` +
        `(rounds: ${rounds.ours.map(round).join(', ')} ns) vs ${SELECTS_PER_ROUND.toLocaleString('en')} awaited indexed SELECTs ` +
        `of an open signal of the job through the watcher's Drizzle client (rounds: ${rounds.baseline.map(round).join(', ')} ns), ` +
        `same job, nothing pending; the loop and the await are included; an empty awaited loop costs ${round(median(rounds.emptyAwait))} ns here`,
    });
  } finally {
    await worker.close();
    await env.dropQueue(queue);
  }
}
