import type { Job, WorkerOptions } from 'bullmq';
import type { JobSignal } from '../../db/schema';

/** What the processor gets besides the job. */
export interface SignalContext<State = unknown> {
  /**
   * Acts on the job's open signals, if any. With nothing pending it is a map
   * lookup: no query, no round trip. A cancel runs `onCancel` and throws a
   * `JobCancelledError`; a pause saves `state`, parks the job and throws BullMQ's
   * `DelayedError` (let both propagate).
   *
   * @example
   * for (; page < pages; page++) {
   *   await ctx.checkpoint({ page });
   *   await renderPage(page, { signal: ctx.abortSignal });
   * }
   */
  checkpoint(state?: State): Promise<void>;
  /** Fires as soon as a cancel reaches this process: pass it to fetch, streams, timers. */
  readonly abortSignal: AbortSignal;
  /** The state saved by the last pause of this job (kept across attempts), or undefined. */
  readonly resumeState: State | undefined;
  /** The BullMQ lock token of this run. */
  readonly token: string;
  /** This worker process's id, as recorded on the signals it acts on. */
  readonly workerId: string;
}

export type SignalProcessor<Data = any, Result = any, State = any> = (
  job: Job<Data, Result>,
  ctx: SignalContext<State>,
) => Promise<Result>;

export interface CancelInfo<State = unknown> {
  signal: JobSignal;
  /** The state given to the checkpoint that acted (or the saved resume state when the job had not started). */
  state: State | undefined;
  /** Where the cancel was found: at a checkpoint, at the job's start, or after the abort made the processor throw. */
  during: 'checkpoint' | 'start' | 'abort';
}

export interface SignalWorkerOptions<Data = any, State = any> extends Partial<WorkerOptions> {
  /**
   * Cleanup when a cancel is acted on (remove partial files, release resources).
   * It may run before the processor did anything, so it must cope with nothing done.
   */
  onCancel?: (job: Job<Data>, info: CancelInfo<State>) => Promise<void> | void;
  /** PostgreSQL of the signals table; defaults to DATABASE_URL. Only the first worker of a process sets it. */
  databaseUrl?: string;
  /** Poll interval in ms (default SIGNAL_POLL_MS or 2000). Only the first worker of a process sets it. */
  pollMs?: number;
}
