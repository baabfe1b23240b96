import type { Job, Queue } from 'bullmq';
import type { Database } from '../../db/client';
import type { JobSignal } from '../../db/schema';
import {
  claimSignals,
  finishSignals,
  handBackSignals,
  type SignalFinish,
  staleClaimSeconds,
} from '../../db/worker-signals';
import { PARK_DELAY_MS, readMarker, stripMarker, withMarker } from '../marker';
import { describeError } from './errors';
import { isClaimable, planQueuedSignals, type QueuedPlan } from './queued-jobs-plan';
import { readJobsWithState } from './read-jobs';

const ACT_CONCURRENCY = 32;

interface Env {
  db: Database;
  workerId: string;
  log(msg: string, err?: unknown): void;
}

/**
 * Acts on open signals of jobs that no worker of this process holds (queued or
 * paused jobs): reads the jobs, lets planQueuedSignals decide, claims what it
 * decided on (atomic, so two processes never both act), acts on Redis, and records
 * the outcomes. A claimer that cannot act (the job was grabbed meanwhile) hands the
 * signal back.
 */
export async function actOnQueuedJobs(
  env: Env,
  queue: Queue,
  signals: JobSignal[],
  allOpen: JobSignal[],
): Promise<void> {
  const stale = staleClaimSeconds();
  const candidates = signals.filter((s) => isClaimable(s, stale));
  if (candidates.length === 0) return;
  const jobs = await readJobsWithState(queue, [...new Set(candidates.map((s) => s.jobId))]);
  const { plans, finishes } = planQueuedSignals(queue.name, candidates, jobs, allOpen);

  // The plan came from a view that may be stale by now (read before a slow Redis
  // call): we finish only signals we still win the claim on, never one another worker
  // took on meanwhile.
  const claimed = new Set(
    (
      await claimSignals(
        env.db,
        [...plans.map((p) => p.signal.id), ...finishes.map((f) => f.id)],
        env.workerId,
        { holder: false },
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
  await finishSignals(env.db, env.workerId, done);
  await handBackSignals(env.db, handBack, env.workerId);
}

/** Carries out one planned action on Redis; returns the outcomes to record, or null (not yet). */
async function perform(env: Env, p: QueuedPlan<Job>): Promise<SignalFinish[] | null> {
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
      const superseded = await finishSignals(env.db, env.workerId, [
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
