import type { Job, Queue } from 'bullmq';
import { REDIS_BATCH } from '../config';
import { type JobStateName, nameState } from '../job-state';

export interface JobWithState {
  job: Job;
  state: JobStateName | 'unknown';
}

/**
 * The jobs a worker process must act on without holding them (queued or paused),
 * with their named state, many at a time. Missing jobs are absent from the map.
 */
export async function readJobsWithState(
  queue: Queue,
  ids: string[],
): Promise<Map<string, JobWithState>> {
  const out = new Map<string, JobWithState>();
  for (let i = 0; i < ids.length; i += REDIS_BATCH) {
    const chunk = ids.slice(i, i + REDIS_BATCH);
    const jobs = await Promise.all(chunk.map((id) => queue.getJob(id)));
    const states = await Promise.all(
      jobs.map((j) => (j ? j.getState() : Promise.resolve('unknown'))),
    );
    jobs.forEach((job, j) => {
      if (job) out.set(String(job.id), { job, state: nameState(states[j] as string, job) });
    });
  }
  return out;
}
