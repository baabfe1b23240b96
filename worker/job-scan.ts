import type { Job, JobType, Queue } from 'bullmq';
import type { RedisClient } from './config';
import { type JobStateName, nameState } from './job-state';

const CHUNK = 1000;

/**
 * Ids of the jobs of one name in the given states. Reads only ids and names
 * (pipelined HGET, 1,000 at a time), never whole jobs, so it stays cheap on
 * queues with a hundred thousand jobs.
 */
export async function findJobIdsByName(
  queue: Queue,
  client: RedisClient,
  name: string,
  states: JobType[],
): Promise<string[]> {
  const ids = await queue.getRanges(states, 0, -1, true);
  const out: string[] = [];
  for (let i = 0; i < ids.length; i += CHUNK) {
    const chunk = ids.slice(i, i + CHUNK);
    const pipe = client.pipeline();
    for (const id of chunk) pipe.hget(queue.toKey(id), 'name');
    const res = (await pipe.exec()) ?? [];
    chunk.forEach((id, j) => {
      if (res[j]?.[1] === name) out.push(id);
    });
  }
  return [...new Set(out)];
}

/** Counts jobs of one name in the given states (for the confirmation dialog). */
export async function countJobsByName(
  queue: Queue,
  client: RedisClient,
  name: string,
  states: JobType[],
): Promise<number> {
  return (await findJobIdsByName(queue, client, name, states)).length;
}

/**
 * Loads jobs with their named state, many at a time. Missing jobs are absent
 * from the map.
 */
export async function loadJobsWithState(
  queue: Queue,
  ids: string[],
): Promise<Map<string, { job: Job; name: string; state: JobStateName | 'unknown' }>> {
  const out = new Map<string, { job: Job; name: string; state: JobStateName | 'unknown' }>();
  for (let i = 0; i < ids.length; i += CHUNK) {
    const chunk = ids.slice(i, i + CHUNK);
    const jobs = await Promise.all(chunk.map((id) => queue.getJob(id)));
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
