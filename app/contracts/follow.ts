import type { JobRow } from './jobs';
import type { OperationProgress } from './operations';
import type { SignalView } from './signals';

/**
 * Why an open signal has not been acted on yet, as the dashboard works it out
 * (app/jobs/signal-wait.ts). Durations are measured on the server when it read
 * the signal, so a browser's clock never skews them.
 *
 * - `no-worker`: no Signal Desk worker serves the queue; the signal waits for one.
 * - `holder-gone`: the worker process running the job stopped heartbeating.
 * - `holder-foreign`: the job runs on a worker that is not built with Signal Desk.
 * - `no-checkpoint`: the worker holding the job has the signal, and the job has not
 *   reached a checkpoint since.
 * - `claim-stuck`: a worker claimed the signal of a queued job and has not finished.
 * - `not-taken`: workers serve the queue, and none has taken the signal yet.
 */
export type SignalWait =
  | { why: 'no-worker'; forMs: number }
  | { why: 'holder-gone'; forMs: number; workerId: string; silentMs: number }
  | { why: 'holder-foreign'; forMs: number; workerId: string }
  | { why: 'no-checkpoint'; forMs: number; workerId: string | null }
  | { why: 'claim-stuck'; forMs: number; workerId: string | null }
  | { why: 'not-taken'; forMs: number; workers: number };

/** One signal a person asked for from a list, as the list and its toast follow it. */
export interface FollowedSignal {
  signal: SignalView;
  queue: string;
  jobId: string;
  /** The job's row as it is now (state, latest signal, allowed actions); null once nobody knows the job. */
  row: JobRow | null;
}

/** What `readFollowed` answers: the signals and operations asked for that exist. */
export interface FollowedData {
  signals: FollowedSignal[];
  operations: OperationProgress[];
}

/** Where a page reads what it follows: `GET /api/follow?signals=1,2&operations=3` answers FollowedData. */
export const FOLLOW_PATH = '/api/follow';
