/**
 * Messages between the runner and its worker processes (Node IPC).
 *
 * Modes of a worker process:
 * - `signal`: `createSignalWorker` whose jobs checkpoint every millisecond until stopped;
 * - `select`: a bare BullMQ `Worker` whose jobs run one indexed SELECT per checkpoint
 *   (the baseline pattern) every millisecond until they find a cancel;
 * - `idle`: `createSignalWorker` with `autorun: false`: it runs no job but acts on
 *   the signals of queued jobs (bulk cancel);
 * - `watchers`: one bare signal watcher per queue of `watcherQueues` (no worker, no
 *   job): the other processes of a fleet, listening (fanout).
 */
export type ChildMode = 'signal' | 'select' | 'idle' | 'watchers';

export interface ChildOptions {
  mode: ChildMode;
  queue: string;
  concurrency: number;
  databaseUrl: string;
  pollMs: number;
  /** The watchers' read on a notification (see WatcherOptions.notifyRead). */
  notifyRead?: 'changes' | 'all';
  /** `watchers` mode: the queue each watcher serves. */
  watcherQueues?: string[];
}

export type StopKind = 'cancel' | 'pause' | 'error';

/** When a job stopped, and the steps of a cancel on the way (wall-clock ms). */
export interface StopTimes {
  /** The processor stopped: the checkpoint threw. */
  at: number;
  how: StopKind;
  /** The job's AbortSignal fired: the cancel reached the worker process. */
  abortedAt?: number;
  /** `onCancel` ran: a checkpoint acted on the cancel (the signal is recorded after it). */
  cleanupAt?: number;
}

export type ChildMessage =
  | { t: 'ready'; pid: number }
  | { t: 'started'; id: string; at: number }
  | ({ t: 'stopped'; id: string } & StopTimes)
  | { t: 'clock'; at: number }
  | ({ t: 'stats' } & ChildStats)
  | { t: 'fatal'; error: string };

/** Counters since the previous `stats` request (which resets them). */
export interface ChildStats {
  notifications: number;
  refreshes: number;
  /** SQL statements the watchers' reads sent. */
  readStatements: number;
  /** CPU time (user + system) of the process, ms. */
  cpuMs: number;
  /** Event-loop delay: how late timers and I/O callbacks ran, ms. */
  loopDelayP99Ms: number;
  loopDelayMaxMs: number;
}

export type ParentMessage = { t: 'clock' } | { t: 'stats' } | { t: 'close' };
