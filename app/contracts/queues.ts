import type { JobSignal } from '@/db/schema';
import type { JobStateName } from '@/worker/job-state';

/** One BullMQ worker connection, as Redis CLIENT LIST describes it. */
export interface QueueWorker {
  id: string;
  name: string;
  addr: string;
  /** Seconds connected, and idle since the last command. */
  age: number;
  idle: number;
}

export interface QueueOverview {
  name: string;
  counts: Record<JobStateName, number>;
  /** States whose count is an estimate (shown with ≈). */
  approximate: JobStateName[];
  workers: QueueWorker[];
  /** The whole queue is paused (BullMQ's queue pause: workers take no new job). */
  paused: boolean;
  /** Signal Desk worker processes seen serving this queue in the last 30 s. */
  signalWorkers: number;
  open: number;
  oldestOpenAt: Date | null;
  /** Up to five open signals, oldest first. */
  openSignals: JobSignal[];
  completed24h: number;
  medianSeconds: number | null;
  slowestSeconds: number | null;
}

/** `/queues`: one page of the queues whose names match the search. */
export interface QueuesPageData {
  queues: QueueOverview[];
  /** Queues matching the search (all discovered ones without a search). */
  total: number;
  /** Every queue found in Redis. */
  discovered: number;
  page: number;
  pageSize: number;
  search: string;
  /** Keys that look like queues but are not listed, by why (a name too long, not UTF-8, …). */
  skipped: { reason: string; count: number }[];
}
