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
