import type { JobRef, JobRow, JobView } from './jobs';
import type { SignalView } from './signals';

/** A job scheduler as the page of one of its runs shows it (BullMQ's `getJobScheduler`). */
export interface SchedulerView {
  id: string;
  /** False when the scheduler was removed after this run was scheduled. */
  exists: boolean;
  /** The name its runs get. */
  name: string | null;
  /** A cron pattern, or null for an `every` schedule. */
  pattern: string | null;
  /** Milliseconds between runs, or null for a cron pattern. */
  every: number | null;
  tz: string | null;
  /** When the scheduler's next run is due (epoch ms), or null when it has none. */
  next: number | null;
  /** Runs made so far, and the most it makes (null: no limit). */
  iterations: number | null;
  limit: number | null;
  endDate: number | null;
}

/** A flow parent's children, counted by BullMQ's dependency sets. */
export interface ChildrenView {
  total: number;
  /** Still to run (waiting, delayed, running). */
  pending: number;
  /** Completed. */
  processed: number;
  /** Failed (the parent went on: `continueParentOnFailure`). */
  failed: number;
  /** Failed and ignored by the parent (`ignoreDependencyOnFailure`). */
  ignored: number;
  /** The first few children, for links and for naming their queues. */
  shown: JobRef[];
}

/** What else a job is tied to: its scheduler, its flow parent and its children. */
export interface JobRelations {
  scheduler: SchedulerView | null;
  parent: JobRef | null;
  children: ChildrenView | null;
}

/** Everything the job page shows. */
export interface JobDetailData {
  /** The job as a table row: state, latest signal and allowed actions. */
  row: JobRow;
  /** The whole job (server-side: the page shows each large value cut, never whole). */
  job: JobView & { removed: boolean };
  relations: JobRelations;
  /** The newest `signalsShown` signals, oldest first. */
  signals: SignalView[];
  /** Signals of this job in all. */
  signalTotal: number;
  /** How many the page asked for (`?signals=`), so "show older" can ask for more. */
  signalLimit: number;
  /** `job.log` lines, oldest first (at most the last 500). */
  logs: string[];
  logCount: number;
}

/**
 * The values of a job that `GET /api/jobs/:queue/:id/values/:field` serves whole,
 * however large (the job page shows them cut). `outcome` is one signal's (`?signal=`).
 */
export const JOB_VALUE_FIELDS = [
  'data',
  'returnvalue',
  'stacktrace',
  'failedReason',
  'logs',
  'opts',
  'progress',
  'outcome',
] as const;
export type JobValueField = (typeof JOB_VALUE_FIELDS)[number];
