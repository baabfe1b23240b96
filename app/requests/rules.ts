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

/**
 * Whether `signal` makes sense for a job in `state` that has `openKinds` signals
 * open. Returns the refusal in words, or null when the request may be written.
 */
export function checkSignal(
  signal: SignalKind,
  jobId: string,
  state: JobStateName | 'unknown',
  openKinds: ReadonlySet<SignalKind>,
): Refusal | null {
  if (state === 'unknown') return refuse('not_found', `Job ${jobId} does not exist.`);
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

export function checkReason(reason: string | null | undefined): Refusal | null {
  if (reason != null && [...reason].length > REASON_MAX) {
    return refuse(
      'invalid',
      `The reason is ${[...reason].length} characters long; at most ${REASON_MAX} are allowed.`,
    );
  }
  return null;
}
