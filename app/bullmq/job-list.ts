import type { JobType, Queue } from 'bullmq';
import { toJobView } from '@/app/bullmq/job-view';
import type { JobListItem, JobView } from '@/app/contracts';
import type { Database } from '@/db/client';
import { countRemovedJobs, removedJobCounts, removedJobs } from '@/db/removed-jobs';
import { type JobStateName, nameState } from '@/worker/job-state';
import { type BigField, readJobs } from './job-read';
import { SCAN_LIMIT, type ScanSource, scanSources } from './job-scan';
import {
  cancelledOfFailed,
  type RawCounts,
  type Region,
  rawCounts,
  regionIds,
  regionOf,
  SEGMENTS,
} from './job-segments';
import type { QueueRegistry } from './queue-registry';
import { removedJobView } from './removed-job';
import { getScanGate } from './scan-gate';

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
  /** Big fields to put in each job (none by default). */
  include?: readonly BigField[];
  /** Who asks (for the scan gate): a user's email or `token:<name>`. */
  caller?: string;
}

/** How much of the queues a filtered list looked through (null: nothing needed a scan). */
export interface ScanReport {
  looked: number;
  limit: number;
  /** False when the limit stopped it: `total` then counts the matches among the jobs looked at. */
  complete: boolean;
}

export interface JobListPage {
  jobs: JobListItem[];
  total: number;
  page: number;
  pageSize: number;
  scan: ScanReport | null;
}

/** A run of jobs in one order: counted up front, read by position. */
interface Part {
  count: number;
  /** The jobs at positions from..to (inclusive) of this part. */
  read(from: number, to: number): Promise<JobListItem[]>;
}

/**
 * One page of jobs across queues and states. Each state's list or sorted set is
 * counted (two O(1) scripts per queue) and only the page is read: ids by rank,
 * then the jobs' fields in one pipelined round trip, each named from the list it
 * came from (no per-job state lookup), so page 1,000 of a queue of 100,000 jobs
 * costs Redis what page 1 costs. Paused and delayed split at the park horizon
 * (job-segments). A name, a search, or failed-without-cancelled (or the reverse)
 * looks through at most SCAN_LIMIT jobs, through the scan gate, and says so in
 * `scan`. With `db`, `cancelled` also holds the jobs a cancel removed before they
 * started (rebuilt from their cancel signal), after the ones a cancel failed.
 */
export async function listJobs(
  registry: QueueRegistry,
  query: JobListQuery,
  db?: Database,
): Promise<JobListPage> {
  const names = query.queue ? [query.queue] : await registry.discover();
  const asc = query.order === 'asc';
  const wanted = new Set(query.states);
  const big = query.include ?? [];
  const filtered = query.name !== undefined || Boolean(query.search);
  const queues = names.map((n) => registry.get(n));
  const counts = await Promise.all(queues.map(rawCounts));
  const parts: Part[] = [];
  const sources: { source: ScanSource; part: Part & { ids: string[] } }[] = [];
  queues.forEach((queue, qi) => {
    for (const seg of SEGMENTS) {
      const keep = seg.states.filter((s) => wanted.has(s));
      if (keep.length === 0) continue;
      const raw = counts[qi] as RawCounts;
      const region = regionOf(seg.type, keep, raw);
      const classify = seg.type === 'failed' && keep.length === 1 ? keep : undefined;
      if (!filtered && !classify) {
        parts.push(rangePart(registry, queue, seg.type, region, asc, big));
        continue;
      }
      const part = idsPart(registry, queue, seg.type, big);
      sources.push({ source: { queue, type: seg.type, region, classify }, part });
      parts.push(part);
    }
  });
  let scan: ScanReport | null = null;
  if (sources.length > 0) {
    const result = await getScanGate().run(query.caller ?? 'anonymous', () =>
      scanSources(
        registry.connection,
        sources.map((s) => s.source),
        query,
        asc,
      ),
    );
    sources.forEach((s, i) => {
      s.part.ids = result.matches[i] ?? [];
      s.part.count = s.part.ids.length;
    });
    scan = { looked: result.looked, limit: SCAN_LIMIT, complete: result.complete };
  }
  if (db && wanted.has('cancelled')) parts.push(await removedPart(db, names, query, asc, big));
  return { ...(await readPage(parts, query)), scan };
}

async function readPage(parts: Part[], query: JobListQuery) {
  const total = parts.reduce((n, s) => n + s.count, 0);
  const start = (query.page - 1) * query.pageSize;
  const jobs: JobListItem[] = [];
  let offset = 0;
  let room = query.pageSize;
  for (const part of parts) {
    if (room <= 0) break;
    const from = Math.max(start - offset, 0);
    offset += part.count;
    if (from >= part.count) continue;
    const to = Math.min(part.count, from + room) - 1;
    room -= to - from + 1;
    jobs.push(...(await part.read(from, to)));
  }
  return { jobs, total, page: query.page, pageSize: query.pageSize };
}

/** Delayed and failed jobs are named from their own data (paused, cancelled): read it for them. */
const fieldsFor = (type: JobType, big: readonly BigField[]): BigField[] =>
  type === 'delayed' || type === 'failed' ? [...new Set<BigField>([...big, 'data'])] : [...big];

async function views(
  registry: QueueRegistry,
  queue: Queue,
  type: JobType,
  ids: string[],
  big: readonly BigField[],
): Promise<JobListItem[]> {
  const jobs = await readJobs(queue, registry.connection, ids, fieldsFor(type, big));
  const out: JobListItem[] = [];
  for (const id of ids) {
    const job = jobs.get(id);
    // Gone between the range read and now (finished and removed): skipped, as BullMQ's getJobs does.
    if (job) out.push(listItem(toJobView(queue.name, job, nameState(type, job)), big));
  }
  return out;
}

function rangePart(
  registry: QueueRegistry,
  queue: Queue,
  type: JobType,
  region: Region,
  asc: boolean,
  big: readonly BigField[],
): Part {
  return {
    count: region.hi - region.lo,
    read: async (from, to) =>
      views(registry, queue, type, await regionIds(queue, type, region, from, to, asc), big),
  };
}

function idsPart(
  registry: QueueRegistry,
  queue: Queue,
  type: JobType,
  big: readonly BigField[],
): Part & { ids: string[] } {
  const part = {
    ids: [] as string[],
    count: 0,
    read: (from: number, to: number) =>
      views(registry, queue, type, part.ids.slice(from, to + 1), big),
  };
  return part;
}

async function removedPart(
  db: Database,
  names: string[],
  query: JobListQuery,
  asc: boolean,
  big: readonly BigField[],
): Promise<Part> {
  const filter = { queues: names, name: query.name, search: query.search };
  return {
    count: await countRemovedJobs(db, filter),
    read: async (from, to) =>
      (
        await removedJobs(db, {
          ...filter,
          order: asc ? 'asc' : 'desc',
          offset: from,
          limit: to - from + 1,
        })
      ).map((removal) => listItem(removedJobView(removal), big)),
  };
}

/** A job as a list shows it: without data, return value and stack trace unless asked for. */
export function listItem(view: JobView, include: readonly BigField[]): JobListItem {
  const { data, returnvalue, stacktrace, ...rest } = view;
  const item: JobListItem = rest;
  if (include.includes('data')) item.data = data;
  if (include.includes('returnvalue')) item.returnvalue = returnvalue;
  if (include.includes('stacktrace')) item.stacktrace = stacktrace;
  return item;
}

export interface QueueCounts {
  queue: string;
  counts: Record<JobStateName, number>;
  /** States whose count is an estimate (failed vs cancelled on a queue of many failed jobs). */
  approximate: JobStateName[];
}

/**
 * Per-state counts of each queue, O(1) Redis work per queue whatever its length:
 * BullMQ's counts, paused split from delayed at the park horizon, cancelled split
 * from failed by a bounded sample (cancelledOfFailed); with `db`, `cancelled` also
 * counts the jobs a cancel removed before they started (a trigger-kept rollup).
 */
export async function queueCounts(
  registry: QueueRegistry,
  names?: string[],
  db?: Database,
): Promise<QueueCounts[]> {
  const list = names ?? (await registry.discover());
  // The removed-job counts (PostgreSQL) are read while Redis counts the rest.
  const removedRead = db ? removedJobCounts(db, list) : Promise.resolve(new Map<string, number>());
  const [removed, counted] = await Promise.all([
    removedRead,
    Promise.all(list.map((name) => countQueue(registry, name))),
  ]);
  return counted.map((c) => ({
    ...c,
    counts: { ...c.counts, cancelled: c.counts.cancelled + (removed.get(c.queue) ?? 0) },
  }));
}

async function countQueue(registry: QueueRegistry, name: string): Promise<QueueCounts> {
  const queue = registry.get(name);
  const raw = await rawCounts(queue);
  const split = await cancelledOfFailed(queue, registry.connection, raw.failed);
  const counts = {
    active: raw.active,
    waiting: raw.waiting,
    prioritized: raw.prioritized,
    delayed: raw.delayed - raw.parked,
    paused: raw.parked,
    'waiting-children': raw['waiting-children'],
    completed: raw.completed,
    failed: raw.failed - split.cancelled,
    cancelled: split.cancelled,
  } satisfies Record<JobStateName, number>;
  const approximate: JobStateName[] = split.exact ? [] : ['failed', 'cancelled'];
  return { queue: name, counts, approximate };
}
