import type { Job, Queue } from 'bullmq';
import type { ChildrenView, JobRef, JobRelations, SchedulerView } from '@/app/contracts';
import { refOfKey } from './job-view';

/** Children named on the job page and in the Cancel dialog; the counts cover them all. */
export const CHILDREN_SHOWN = 50;

const NONE: JobRelations = { scheduler: null, parent: null, children: null };

/**
 * A job's scheduler, flow parent and children, in a few small reads: the parent
 * comes with the job's hash, the scheduler is one HGETALL, the children are four
 * counts and, when there are any, one scan of each dependency set.
 */
export async function readRelations(
  queue: Queue,
  job: Job | null,
  opts: { shown?: number } = {},
): Promise<JobRelations> {
  if (!job) return NONE;
  const [scheduler, children] = await Promise.all([
    job.repeatJobKey ? readScheduler(queue, job.repeatJobKey) : null,
    readChildren(job, opts.shown ?? CHILDREN_SHOWN),
  ]);
  return {
    scheduler,
    parent: job.parentKey ? refOfKey(job.parentKey, job.prefix) : null,
    children,
  };
}

async function readScheduler(queue: Queue, id: string): Promise<SchedulerView> {
  const s = await queue.getJobScheduler(id);
  const num = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : null);
  return {
    id,
    exists: s !== undefined,
    name: s?.name ?? null,
    pattern: s?.pattern ?? null,
    every: num(s?.every),
    tz: s?.tz ?? null,
    next: num(s?.next),
    iterations: num(s?.iterationCount),
    limit: num(s?.limit),
    endDate: num(s?.endDate),
  };
}

async function readChildren(job: Job, shown: number): Promise<ChildrenView | null> {
  const c = await job.getDependenciesCount();
  const pending = c.unprocessed ?? 0;
  const processed = c.processed ?? 0;
  const failed = c.failed ?? 0;
  const ignored = c.ignored ?? 0;
  const total = pending + processed + failed + ignored;
  if (total === 0) return null;
  // `count` is a scan hint: small sets come whole, large ones about `shown` at a time.
  const each = { count: shown };
  const deps = await job.getDependencies({
    unprocessed: each,
    processed: each,
    failed: each,
    ignored: each,
  });
  const keys = [
    ...(deps.unprocessed ?? []),
    ...Object.keys(deps.processed ?? {}),
    ...(deps.failed ?? []),
    ...Object.keys(deps.ignored ?? {}),
  ];
  const refs: JobRef[] = [...new Set(keys)].slice(0, shown).map((key) => refOfKey(key, job.prefix));
  return { total, pending, processed, failed, ignored, shown: refs };
}
