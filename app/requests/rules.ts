import { KEY_MAX_BYTES, signallableId, tooLong } from '@/app/contracts/limits';
import type { JobSignal } from '@/db/schema';
import type { SignalKind } from '@/db/vocabulary';
import { REASON_MAX } from '@/db/vocabulary';
import { FINISHED_STATES, type JobStateName } from '@/worker/job-state';

/**
 * The request service's rules, as pure functions: which signals make sense for a
 * job in a given state, and what a reason may be. The buttons, the REST API and
 * the jobs list (which offers only the allowed actions) all ask these.
 */

/** Why a request was refused: maps to 400, 404, 409 and 429 (a scan of this caller runs). */
export type RefusalCode = 'invalid' | 'not_found' | 'conflict' | 'busy';
export interface Refusal {
  ok: false;
  code: RefusalCode;
  error: string;
}

export const refuse = (code: RefusalCode, error: string): Refusal => ({ ok: false, code, error });

/** Most job ids one bulk request may name. */
export const BULK_MAX_IDS = 1000;

const FINISHED_WORDS: Record<string, string> = {
  completed: 'has already completed',
  failed: 'has already failed',
  cancelled: 'has already been cancelled',
};

/** What the rules need to know of a job beyond its state (read from its BullMQ hash, no extra call). */
export interface JobTies {
  /** The job scheduler whose run this job is (BullMQ's `job.repeatJobKey`), if any. */
  schedulerId?: string | null;
}

/**
 * Whether `signal` makes sense for a job in `state` that has `openKinds` signals
 * open. Returns the refusal in words, or null when the request may be written.
 */
export function checkSignal(
  signal: SignalKind,
  jobId: string,
  state: JobStateName | 'unknown',
  openKinds: ReadonlySet<SignalKind>,
  ties: JobTies = {},
): Refusal | null {
  if (state === 'unknown') return refuse('not_found', `Job ${jobId} does not exist.`);
  if (!signallableId(jobId)) {
    // BullMQ takes such ids (bulk requests by name meet them); job_signals cannot index them.
    return refuse(
      'invalid',
      `${tooLong('jobId', KEY_MAX_BYTES)}: the signals table cannot index it, so no signal can reach this job.`,
    );
  }
  if ((FINISHED_STATES as readonly string[]).includes(state)) {
    return refuse(
      'conflict',
      `Job ${jobId} ${FINISHED_WORDS[state]}; there is nothing to ${signal}.`,
    );
  }
  if (signal === 'cancel') return null;
  if (signal === 'pause') {
    if (state === 'paused') return refuse('conflict', `Job ${jobId} is already paused.`);
    if (state === 'waiting-children') {
      return refuse('conflict', `Job ${jobId} is waiting for its children and cannot be paused.`);
    }
    if (ties.schedulerId) return refuse('conflict', schedulerPauseRefusal(jobId, ties.schedulerId));
    if (openKinds.has('cancel')) return refuse('conflict', `Job ${jobId} is being cancelled.`);
    return null;
  }
  // resume
  if (state === 'paused' || openKinds.has('pause')) return null;
  return refuse(
    'conflict',
    `Job ${jobId} is not paused (it is ${state}); only a paused job can be resumed.`,
  );
}

/**
 * How long after a signal finished a request of the same kind for the same job is
 * taken as its repeat (a double click, a second person on a stale page, a script
 * retrying a timed-out call) rather than a new request.
 */
export const REPEAT_WINDOW_MS = 60_000;

/**
 * Whether a request that the job's state refuses repeats `last`, the newest signal
 * of the same kind for the job, finished moments ago, whose effect is where the job
 * is now: a cancel that ended (or removed) it, a pause that parked it, a resume
 * that set it going again, or any of them that the job's own end made unnecessary
 * (superseded). Such a request is answered with `last`, never refused: a double
 * click is not an error. `state` is `gone` when Redis no longer has the job, and
 * `jobTimestamp` then null.
 */
export function isRepeatOf(
  signal: SignalKind,
  state: JobStateName | 'unknown' | 'gone',
  last: Pick<JobSignal, 'signal' | 'status' | 'createdAt' | 'completedAt'> | undefined,
  jobTimestamp: number | null,
  now: number,
): boolean {
  if (!last || last.signal !== signal || !last.completedAt) return false;
  if (last.status !== 'completed' && last.status !== 'superseded') return false;
  if (now - last.completedAt.getTime() > REPEAT_WINDOW_MS) return false;
  // A signal older than this run of the job belongs to an earlier job with the same id.
  if (jobTimestamp !== null && last.createdAt.getTime() < jobTimestamp) return false;
  // `unknown`: the job was there when the request looked it up, and gone when it asked its state.
  const gone = state === 'gone' || state === 'unknown';
  const finished = gone || (FINISHED_STATES as readonly string[]).includes(state);
  if (last.status === 'superseded') return finished;
  if (signal === 'cancel') return state === 'cancelled' || gone;
  if (signal === 'pause') return state === 'paused';
  return state !== 'paused' && !gone;
}

/**
 * Why a scheduler's run is not paused: BullMQ would keep reporting it as the
 * scheduler's next run while it sat parked for years, and no new run would come.
 */
function schedulerPauseRefusal(jobId: string, schedulerId: string): string {
  return (
    `Job ${jobId} is a run of job scheduler ${schedulerId} and cannot be paused: ` +
    'pausing one run would hold it for years while the scheduler reports it as its next run. ' +
    'Pause the queue (admins, on /queues) or remove the scheduler instead; ' +
    'to skip only this run, cancel it.'
  );
}

export function checkReason(reason: string | null | undefined): Refusal | null {
  if (reason != null && [...reason].length > REASON_MAX) {
    return refuse(
      'invalid',
      `The reason is ${[...reason].length} characters long; at most ${REASON_MAX} are allowed.`,
    );
  }
  return null;
}
