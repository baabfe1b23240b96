import type { SignalWait } from '@/app/contracts';
import type { JobStateName } from '@/worker/job-state';

/**
 * Why an open signal has not been acted on yet: a pure decision, from what the
 * dashboard read (the signal, its job in Redis, the workers' heartbeats) and the
 * server's clock. The jobs list, the toasts and the job page all show its answer.
 */

/**
 * The time a worker takes to act on a signal, with margin: a notification reaches
 * the workers in milliseconds, and the poll that heals a missed one runs every 2 s.
 * A signal open longer than this is late; before it, the dashboard says nothing.
 */
export const SIGNAL_LATE_MS = 5_000;

/** Heartbeats come every 10 s; a worker silent for this long is taken as gone. */
export const HOLDER_SILENT_MS = 30_000;

export interface WaitFacts {
  signal: {
    status: 'pending' | 'delivered' | 'completed' | 'superseded';
    /** Epoch ms. */
    createdAt: number;
    deliveredAt: number | null;
    /** Who claimed it (delivered), if anyone. */
    workerId: string | null;
  };
  /** The job as Redis has it now; null when Redis no longer has it. */
  job: { state: JobStateName | 'unknown'; processedBy: string | null } | null;
  /** Signal Desk worker processes that served the job's queue lately. */
  queueWorkers: number;
  /** When worker processes last beat, by worker id (epoch ms); never seen: absent. */
  lastSeen: ReadonlyMap<string, number>;
  now: number;
}

/**
 * Null while the signal is finished or still within the time a worker takes; else
 * the most telling reason it waits. No worker serving the queue is said at once
 * (nothing will act on it, however long one waits).
 */
export function whySignalWaits(f: WaitFacts): SignalWait | null {
  const { signal: s, job, now } = f;
  if (s.status !== 'pending' && s.status !== 'delivered') return null;
  const forMs = Math.max(0, now - s.createdAt);
  const holder = job?.state === 'active' ? job.processedBy : null;
  if (holder) {
    const seen = f.lastSeen.get(holder);
    // BullMQ names a toolkit worker after its heartbeat id: a name never seen is another kind of worker.
    if (seen === undefined) {
      if (forMs < SIGNAL_LATE_MS) return null;
      return f.queueWorkers === 0
        ? { why: 'no-worker', forMs }
        : { why: 'holder-foreign', forMs, workerId: holder };
    }
    if (now - seen > HOLDER_SILENT_MS)
      return { why: 'holder-gone', forMs, workerId: holder, silentMs: now - seen };
    if (forMs < SIGNAL_LATE_MS) return null;
    if (s.status === 'delivered') {
      // A running job's signal is `delivered` once its holder has it: no checkpoint since.
      const since = s.deliveredAt ?? s.createdAt;
      return { why: 'no-checkpoint', forMs: Math.max(0, now - since), workerId: s.workerId };
    }
    return { why: 'not-taken', forMs, workers: f.queueWorkers };
  }
  if (s.status === 'delivered' && s.workerId) {
    const seen = f.lastSeen.get(s.workerId);
    if (seen !== undefined && now - seen > HOLDER_SILENT_MS)
      return { why: 'holder-gone', forMs, workerId: s.workerId, silentMs: now - seen };
  }
  if (f.queueWorkers === 0) return { why: 'no-worker', forMs };
  if (forMs < SIGNAL_LATE_MS) return null;
  if (s.status === 'delivered') return { why: 'claim-stuck', forMs, workerId: s.workerId };
  return { why: 'not-taken', forMs, workers: f.queueWorkers };
}
