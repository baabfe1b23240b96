import type { Job, Queue } from 'bullmq';
import { readJobFacts } from '@/worker/job-facts';
import type { JobStateName } from '@/worker/job-state';
import { readMarker, stripMarker } from '@/worker/marker';
import type { JobRef, JobView } from '../contracts';

/**
 * A job's state as the dashboard names it, without BullMQ's `getState` (whose
 * position search in the wait list costs Redis time in proportion to the queue):
 * sorted-set lookups and the active list only (worker/job-facts.ts).
 */
export async function jobState(job: Job): Promise<JobStateName | 'unknown'> {
  // A Job keeps its Queue in a protected field; its facts are read through it.
  const queue = (job as unknown as { queue: Queue }).queue;
  const id = String(job.id);
  return (await readJobFacts(queue, [id])).get(id)?.state ?? 'unknown';
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
    schedulerId: job.repeatJobKey ?? null,
    parent: job.parentKey ? refOfKey(job.parentKey, job.prefix) : null,
  };
}

/**
 * A job named by its full BullMQ key (`<prefix>:<queue>:<id>`, as flows store
 * parents and children). Queue names cannot hold ':', ids can, so the queue ends at
 * the first ':' after the prefix. A key of another prefix keeps `queue` null.
 */
export function refOfKey(key: string, prefix: string): JobRef {
  if (!key.startsWith(`${prefix}:`)) return { queue: null, id: key, key };
  const rest = key.slice(prefix.length + 1);
  const colon = rest.indexOf(':');
  if (colon < 0) return { queue: null, id: key, key };
  return { queue: rest.slice(0, colon), id: rest.slice(colon + 1), key };
}
