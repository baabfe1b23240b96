import { isParked, readMarker } from './marker';

/**
 * How a job's state is named, the same by the dashboard, the API and the workers:
 * BullMQ's own names plus two of ours, `paused` (a parked job) and `cancelled` (a
 * job a cancel signal ended).
 */
export const JOB_STATES = [
  'waiting',
  'prioritized',
  'delayed',
  'waiting-children',
  'active',
  'paused',
  'completed',
  'failed',
  'cancelled',
] as const;
export type JobStateName = (typeof JOB_STATES)[number];

/** States in which a job has not started (or is parked) and no worker holds it. */
export const QUEUED_STATES: readonly JobStateName[] = [
  'waiting',
  'prioritized',
  'delayed',
  'waiting-children',
];
/** States a support person can still act on. */
export const ACTIONABLE_STATES: readonly JobStateName[] = [...QUEUED_STATES, 'active', 'paused'];
export const FINISHED_STATES: readonly JobStateName[] = ['completed', 'failed', 'cancelled'];

/** How the toolkit's cancel error message starts (JobCancelledError). */
export const CANCELLED_PREFIX = 'cancelled';

/**
 * Names a job's state from BullMQ's raw state and our marker: a delayed job with a
 * pause marker is `paused`; a failed job that Signal Desk's toolkit cancelled (it
 * writes a `cancelled` record into the marker first) is `cancelled`, whatever the
 * error text says: a processor's own "cancelled by the payment provider" is failed.
 */
export function nameState(raw: string, job: { data: unknown }): JobStateName | 'unknown' {
  if (raw === 'delayed' && isParked(job.data)) return 'paused';
  if (raw === 'failed' && readMarker(job.data)?.cancelled) return 'cancelled';
  if ((JOB_STATES as readonly string[]).includes(raw)) return raw as JobStateName;
  return 'unknown';
}
