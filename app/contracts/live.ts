/**
 * What the live-events stream (/api/events, server-sent events named `change`)
 * tells the pages: only that something changed, and where. Pages re-read their
 * data; the event is never the data itself.
 */
export interface LiveChange {
  /** Something changed that cannot be pinned down (a source reconnected or went down). */
  all: boolean;
  /** Queues with job events (added, active, progress, completed, failed, removed, …). */
  queues: string[];
  /** [queue, jobId] of the jobs those events were about (at most 200 per event). */
  jobs: [string, string][];
  /** True when `jobs` was cut short: treat every job of `queues` as changed. */
  moreJobs: boolean;
  /** Queues with signal changes (requested, delivered, completed, superseded). */
  signalQueues: string[];
}

export const LIVE_EVENTS_PATH = '/api/events';

/** True when a change touches one of `queues` (any queue when `queues` is null: the all-queues view). */
export function touchesQueues(change: LiveChange, queues: readonly string[] | null): boolean {
  if (change.all || queues === null) return true;
  const set = new Set(queues);
  return change.queues.some((q) => set.has(q)) || change.signalQueues.some((q) => set.has(q));
}

/** True when a change touches one job (or its queue's signals, which carry no job ids). */
export function touchesJob(change: LiveChange, queue: string, id: string): boolean {
  if (change.all || change.signalQueues.includes(queue)) return true;
  if (change.moreJobs && change.queues.includes(queue)) return true;
  return change.jobs.some(([q, j]) => q === queue && j === id);
}
