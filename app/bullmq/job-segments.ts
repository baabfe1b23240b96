import type { JobType, Queue } from 'bullmq';
import type { RedisClient } from '@/worker/config';
import { type JobStateName, nameState } from '@/worker/job-state';
import { PARK_DELAY_MS } from '@/worker/marker';

/** The BullMQ list or set each named state lives in, in display order. */
export const SEGMENTS: readonly { type: JobType; states: readonly JobStateName[] }[] = [
  { type: 'active', states: ['active'] },
  { type: 'waiting', states: ['waiting'] },
  { type: 'prioritized', states: ['prioritized'] },
  { type: 'delayed', states: ['delayed', 'paused'] },
  { type: 'waiting-children', states: ['waiting-children'] },
  { type: 'failed', states: ['failed', 'cancelled'] },
  { type: 'completed', states: ['completed'] },
];

/**
 * A parked job is a delayed job due PARK_DELAY_MS (five years) after it was parked,
 * so the delayed set's far end holds them: every delayed job due a year or more
 * from now counts as paused, the rest as delayed. Two ZCOUNTs instead of reading
 * every delayed job's data. A producer's own job delayed by more than a year is
 * counted as paused (its row still shows `delayed`: rows are named from the job's
 * own marker by nameState).
 */
export const PARK_HORIZON_MS = PARK_DELAY_MS / 5;
export const parkHorizon = (now = Date.now()): number => now + PARK_HORIZON_MS;

/** A queue's jobs per BullMQ list or set, `parked` being the part of `delayed` past the horizon. */
export type RawCounts = Record<JobType & string, number> & { parked: number };

/** Two scripts, O(1) each: BullMQ's getCounts and the delayed count before the park horizon. */
export async function rawCounts(queue: Queue): Promise<RawCounts> {
  const [counts, beforeHorizon] = await Promise.all([
    queue.getJobCounts(...SEGMENTS.map((s) => s.type)),
    queue.getDelayedCount(parkHorizon()),
  ]);
  const delayed = counts.delayed ?? 0;
  const out = Object.fromEntries(SEGMENTS.map((s) => [s.type, counts[s.type] ?? 0])) as RawCounts;
  out.parked = Math.max(0, delayed - beforeHorizon);
  return out;
}

/**
 * A run of one segment, in ascending BullMQ order: ranks [lo, hi) of its list or
 * sorted set. The delayed set splits into delayed [0, before horizon) and paused
 * [before horizon, all).
 */
export interface Region {
  lo: number;
  hi: number;
  total: number;
}

/** The region of a segment that holds `keep` (null when the split needs the jobs' own fields). */
export function regionOf(type: JobType, keep: readonly JobStateName[], raw: RawCounts): Region {
  const total = raw[type] ?? 0;
  if (type === 'delayed' && keep.length === 1) {
    const before = total - raw.parked;
    return keep[0] === 'paused' ? { lo: before, hi: total, total } : { lo: 0, hi: before, total };
  }
  return { lo: 0, hi: total, total };
}

/** The start of position `from` of a region read in the given order, as getRanges takes it. */
export function rankOf(region: Region, from: number, asc: boolean): number {
  return asc ? region.lo + from : region.total - region.hi + from;
}

/** Ids at positions from..to (inclusive) of a region, in the given order. */
export function regionIds(
  queue: Queue,
  type: JobType,
  region: Region,
  from: number,
  to: number,
  asc: boolean,
): Promise<string[]> {
  const start = rankOf(region, from, asc);
  return queue.getRanges([type], start, start + (to - from), asc);
}

/** How many of the newest failed jobs are read to split failed from cancelled in the counts. */
export const SPLIT_SAMPLE = 200;

const splitCache = new Map<string, { key: string; cancelled: number; exact: boolean }>();

/**
 * How many failed jobs of a queue are `cancelled` (nameState decides, from the
 * job's own fields): exact when the failed set holds at most SPLIT_SAMPLE jobs,
 * else the share among the newest SPLIT_SAMPLE times the set's size (`exact`
 * false). Kept until the set changes (its size or newest member), so an idle
 * queue costs one ZREVRANGE per count.
 */
export async function cancelledOfFailed(
  queue: Queue,
  client: RedisClient,
  failed: number,
): Promise<{ cancelled: number; exact: boolean }> {
  if (failed === 0) return { cancelled: 0, exact: true };
  const setKey = queue.toKey('failed');
  const [newest] = await client.zrevrange(setKey, 0, 0);
  const key = `${failed}:${newest ?? ''}`;
  const cached = splitCache.get(setKey);
  if (cached?.key === key) return cached;
  const ids = await client.zrevrange(setKey, 0, SPLIT_SAMPLE - 1);
  const pipe = client.pipeline();
  for (const id of ids) pipe.hget(queue.toKey(id), 'data');
  const res = (await pipe.exec()) ?? [];
  let cancelled = 0;
  for (const [err, values] of res) {
    if (err) continue;
    if (nameState('failed', { data: parse(values as string | null) }) === 'cancelled') cancelled++;
  }
  const exact = ids.length >= failed;
  const value = {
    key,
    cancelled:
      exact || ids.length === 0 ? cancelled : Math.round((cancelled * failed) / ids.length),
    exact,
  };
  if (splitCache.size > 5000) splitCache.clear();
  splitCache.set(setKey, value);
  return value;
}

export function parse(s: string | null | undefined): unknown {
  if (!s) return null;
  try {
    return JSON.parse(s);
  } catch {
    return null;
  }
}
