import { UnrecoverableError } from 'bullmq';
import type { JobSignal } from '../../db/schema';
import { CANCELLED_PREFIX } from '../job-state';

/**
 * Thrown by `ctx.checkpoint()` when a cancel signal is acted on. It is an
 * `UnrecoverableError`, so BullMQ fails the job at once and never retries it.
 * Rethrow it if your processor catches errors.
 */
export class JobCancelledError extends UnrecoverableError {
  readonly signalId: number;
  constructor(signal: Pick<JobSignal, 'id' | 'reason' | 'requestedBy'>) {
    super(
      `${CANCELLED_PREFIX} by ${signal.requestedBy}${signal.reason ? `: ${signal.reason}` : ''}`,
    );
    this.name = 'JobCancelledError';
    this.signalId = signal.id;
  }
}

/** Formats an error for an outcome or a log line. */
export function describeError(err: unknown): string {
  return err instanceof Error ? `${err.name}: ${err.message}` : String(err);
}
