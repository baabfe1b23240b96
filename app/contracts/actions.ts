import type { Role, SignalKind } from '@/db/vocabulary';
import type { ActionResult } from './loaded';
import type { SignalView } from './signals';

/**
 * The server actions as components see them. Pages hand them down as props (the one
 * rule for server actions in components), so components never import from app/.
 */

export interface RequestSignalData {
  signal: SignalView;
  /** False when an open signal of the same kind existed and was returned instead. */
  created: boolean;
  /** Signal Desk workers serving the queue; 0 means the signal waits for one; null if unknown. */
  workers: number | null;
  /**
   * When the answer is a signal that already finished (the request repeated one acted
   * on moments ago: a double click), how long ago it finished, by the server's clock.
   */
  finishedAgoMs: number | null;
}

export interface BulkSignalData {
  /** The tracked operation this request became (`/operations/<id>`). */
  operationId: number;
  /** Jobs the request named or found by name, skipped ones included. */
  jobCount: number;
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

/** The job views' actions (jobs list, job page). */
export interface SignalActions {
  requestSignal: (input: {
    queue: string;
    jobId: string;
    signal: SignalKind;
    reason: string | null;
  }) => Promise<ActionResult<RequestSignalData>>;
  requestBulkSignals: (input: {
    queue: string;
    signal: SignalKind;
    reason: string | null;
    jobIds?: string[];
    name?: string;
  }) => Promise<ActionResult<BulkSignalData>>;
  countNamedJobs: (input: { queue: string; name: string }) => Promise<ActionResult<NamedJobsCount>>;
}

/** Admin: the users panel's actions. */
export interface UserActions {
  createUser: (input: {
    email: string;
    name?: string;
    role: string;
    password: string;
  }) => Promise<ActionResult<{ id: string; email: string; role: Role }>>;
  changeRole: (input: {
    userId: string;
    role: string;
  }) => Promise<ActionResult<{ email: string; role: Role }>>;
  setDisabled: (input: {
    userId: string;
    disabled: boolean;
  }) => Promise<ActionResult<{ email: string; disabled: boolean }>>;
}

/** Admin: the tokens panel's actions. */
export interface TokenActions {
  createToken: (input: {
    name: string;
    role: string;
  }) => Promise<ActionResult<{ token: string; name: string; role: Role }>>;
  revokeToken: (input: { id: number }) => Promise<ActionResult<{ name: string }>>;
}

/** Admin: pause or resume a whole queue. */
export type SetQueuePaused = (input: {
  queue: string;
  paused: boolean;
}) => Promise<ActionResult<{ queue: string; paused: boolean }>>;
