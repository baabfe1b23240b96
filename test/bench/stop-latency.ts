import type { JobsOptions } from 'bullmq';
import { sql } from 'drizzle-orm';
import { jobSignals } from '../../db/schema';
import { insertSignals } from '../../db/signal-requests';
import type { SignalKind } from '../../db/vocabulary';
import type { BenchEnv } from './bench-env';
import type { Lane } from './lanes';
import { exponentialDelay, nowMs, sleep } from './stats';

/**
 * How a request reaches the workers: `notify` is the product's path
 * (`insertSignals`); `plain` is a bare INSERT as psql or another service would
 * write it (the table's trigger notifies both); `silent` is a bare INSERT with
 * notifications off (the session skips triggers), so only the workers' poll (or a
 * per-checkpoint SELECT) finds it.
 */
export type Delivery = 'notify' | 'plain' | 'silent';

export const SPIN_JOB = 'spin';
export const SPIN_OPTIONS: JobsOptions = { removeOnComplete: true, removeOnFail: true };

/** Commits a request and returns the time its commit was acknowledged. */
export async function commitRequest(
  env: BenchEnv,
  queue: string,
  jobId: string,
  signal: SignalKind,
  delivery: Delivery,
): Promise<number> {
  const row = { queue, jobId, jobName: SPIN_JOB, signal, requestedBy: 'bench', reason: null };
  if (delivery === 'notify') await insertSignals(env.handle.db, [row]);
  else if (delivery === 'plain') await env.handle.db.insert(jobSignals).values(row);
  else
    await env.handle.db.transaction(async (tx) => {
      await tx.execute(sql`set local session_replication_role = replica`);
      await tx.insert(jobSignals).values(row);
    });
  return nowMs();
}

/** One request: ms from its commit to the processor's stop, and to the steps of a cancel. */
export interface Sample {
  ms: number;
  /** To the job's AbortSignal: the cancel reached the worker process. */
  abortMs?: number;
  /** To `onCancel`: a checkpoint acted (the signal is recorded after it). */
  cleanupMs?: number;
}

async function stopAfter(
  env: BenchEnv,
  lane: Lane,
  id: string,
  signal: 'cancel' | 'pause',
  delivery: Delivery,
): Promise<Sample> {
  const committed = await commitRequest(env, lane.queue, id, signal, delivery);
  const stop = await lane.tracker.whenStopped(id);
  if (stop.how !== signal) {
    throw new Error(`job ${id} stopped by ${stop.how}, expected ${signal}`);
  }
  const since = (t: number | undefined) => (t === undefined ? undefined : t - committed);
  return {
    ms: stop.at - committed,
    abortMs: since(stop.abortedAt),
    cleanupMs: since(stop.cleanupAt),
  };
}

/**
 * One job alone: start it, let it checkpoint for a random 0–5 ms (so the request
 * lands anywhere in its checkpoint cycle), commit the request, and return the
 * milliseconds from the commit to the processor's stop.
 */
export async function soloSample(
  env: BenchEnv,
  lane: Lane,
  signal: 'cancel' | 'pause',
  delivery: Delivery,
): Promise<Sample> {
  const job = await env.queues.get(lane.queue).add(SPIN_JOB, {}, SPIN_OPTIONS);
  const id = String(job.id);
  await lane.tracker.whenStarted(id);
  await sleep(Math.random() * 5);
  return stopAfter(env, lane, id, signal, delivery);
}

/**
 * Requests arriving as independent clicks (exponential gaps, mean `meanGapMs`),
 * each on a random running job not asked before; returns each one's milliseconds
 * from commit to stop, in request order. The lane must replace stopped jobs.
 */
export async function clickSamples(
  env: BenchEnv,
  lane: Lane,
  signal: 'cancel' | 'pause',
  delivery: Delivery,
  count: number,
  meanGapMs: number,
): Promise<Sample[]> {
  const asked = new Set<string>();
  const samples: Promise<Sample>[] = [];
  for (let i = 0; i < count; i++) {
    await sleep(exponentialDelay(meanGapMs));
    const candidates = [...lane.tracker.running].filter((id) => !asked.has(id));
    const id = candidates[Math.floor(Math.random() * candidates.length)];
    if (id === undefined) throw new Error('no running job left to signal');
    asked.add(id);
    const sample = stopAfter(env, lane, id, signal, delivery);
    sample.catch(() => {}); // reported by Promise.all below, not as an unhandled rejection
    samples.push(sample);
  }
  return Promise.all(samples);
}
