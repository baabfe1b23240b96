import type { SignalKind, SignalStatus } from '@/db/schema';
import type { JobStateName, JobView } from '@/worker/job-state';

/** A signal as the browser gets it: plain JSON, times as ISO strings. */
export interface SignalView {
  id: number;
  signal: SignalKind;
  status: SignalStatus;
  reason: string | null;
  requestedBy: string;
  workerId: string | null;
  outcome: Record<string, unknown> | null;
  createdAt: string;
  deliveredAt: string | null;
  completedAt: string | null;
}

/** One row of the jobs table: what the list shows, not the whole job. */
export interface JobRow {
  /** `${queue}:${id}`; BullMQ queue names cannot contain ':' so this is unique. */
  key: string;
  queue: string;
  id: string;
  name: string;
  state: JobStateName | 'unknown';
  progress: unknown;
  attemptsMade: number;
  /** opts.attempts (1 when not set). */
  maxAttempts: number;
  addedAt: number;
  startedAt: number | null;
  finishedAt: number | null;
  latestSignal: SignalView | null;
  /** The signals the job's state allows now (the domain's own rules, checked on the server). */
  actions: SignalKind[];
  /** Signal Desk workers that served the job's queue recently; 0 means a signal would wait. */
  workers: number;
}

export interface QueueSummary {
  name: string;
  counts: Record<JobStateName, number>;
  /** Signal Desk workers seen serving it in the last 30 seconds. */
  workers: number;
}

export interface JobsPageData {
  rows: JobRow[];
  total: number;
  queues: QueueSummary[];
  /** The queue the URL names does not exist in Redis. */
  missingQueue: string | null;
  prefix: string;
}

export const rowKey = (queue: string, id: string) => `${queue}:${id}`;

/** What a server action answers (the shape of app/lib/safe-action's ActionResult). */
export type ActionOutcome<T> = { ok: true; data: T } | { ok: false; error: string };

export interface RequestSignalData {
  signal: SignalView;
  /** False when an open signal of the same kind existed and was returned instead. */
  created: boolean;
  /** Signal Desk workers serving the queue; 0 means the signal waits for one; null if unknown. */
  workers: number | null;
}

export interface BulkSignalData {
  /** Jobs that now have the signal open (new or already there). */
  requested: number;
  /** Of those, how many already had it open. */
  existing: number;
  skipped: { jobId: string; reason: string }[];
  workers: number | null;
}

export interface NamedJobsCount {
  /** Queued (waiting, prioritized, delayed, which includes paused) and running jobs of the name. */
  count: number;
  workers: number | null;
}

/**
 * The server actions the job views call, handed down by the page so that
 * components never import from app/ (dependencies point one way).
 */
export interface SignalActions {
  requestSignal: (input: {
    queue: string;
    jobId: string;
    signal: SignalKind;
    reason: string | null;
  }) => Promise<ActionOutcome<RequestSignalData>>;
  requestBulkSignals: (input: {
    queue: string;
    signal: SignalKind;
    reason: string | null;
    jobIds?: string[];
    name?: string;
  }) => Promise<ActionOutcome<BulkSignalData>>;
  countNamedJobs: (input: {
    queue: string;
    name: string;
  }) => Promise<ActionOutcome<NamedJobsCount>>;
}

/** Everything the job page shows. */
export interface JobDetailData {
  /** The job as a table row: state, latest signal and allowed actions. */
  row: JobRow;
  job: JobView & { removed: boolean };
  /** Every signal of the job, oldest first. */
  signals: SignalView[];
  logs: string[];
  logCount: number;
}
