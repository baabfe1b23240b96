import type { SignalKind } from '@/db/vocabulary';
import type { SignalWait } from './follow';

/** A bulk request as a tracked operation: who asked, why, for how many jobs. */
export interface OperationView {
  id: number;
  signal: SignalKind;
  queue: string;
  requestedBy: string;
  reason: string | null;
  /** The job name asked for, or null when the request listed job ids. */
  name: string | null;
  /** Jobs the request named (or found by name), skipped ones included. */
  jobCount: number;
  createdAt: string;
}

/**
 * Where an operation is, counted from its signals (one grouped query). Jobs that
 * already had an open signal of the kind are followed by that signal, not counted
 * here: `alreadyOpen` says how many.
 */
export interface OperationProgress {
  operation: OperationView;
  /** Signals the operation wrote. */
  written: number;
  /** Acted on by a worker (completed). */
  acted: number;
  /** Nothing to act on (the job finished first, a later signal cancelled it out, …). */
  superseded: number;
  /** Still pending or delivered. */
  open: number;
  /** Jobs that already had an open signal of this kind: nothing new was written for them. */
  alreadyOpen: number;
  /** Jobs whose state did not allow the signal. */
  skippedCount: number;
  /**
   * Superseded signals grouped by why, most common first: read for the operation's
   * page and API, and once nothing is open (a running operation's toast needs none).
   */
  supersededWhy: { reason: string; count: number }[];
  /** When its last signal finished (ISO), once none is open. */
  finishedAt: string | null;
  /** The server's clock when this was read (ISO), for "done in 1.4 s" and "for 12 s". */
  readAt: string;
}

/** The operation's own page: its progress, what it skipped, and its oldest open signals. */
export interface OperationPageData extends OperationProgress {
  skipped: { jobId: string; reason: string }[];
  /** Up to 20 of its open signals, oldest first, each with why it waits (when late). */
  waiting: {
    id: number;
    jobId: string;
    status: 'pending' | 'delivered';
    wait: SignalWait | null;
  }[];
}
