import type { JobSignal } from '../../db/schema';
import type { SignalKind, SignalStatus } from '../../db/vocabulary';

let nextId = 1;

/** A job_signals row for pure tests: defaults that a test overrides where it matters. */
export function signalRow(
  signal: SignalKind,
  over: Partial<JobSignal> & { status?: SignalStatus } = {},
): JobSignal {
  const at = new Date('2026-01-01T00:00:00Z');
  return {
    id: nextId++,
    queue: 'q',
    jobId: '1',
    jobName: 'job',
    signal,
    status: 'pending',
    reason: null,
    requestedBy: 'ann',
    workerId: null,
    outcome: null,
    createdAt: at,
    updatedAt: at,
    deliveredAt: null,
    completedAt: null,
    operationId: null,
    ...over,
  };
}
