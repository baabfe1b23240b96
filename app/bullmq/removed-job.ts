import type { JobView } from '@/app/contracts';
import type { JobSignal } from '@/db/schema';

/** What a cancel recorded of the job it removed (worker/toolkit/queued-jobs.ts). */
interface RemovedOutcome {
  jobName?: string;
  data?: unknown;
  attemptsMade?: number;
  resumeState?: unknown;
  /** The state it was removed from: a queued one, or `paused`. */
  from?: string;
  /** When the job was added (recorded since 0.1; older rows fall back to `addedAt`). */
  timestamp?: number;
}

/** Whether a signal is the cancel that removed its job from the queue (SQL twin: db/schema's removedJob). */
export function isRemoval(s: JobSignal): boolean {
  return s.signal === 'cancel' && s.status === 'completed' && s.outcome?.action === 'removed';
}

/**
 * A job that a cancel removed from its queue, rebuilt from the cancel signal's
 * outcome: state `cancelled`.
 */
export function removedJobView(removal: JobSignal, addedAt?: number): JobView {
  const outcome = (removal.outcome ?? {}) as RemovedOutcome;
  return {
    queue: removal.queue,
    id: removal.jobId,
    name: outcome.jobName ?? removal.jobName,
    state: 'cancelled',
    data: outcome.data ?? null,
    opts: {},
    progress: 0,
    attemptsMade: outcome.attemptsMade ?? 0,
    attemptsStarted: 0,
    timestamp:
      typeof outcome.timestamp === 'number'
        ? outcome.timestamp
        : (addedAt ?? removal.createdAt.getTime()),
    processedOn: null,
    finishedOn: removal.completedAt?.getTime() ?? null,
    failedReason: `cancelled by ${removal.requestedBy}${removal.reason ? `: ${removal.reason}` : ''} (${outcome.from === 'paused' ? 'removed while paused' : 'removed before it started'})`,
    stacktrace: [],
    returnvalue: null,
    processedBy: null,
    parked: null,
    resumeState: outcome.resumeState ?? null,
    schedulerId: null,
    parent: null,
  };
}
