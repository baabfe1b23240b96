import type { JobListItem, JobRow, JobView, SignalWait } from '@/app/contracts';
import { rowKey, toSignalView } from '@/app/contracts';
import { checkSignal } from '@/app/requests/rules';
import type { JobSignal } from '@/db/schema';
import { isOpenStatus, SIGNAL_KINDS, type SignalKind } from '@/db/vocabulary';
import { whySignalWaits } from './signal-wait';

/** What working out why open signals wait needs besides the signal and its job. */
export interface WaitContext {
  /** When worker processes last beat (epoch ms), by worker id. */
  lastSeen: ReadonlyMap<string, number>;
  /** The server's clock. */
  now: number;
}

/**
 * The worker processes whose heartbeats tell why these jobs' open signals wait: the
 * holders of running jobs and the claimers of delivered signals.
 */
export function workersToCheck(
  items: { job: Pick<JobView, 'state' | 'processedBy'> | null; signal: JobSignal | undefined }[],
): string[] {
  const ids = new Set<string>();
  for (const { job, signal } of items) {
    if (!signal || !isOpenStatus(signal.status)) continue;
    if (job?.state === 'active' && job.processedBy) ids.add(job.processedBy);
    if (signal.workerId) ids.add(signal.workerId);
  }
  return [...ids];
}

/** Why an open signal waits (null when it does not, or is finished). */
export function waitOf(
  signal: JobSignal,
  job: Pick<JobView, 'state' | 'processedBy'> | null,
  queueWorkers: number,
  ctx: WaitContext,
): SignalWait | null {
  if (!isOpenStatus(signal.status)) return null;
  return whySignalWaits({
    signal: {
      status: signal.status,
      createdAt: signal.createdAt.getTime(),
      deliveredAt: signal.deliveredAt?.getTime() ?? null,
      workerId: signal.workerId,
    },
    job: job ? { state: job.state, processedBy: job.processedBy } : null,
    queueWorkers,
    lastSeen: ctx.lastSeen,
    now: ctx.now,
  });
}

/**
 * The signals worth offering for a job: those the domain's rules allow in its state
 * (the same `checkSignal` the requests use), minus any already open (asking again
 * would only return the open one).
 */
export function allowedSignals(
  job: Pick<JobView, 'id' | 'state' | 'schedulerId'>,
  open: ReadonlySet<SignalKind>,
) {
  return SIGNAL_KINDS.filter(
    (k) =>
      !open.has(k) &&
      checkSignal(k, job.id, job.state, open, { schedulerId: job.schedulerId }) === null,
  );
}

export function toJobRow(
  job: JobListItem,
  latest: JobSignal | undefined,
  open: ReadonlySet<SignalKind>,
  workers: number,
  waits?: WaitContext,
): JobRow {
  const attempts = Number((job.opts as { attempts?: unknown }).attempts);
  return {
    key: rowKey(job.queue, job.id),
    queue: job.queue,
    id: job.id,
    name: job.name,
    state: job.state,
    progress: job.progress,
    attemptsMade: job.attemptsMade,
    maxAttempts: Number.isFinite(attempts) && attempts > 0 ? attempts : 1,
    addedAt: job.timestamp,
    startedAt: job.processedOn,
    finishedAt: job.finishedOn,
    latestSignal: latest
      ? { ...toSignalView(latest), wait: waits ? waitOf(latest, job, workers, waits) : null }
      : null,
    actions: allowedSignals(job, open),
    workers,
    schedulerId: job.schedulerId,
    parent: job.parent,
  };
}
