import type { Job } from 'bullmq';
import { type JobStateName, nameState } from '@/worker/job-state';
import { readMarker, stripMarker } from '@/worker/marker';
import type { JobView } from '../contracts';

/** A job's state as the dashboard names it (one `getState` call). */
export async function jobState(job: Job): Promise<JobStateName | 'unknown'> {
  return nameState(await job.getState(), job);
}

/** What the dashboard and the API show of a job. */
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
