import type { JobSignal } from '../../db/schema';
import type { ParkMarker } from '../marker';

/**
 * What a running job does with its open signals at a checkpoint, as pure
 * functions: job-run.ts reads the signals, asks here, and does the I/O.
 */

export type CheckpointStep =
  /** Nothing to act on: the processor goes on. */
  | { kind: 'go-on' }
  /** Cancel beats everything: run onCancel, end the job, supersede the other signals. */
  | { kind: 'cancel'; cancel: JobSignal }
  /** The process is shutting down: save the state and give the job back to the queue. */
  | { kind: 'hand-back' }
  /** Save the state and park the job. */
  | { kind: 'park'; pause: JobSignal }
  /** A resume met a pause that no checkpoint reached yet: both end, the job goes on. */
  | { kind: 'cancel-pause'; pause: JobSignal; resume: JobSignal }
  /** A resume for a job that is running, not paused: nothing to resume. */
  | { kind: 'refuse-resume'; resume: JobSignal };

/** Decides the step for the open signals a running job holds now. */
export function decideCheckpoint(open: readonly JobSignal[], draining: boolean): CheckpointStep {
  const cancel = open.find((s) => s.signal === 'cancel');
  if (cancel) return { kind: 'cancel', cancel };
  const pause = open.find((s) => s.signal === 'pause');
  // A pause at shutdown still parks: the person asked for it, and parking frees the slot too.
  if (draining && !pause) return { kind: 'hand-back' };
  const resume = open.find((s) => s.signal === 'resume');
  if (pause && resume) return { kind: 'cancel-pause', pause, resume };
  if (resume) return { kind: 'refuse-resume', resume };
  if (pause) return { kind: 'park', pause };
  return { kind: 'go-on' };
}

/**
 * A parked job that starts again was resumed (or promoted by hand). Which of its
 * open signals that settles: the resumes are completed by this start; the pause
 * that parked it, if still open while a resume is, was parked by a worker that
 * died before recording it (recorded now). Without a resume, an open parking pause
 * means its worker died between saving the state and moving the job: it stays open,
 * so the job parks again.
 */
export function planParkedStart(
  parkedBy: number,
  open: readonly JobSignal[],
): { recoveredPause: JobSignal | undefined; resumes: JobSignal[] } {
  const resumes = open.filter((s) => s.signal === 'resume');
  const pause = open.find((s) => s.id === parkedBy);
  return { recoveredPause: pause && resumes.length > 0 ? pause : undefined, resumes };
}

/** The marker of a job parked by `pause` with `state` (undefined: keep the last saved one). */
export function parkedMarker(
  prior: ParkMarker | undefined,
  pause: Pick<JobSignal, 'id' | 'requestedBy' | 'reason'>,
  state: unknown,
  at: number,
): ParkMarker {
  return {
    paused: { at, signalId: pause.id, requestedBy: pause.requestedBy, reason: pause.reason },
    ...savedState(prior, state),
  };
}

/** The state a checkpoint saves: the new one, or the last saved one when it gave none. */
export function savedState(
  prior: ParkMarker | undefined,
  state: unknown,
): Pick<ParkMarker, 'state' | 'hasState'> {
  return {
    state: state !== undefined ? state : prior?.state,
    hasState: state !== undefined || Boolean(prior?.hasState),
  };
}
