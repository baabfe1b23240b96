import type { JobSignal } from '../../db/schema';
import type { SignalFinish } from '../../db/worker-signals';
import type { JobStateName } from '../job-state';
import { type ParkMarker, readMarker } from '../marker';

/**
 * What to do with the open signals of jobs that no worker holds (queued or
 * paused): a pure decision, from the signals and the jobs' states as last read.
 * The I/O around it is queued-jobs.ts.
 */

/**
 * An action on Redis that a claim must win first. `mark-cancel` is for a job
 * scheduler's run, which BullMQ will not remove: the job is marked, and the worker
 * that starts it cancels it before its processor runs.
 */
export type QueuedAct = 'remove' | 'park' | 'promote' | 'cancel-pause' | 'mark-cancel';

export interface QueuedPlan<J> {
  signal: JobSignal;
  act: QueuedAct;
  job: J;
  state: JobStateName | 'unknown';
  /** For cancel-pause: the open pause a resume cancels out. */
  pause?: JobSignal;
}

/** The little the plan needs to know of a job. */
export interface PlanFacts {
  timestamp: number;
  data: unknown;
  /** Set for a job scheduler's run. */
  repeatJobKey: string | null;
}

export interface QueuedDecision<J> {
  /** Redis actions, each to be claimed first. */
  plans: QueuedPlan<J>[];
  /** Signals to finish at once (nothing to act on, or recorded late), after a claim too. */
  finishes: SignalFinish[];
}

const QUEUED = new Set<string>(['waiting', 'prioritized', 'delayed', 'waiting-children']);

/**
 * Whether no worker is acting on this signal: pending; claimed long enough ago
 * (`staleSeconds`) that the claimer is presumed gone; or claimed by this very
 * process (`me`), which is not acting on it if it is asking (its job is not held
 * here, and no run for its queue is in flight).
 */
export function isClaimable(
  s: Pick<JobSignal, 'status' | 'deliveredAt' | 'workerId'>,
  staleSeconds: number,
  now = Date.now(),
  me?: string,
): boolean {
  if (s.status === 'pending') return true;
  if (s.status !== 'delivered') return false;
  if (me !== undefined && s.workerId === me) return true;
  return (s.deliveredAt?.getTime() ?? 0) < now - staleSeconds * 1000;
}

/**
 * Decides, for each claimable signal of one queue, what this process does:
 * finish it with an outcome, plan a Redis action, or leave it (a running job's
 * signals belong to its holder; a waiting job's pause to the worker that picks it
 * up). `allOpen` is every open signal of the queue (to see a cancel beside a pause).
 */
export function planQueuedSignals<J extends PlanFacts>(
  queue: string,
  candidates: JobSignal[],
  jobs: ReadonlyMap<string, { job: J; state: JobStateName | 'unknown' }>,
  allOpen: readonly JobSignal[],
): QueuedDecision<J> {
  const finishes: SignalFinish[] = [];
  const plans: QueuedPlan<J>[] = [];
  const supersede = (s: JobSignal, outcome: Record<string, unknown> & { reason: string }) =>
    finishes.push({ id: s.id, status: 'superseded', outcome });
  const complete = (s: JobSignal, outcome: Record<string, unknown>) =>
    finishes.push({ id: s.id, status: 'completed', outcome });
  const openOf = (jobId: string, kind: string) =>
    allOpen.find((o) => o.jobId === jobId && o.signal === kind && o.queue === queue);

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
      // The holder cancelled it but could not record it (PostgreSQL was away).
      const by = readMarker(job.data)?.cancelled?.signalId;
      if (s.signal === 'cancel' && (by === undefined || by === s.id))
        complete(s, { action: 'cancelled', recordedLate: true });
      else supersede(s, { reason: 'job was cancelled', state, ...(by ? { by } : {}) });
      continue;
    }
    // A running job is acted on by the process that holds it (or, if that process
    // died, by the one that picks the job up again after BullMQ's stall check).
    if (state === 'active' || state === 'unknown') continue;
    const marker: ParkMarker | undefined = readMarker(job.data);
    const cancel = openOf(s.jobId, 'cancel');

    if (s.signal === 'cancel') {
      if (!QUEUED.has(state) && state !== 'paused') continue;
      if (!job.repeatJobKey) plans.push({ signal: s, act: 'remove', job, state });
      // A scheduler's run already marked for this cancel waits for its start; nothing to do.
      else if (marker?.cancelAtStart?.signalId !== s.id)
        plans.push({ signal: s, act: 'mark-cancel', job, state });
      continue;
    }
    if (cancel) {
      supersede(s, { reason: 'job is being cancelled', by: cancel.id });
      continue;
    }
    if (s.signal === 'pause') {
      if (job.repeatJobKey && state !== 'paused') {
        // Parking one run would hold it for years while the scheduler reports it as next.
        supersede(s, {
          reason: `job is a run of job scheduler ${job.repeatJobKey}; pause the queue or the scheduler instead`,
          state,
        });
      } else if (state === 'paused') {
        if (marker?.paused?.signalId === s.id) {
          complete(s, { action: 'parked', at: marker.state ?? null, recovered: true });
        } else supersede(s, { reason: 'job is already paused' });
      } else if (state === 'delayed' && !openOf(s.jobId, 'resume')) {
        plans.push({ signal: s, act: 'park', job, state });
      }
      // Waiting and prioritized jobs are parked by the worker that picks them up, before the processor runs.
      continue;
    }
    // resume
    if (state === 'paused') plans.push({ signal: s, act: 'promote', job, state });
    else if (marker?.paused) {
      // Put back to waiting already; the worker that starts it completes the resume.
    } else {
      const pause = openOf(s.jobId, 'pause');
      if (pause) plans.push({ signal: s, act: 'cancel-pause', job, state, pause });
      else supersede(s, { reason: 'job is not paused', state });
    }
  }
  return { plans, finishes };
}
