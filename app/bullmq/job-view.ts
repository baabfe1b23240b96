import type { Job, Queue } from 'bullmq';
import { REDIS_BATCH } from '@/worker/config';
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

/** Loads jobs with their named state, many at a time. Missing jobs are absent from the map. */
export async function loadJobsWithState(
  queue: Queue,
  ids: string[],
): Promise<Map<string, { job: Job; name: string; state: JobStateName | 'unknown' }>> {
  const out = new Map<string, { job: Job; name: string; state: JobStateName | 'unknown' }>();
  for (let i = 0; i < ids.length; i += REDIS_BATCH) {
    const chunk = ids.slice(i, i + REDIS_BATCH);
    const jobs = await Promise.all(chunk.map((id) => jobOrNothing(queue, id)));
    const states = await Promise.all(
      jobs.map((j) => (j ? j.getState() : Promise.resolve('unknown'))),
    );
    jobs.forEach((job, j) => {
      if (job)
        out.set(String(job.id), {
          job,
          name: job.name,
          state: nameState(states[j] as string, job),
        });
    });
  }
  return out;
}

/**
 * `queue.getJob`, except that an id naming another key of the queue (`events`, `meta`,
 * `5:logs` …: see job-read's isJobHash) is no job instead of a WRONGTYPE error or a
 * job without a timestamp.
 */
async function jobOrNothing(queue: Queue, id: string): Promise<Job | undefined> {
  try {
    const job = await queue.getJob(id);
    return job && Number.isFinite(job.timestamp) && typeof job.name === 'string' ? job : undefined;
  } catch (err) {
    if (/WRONGTYPE/.test((err as Error).message)) return undefined;
    throw err;
  }
}
