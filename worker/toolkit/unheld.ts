import type { Job, Queue } from 'bullmq';
import type { Database } from '../../db/client';
import type { JobSignal } from '../../db/schema';
import {
  claimSignals,
  finishMany,
  handBackMany,
  type SignalFinish,
  staleClaimSeconds,
} from '../../db/signals';
import { loadJobsWithState } from '../job-scan';
import type { JobStateName } from '../job-state';
import { PARK_DELAY_MS, readMarker, stripMarker, withMarker } from '../marker';
import { describeError } from './errors';

const QUEUED = new Set<string>(['waiting', 'prioritized', 'delayed', 'waiting-children']);
const ACT_CONCURRENCY = 32;

type Act = 'remove' | 'park' | 'promote' | 'cancel-pause';
interface Planned {
  signal: JobSignal;
  act: Act;
  job: Job;
  state: JobStateName | 'unknown';
  /** For cancel-pause: the open pause a resume cancels out. */
  pause?: JobSignal;
}

/** Whether no worker is acting on this signal: pending, or claimed long enough ago to be taken over. */
export function isClaimable(s: JobSignal, now = Date.now()): boolean {
  if (s.status === 'pending') return true;
  return (
    s.status === 'delivered' && (s.deliveredAt?.getTime() ?? 0) < now - staleClaimSeconds() * 1000
  );
}

/**
 * Acts on open signals of jobs that no worker of this process holds (queued or
 * paused jobs). Claims are atomic, so two processes never both act; a claimer
 * that cannot act (the job was grabbed meanwhile) hands the signal back.
 */
export async function actOnUnheld(
  env: { db: Database; workerId: string; log(msg: string, err?: unknown): void },
  queue: Queue,
  signals: JobSignal[],
  allOpen: JobSignal[],
): Promise<void> {
  const candidates = signals.filter((s) => isClaimable(s));
  if (candidates.length === 0) return;
  const jobs = await loadJobsWithState(queue, [...new Set(candidates.map((s) => s.jobId))]);
  const finishes: SignalFinish[] = [];
  const plans: Planned[] = [];
  const supersede = (s: JobSignal, outcome: Record<string, unknown> & { reason: string }) =>
    finishes.push({ id: s.id, status: 'superseded', outcome });
  const openOf = (jobId: string, kind: string) =>
    allOpen.find((o) => o.jobId === jobId && o.signal === kind && o.queue === queue.name);

  for (const s of candidates) {
    const found = jobs.get(s.jobId);
    if (!found) {
      supersede(s, { reason: 'job no longer exists' });
      continue;
    }
    const { job, state } = found;
    if (s.createdAt.getTime() < job.timestamp) {
      supersede(s, { reason: 'signal is older than the job (job id reused)' });
      continue;
    }
    if (state === 'completed' || state === 'failed') {
      supersede(s, { reason: `job ${state} first`, state });
      continue;
    }
    if (state === 'cancelled') {
      if (s.signal === 'cancel') {
        // The holder cancelled it but could not record it (PostgreSQL was away).
        finishes.push({
          id: s.id,
          status: 'completed',
          outcome: { action: 'cancelled', recordedLate: true },
        });
      } else supersede(s, { reason: 'job was cancelled', state });
      continue;
    }
    // A running job is acted on by the process that holds it (or, if that process
    // died, by the one that picks the job up again after BullMQ's stall check).
    if (state === 'active' || state === 'unknown') continue;
    const marker = readMarker(job.data);
    const cancel = openOf(s.jobId, 'cancel');

    if (s.signal === 'cancel') {
      if (QUEUED.has(state) || state === 'paused')
        plans.push({ signal: s, act: 'remove', job, state });
      continue;
    }
    if (cancel) {
      supersede(s, { reason: 'job is being cancelled', by: cancel.id });
      continue;
    }
    if (s.signal === 'pause') {
      if (state === 'paused') {
        if (marker?.paused?.signalId === s.id) {
          finishes.push({
            id: s.id,
            status: 'completed',
            outcome: { action: 'parked', at: marker.state ?? null, recovered: true },
          });
        } else supersede(s, { reason: 'job is already paused' });
      } else if (state === 'delayed' && !openOf(s.jobId, 'resume')) {
        plans.push({ signal: s, act: 'park', job, state });
      }
      // Waiting and prioritized jobs are parked by the worker that picks them up, before the processor runs.
      continue;
    }
    // resume
    if (state === 'paused') plans.push({ signal: s, act: 'promote', job, state });
    else if (marker?.paused)
      continue; // put back to waiting already; the worker that starts it completes the resume
    else {
      const pause = openOf(s.jobId, 'pause');
      if (pause) plans.push({ signal: s, act: 'cancel-pause', job, state, pause });
      else supersede(s, { reason: 'job is not paused', state });
    }
  }

  // What we decided came from a view that may be stale by now (read before a slow Redis
  // call): we finish only signals we still win the claim on, never one another worker
  // took on meanwhile.
  const claimed = new Set(
    (
      await claimSignals(
        env.db,
        [...plans.map((p) => p.signal.id), ...finishes.map((f) => f.id)],
        env.workerId,
      )
    ).map((r) => r.id),
  );
  const done = finishes.filter((f) => claimed.has(f.id));
  const handBack: number[] = [];
  const mine = plans.filter((p) => claimed.has(p.signal.id));
  for (let i = 0; i < mine.length; i += ACT_CONCURRENCY) {
    await Promise.all(
      mine.slice(i, i + ACT_CONCURRENCY).map(async (p) => {
        try {
          const result = await perform(env, p);
          if (result) done.push(...result);
        } catch (err) {
          // Most often the job was grabbed by a worker meanwhile: its holder acts instead.
          handBack.push(p.signal.id);
          if (
            !/locked|not in the delayed state|does not exist|Missing key/i.test(describeError(err))
          ) {
            env.log(
              `could not act on signal ${p.signal.id} (${p.signal.signal} ${queue.name}/${p.signal.jobId})`,
              err,
            );
          }
        }
      }),
    );
  }
  await finishMany(env.db, env.workerId, done);
  await handBackMany(env.db, handBack, env.workerId);
}

async function perform(
  env: { db: Database; workerId: string },
  p: Planned,
): Promise<SignalFinish[] | null> {
  const { signal: s, job, state } = p;
  const marker = readMarker(job.data);
  switch (p.act) {
    case 'remove': {
      await job.remove();
      const outcome: Record<string, unknown> = {
        action: 'removed',
        from: state,
        jobName: job.name,
        data: stripMarker(job.data),
        attemptsMade: job.attemptsMade,
        timestamp: job.timestamp,
      };
      if (marker?.hasState) outcome.resumeState = marker.state ?? null;
      return [{ id: s.id, status: 'completed', outcome }];
    }
    case 'park': {
      await job.updateData(
        withMarker(job.data, {
          paused: { at: Date.now(), signalId: s.id, requestedBy: s.requestedBy, reason: s.reason },
          state: marker?.state,
          hasState: marker?.hasState,
        }),
      );
      await job.changeDelay(PARK_DELAY_MS);
      return [{ id: s.id, status: 'completed', outcome: { action: 'parked', from: state } }];
    }
    case 'promote': {
      // Back to waiting; the resume stays delivered until the worker that starts the job completes it.
      await job.promote();
      return null;
    }
    case 'cancel-pause': {
      const pause = p.pause as JobSignal;
      const superseded = await finishMany(env.db, env.workerId, [
        {
          id: pause.id,
          status: 'superseded',
          outcome: { reason: 'resumed before the pause took effect', by: s.id },
        },
      ]);
      if (superseded.length === 0) throw new Error('the pause took effect meanwhile');
      return [
        {
          id: s.id,
          status: 'completed',
          outcome: { action: 'cancelled the pause', pause: pause.id },
        },
      ];
    }
  }
}
