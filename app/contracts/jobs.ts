import type { SignalKind } from '@/db/vocabulary';
import type { JobStateName } from '@/worker/job-state';
import type { SignalView } from './signals';

/** What the dashboard and the API show of a job. */
export interface JobView {
  queue: string;
  id: string;
  name: string;
  state: JobStateName | 'unknown';
  data: unknown;
  opts: Record<string, unknown>;
  progress: unknown;
  attemptsMade: number;
  attemptsStarted: number;
  timestamp: number;
  processedOn: number | null;
  finishedOn: number | null;
  failedReason: string | null;
  stacktrace: string[];
  returnvalue: unknown;
  processedBy: string | null;
  parked: { at: number; signalId: number } | null;
  resumeState: unknown;
  /** The job scheduler whose run this job is (`job.repeatJobKey`), or null. */
  schedulerId: string | null;
  /** The flow parent this job is a child of, or null. */
  parent: JobRef | null;
}

/**
 * A job another job points at (a flow's parent or child). `queue` is null when
 * its key has another BullMQ prefix than the dashboard's: shown, not linked.
 */
export interface JobRef {
  queue: string | null;
  id: string;
  /** BullMQ's full key, `<prefix>:<queue>:<id>`. */
  key: string;
}

/**
 * A job as lists carry it (`/jobs`, `GET /api/jobs`): the big fields only when
 * asked for (`include=data,returnvalue,stacktrace`).
 */
export type JobListItem = Omit<JobView, 'data' | 'returnvalue' | 'stacktrace'> &
  Partial<Pick<JobView, 'data' | 'returnvalue' | 'stacktrace'>>;

/** How much of the queues a filtered list looked through (see `GET /api/jobs`). */
export interface JobScanReport {
  looked: number;
  limit: number;
  /** False when the limit stopped it before the end: the total counts matches among `looked`. */
  complete: boolean;
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
  /** The job scheduler whose run this is, or null (its dialogs say what a signal does to it). */
  schedulerId: string | null;
  /** The flow parent of this job, or null. */
  parent: JobRef | null;
}

export const rowKey = (queue: string, id: string) => `${queue}:${id}`;

export interface QueueSummary {
  name: string;
  counts: Record<JobStateName, number>;
  /** States whose count is an estimate (shown with ≈). */
  approximate: JobStateName[];
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
  /** Set when a name or search filter looked through a bounded number of jobs. */
  scan: JobScanReport | null;
  /** Set when the filter could not run now (the caller's searches are busy). */
  busy: string | null;
}
