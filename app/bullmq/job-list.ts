import type { JobType, Queue } from 'bullmq';
import { toJobView } from '@/app/bullmq/job-view';
import type { JobView } from '@/app/contracts';
import type { Database } from '@/db/client';
import { countRemovedJobs, removedJobCounts, removedJobs } from '@/db/removed-jobs';
import { REDIS_BATCH } from '@/worker/config';
import { type JobStateName, nameState } from '@/worker/job-state';
import { MARKER_KEY } from '@/worker/marker';
import type { QueueRegistry } from './queue-registry';
import { removedJobView } from './removed-job';

/** The BullMQ list or set each named state lives in, in display order. */
const SEGMENTS: { type: JobType; states: JobStateName[] }[] = [
  { type: 'active', states: ['active'] },
  { type: 'waiting', states: ['waiting'] },
  { type: 'prioritized', states: ['prioritized'] },
  { type: 'delayed', states: ['delayed', 'paused'] },
  { type: 'waiting-children', states: ['waiting-children'] },
  { type: 'failed', states: ['failed', 'cancelled'] },
  { type: 'completed', states: ['completed'] },
];

export interface JobListQuery {
  /** One queue, or every discovered queue when absent. */
  queue?: string;
  states: readonly JobStateName[];
  /** Exact job name. */
  name?: string;
  /** Substring of the id or the name (case-insensitive). */
  search?: string;
  /** Newest first (default) or oldest first, by position in BullMQ's lists. */
  order?: 'asc' | 'desc';
  page: number;
  pageSize: number;
}

export interface JobListPage {
  jobs: JobView[];
  total: number;
  page: number;
  pageSize: number;
}

/** A run of jobs in one order: counted up front, read by position. */
interface Segment {
  count: number;
  /** The jobs at positions from..to (inclusive) of this segment. */
  read(from: number, to: number): Promise<JobView[]>;
}

/**
 * One page of jobs across queues and states. Unfiltered segments are counted
 * with ZCARD/LLEN and read by range, so paging a queue of 100,000 jobs reads one
 * page. Filters (name, search, paused vs delayed, cancelled vs failed) read only
 * the fields they need, pipelined, never whole jobs. With `db`, the `cancelled`
 * state also holds the jobs a cancel removed before they started (Redis no longer
 * has them; their cancel signal does), after the ones a cancel failed.
 */
export async function listJobs(
  registry: QueueRegistry,
  query: JobListQuery,
  db?: Database,
): Promise<JobListPage> {
  const names = query.queue ? [query.queue] : await registry.discover();
  const asc = query.order === 'asc';
  const wanted = new Set(query.states);
  const segments: Segment[] = [];
  for (const name of names) {
    const queue = registry.get(name);
    for (const seg of SEGMENTS) {
      const keep = seg.states.filter((s) => wanted.has(s));
      if (keep.length === 0) continue;
      const split = keep.length !== seg.states.length;
      if (!split && !query.name && !query.search) {
        segments.push({
          count: await queue.getJobCountByTypes(seg.type),
          read: async (from, to) =>
            loadViews(queue, await queue.getRanges([seg.type], from, to, asc)),
        });
      } else {
        const ids = await filterSegment(registry, queue, seg.type, keep, query, asc);
        segments.push({
          count: ids.length,
          read: (from, to) => loadViews(queue, ids.slice(from, to + 1)),
        });
      }
    }
  }
  if (db && wanted.has('cancelled')) {
    const filter = { queues: names, name: query.name, search: query.search };
    segments.push({
      count: await countRemovedJobs(db, filter),
      read: async (from, to) =>
        (
          await removedJobs(db, {
            ...filter,
            order: asc ? 'asc' : 'desc',
            offset: from,
            limit: to - from + 1,
          })
        ).map((removal) => removedJobView(removal)),
    });
  }
  const total = segments.reduce((n, s) => n + s.count, 0);
  const start = (query.page - 1) * query.pageSize;
  const jobs: JobView[] = [];
  let offset = 0;
  let room = query.pageSize;
  for (const seg of segments) {
    if (room <= 0) break;
    const from = Math.max(start - offset, 0);
    offset += seg.count;
    if (from >= seg.count) continue;
    const to = Math.min(seg.count, from + room) - 1;
    room -= to - from + 1;
    jobs.push(...(await seg.read(from, to)));
  }
  return { jobs, total, page: query.page, pageSize: query.pageSize };
}

async function filterSegment(
  registry: QueueRegistry,
  queue: Queue,
  type: JobType,
  keep: JobStateName[],
  query: JobListQuery,
  asc: boolean,
): Promise<string[]> {
  const ids = await queue.getRanges([type], 0, -1, asc);
  // Parked and cancelled jobs are told apart by the marker in their data.
  const needData = type === 'delayed' || type === 'failed';
  const search = query.search?.toLowerCase();
  const out: string[] = [];
  for (let i = 0; i < ids.length; i += REDIS_BATCH) {
    const chunk = ids.slice(i, i + REDIS_BATCH);
    const pipe = registry.connection.pipeline();
    for (const id of chunk) {
      const fields = ['name'];
      if (needData) fields.push('data');
      pipe.hmget(queue.toKey(id), ...fields);
    }
    const res = (await pipe.exec()) ?? [];
    chunk.forEach((id, j) => {
      const [name, extra] = (res[j]?.[1] as (string | null)[] | undefined) ?? [];
      if (name == null) return;
      if (query.name && name !== query.name) return;
      if (search && !id.toLowerCase().includes(search) && !name.toLowerCase().includes(search))
        return;
      if (needData) {
        const data =
          typeof extra === 'string' && extra.includes(`"${MARKER_KEY}"`) ? safeParse(extra) : null;
        const named = nameState(type, { data });
        if (!keep.includes(named as JobStateName)) return;
      }
      out.push(id);
    });
  }
  return out;
}

function safeParse(s: string): unknown {
  try {
    return JSON.parse(s);
  } catch {
    return null;
  }
}

async function loadViews(queue: Queue, ids: string[]): Promise<JobView[]> {
  const loaded = await Promise.all(
    ids.map(async (id) => {
      const job = await queue.getJob(id);
      if (!job) return null; // finished and removed between the range read and now
      return toJobView(queue.name, job, nameState(await job.getState(), job));
    }),
  );
  return loaded.filter((j): j is JobView => j !== null);
}

export interface QueueCounts {
  queue: string;
  counts: Record<JobStateName, number>;
}

/**
 * Per-state counts of each queue. `paused` and `cancelled` are split out of
 * `delayed` and `failed` by reading only those jobs' data / failedReason; with
 * `db`, `cancelled` also counts the jobs a cancel removed before they started.
 */
export async function queueCounts(
  registry: QueueRegistry,
  names?: string[],
  db?: Database,
): Promise<QueueCounts[]> {
  const list = names ?? (await registry.discover());
  // The removed-job counts (PostgreSQL) are read while Redis counts the rest.
  const removedRead = db ? removedJobCounts(db, list) : Promise.resolve(new Map<string, number>());
  const [removed, counted] = await Promise.all([removedRead, countInRedis(registry, list)]);
  return counted.map(({ queue, counts }) => ({
    queue,
    counts: { ...counts, cancelled: counts.cancelled + (removed.get(queue) ?? 0) },
  }));
}

function countInRedis(registry: QueueRegistry, list: string[]): Promise<QueueCounts[]> {
  return Promise.all(
    list.map(async (name) => {
      const queue = registry.get(name);
      const raw = await queue.getJobCounts(
        'active',
        'waiting',
        'prioritized',
        'delayed',
        'waiting-children',
        'completed',
        'failed',
      );
      const base = { states: [] as JobStateName[], page: 1, pageSize: 1 };
      const paused = raw.delayed
        ? (await filterSegment(registry, queue, 'delayed', ['paused'], base, true)).length
        : 0;
      const cancelled = raw.failed
        ? (await filterSegment(registry, queue, 'failed', ['cancelled'], base, true)).length
        : 0;
      const counts = {
        active: raw.active ?? 0,
        waiting: raw.waiting ?? 0,
        prioritized: raw.prioritized ?? 0,
        delayed: (raw.delayed ?? 0) - paused,
        paused,
        'waiting-children': raw['waiting-children'] ?? 0,
        completed: raw.completed ?? 0,
        failed: (raw.failed ?? 0) - cancelled,
        cancelled,
      } satisfies Record<JobStateName, number>;
      return { queue: name, counts };
    }),
  );
}
