import type { JobListItem, JobRow, JobView } from '@/app/contracts';
import { rowKey, toSignalView } from '@/app/contracts';
import { checkSignal } from '@/app/requests/rules';
import type { JobSignal } from '@/db/schema';
import { SIGNAL_KINDS, type SignalKind } from '@/db/vocabulary';

/**
 * The signals worth offering for a job: those the domain's rules allow in its state
 * (the same `checkSignal` the requests use), minus any already open (asking again
 * would only return the open one).
 */
export function allowedSignals(job: Pick<JobView, 'id' | 'state'>, open: ReadonlySet<SignalKind>) {
  return SIGNAL_KINDS.filter(
    (k) => !open.has(k) && checkSignal(k, job.id, job.state, open) === null,
  );
}

export function toJobRow(
  job: JobListItem,
  latest: JobSignal | undefined,
  open: ReadonlySet<SignalKind>,
  workers: number,
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
    latestSignal: latest ? toSignalView(latest) : null,
    actions: allowedSignals(job, open),
    workers,
  };
}
