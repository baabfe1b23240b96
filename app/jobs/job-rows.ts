import type { JobRow, JobView, SignalView } from '@/app/contracts';
import { rowKey } from '@/app/contracts';
import { checkSignal } from '@/app/requests/rules';
import type { JobSignal } from '@/db/schema';
import type { SignalKind } from '@/db/vocabulary';

const KINDS: readonly SignalKind[] = ['cancel', 'pause', 'resume'];

const iso = (d: Date | null) => (d ? d.toISOString() : null);

export function toSignalView(s: JobSignal): SignalView {
  return {
    id: s.id,
    signal: s.signal,
    status: s.status,
    reason: s.reason,
    requestedBy: s.requestedBy,
    workerId: s.workerId,
    outcome: s.outcome ?? null,
    createdAt: s.createdAt.toISOString(),
    deliveredAt: iso(s.deliveredAt),
    completedAt: iso(s.completedAt),
  };
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
  return KINDS.filter(
    (k) =>
      !open.has(k) &&
      checkSignal(k, job.id, job.state, open, { schedulerId: job.schedulerId }) === null,
  );
}

export function toJobRow(
  job: JobView,
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
    schedulerId: job.schedulerId,
    parent: job.parent,
  };
}
