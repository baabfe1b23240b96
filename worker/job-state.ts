import type { Job } from 'bullmq';
import { isParked, readMarker, stripMarker } from './marker';

/** Job states as BullMQ names them, plus our `paused` (parked) and `cancelled`. */
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

export const CANCELLED_PREFIX = 'cancelled';

/** Names a job's state from BullMQ's raw state and our marker. */
export function nameState(
  raw: string,
  job: Pick<Job, 'data' | 'failedReason'>,
): JobStateName | 'unknown' {
  if (raw === 'delayed' && isParked(job.data)) return 'paused';
  if (
    raw === 'failed' &&
    typeof job.failedReason === 'string' &&
    job.failedReason.startsWith(CANCELLED_PREFIX)
  ) {
    return 'cancelled';
  }
  if ((JOB_STATES as readonly string[]).includes(raw)) return raw as JobStateName;
  return 'unknown';
}

export async function jobState(job: Job): Promise<JobStateName | 'unknown'> {
  return nameState(await job.getState(), job);
}

/** What the dashboard and the API show of a job. */
export interface JobView {
  queue: string;
  id: string;
  name: string;
  state: JobStateName | 'unknown';
  data: unknown;
  opts: Record<string, unknown>;
  progress: unknown;
  attemptsMade: number;
  attemptsStarted: number;
  timestamp: number;
  processedOn: number | null;
  finishedOn: number | null;
  failedReason: string | null;
  stacktrace: string[];
  returnvalue: unknown;
  processedBy: string | null;
  parked: { at: number; signalId: number } | null;
  resumeState: unknown;
}

export function toJobView(queue: string, job: Job, state: JobStateName | 'unknown'): JobView {
  const marker = readMarker(job.data);
  return {
    queue,
    id: String(job.id),
    name: job.name,
    state,
    data: stripMarker(job.data),
    opts: job.opts as Record<string, unknown>,
    progress: job.progress,
    attemptsMade: job.attemptsMade,
    attemptsStarted: job.attemptsStarted ?? 0,
    timestamp: job.timestamp,
    processedOn: job.processedOn ?? null,
    finishedOn: job.finishedOn ?? null,
    failedReason: job.failedReason ?? null,
    stacktrace: job.stacktrace ?? [],
    returnvalue: job.returnvalue ?? null,
    processedBy: (job as unknown as { processedBy?: string }).processedBy ?? null,
    parked: marker?.paused ? { at: marker.paused.at, signalId: marker.paused.signalId } : null,
    resumeState: marker?.hasState ? marker.state : null,
  };
}
