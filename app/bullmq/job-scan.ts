import type { JobType, Queue } from 'bullmq';
import { REDIS_BATCH, type RedisClient } from '@/worker/config';
import { type JobStateName, nameState } from '@/worker/job-state';
import { parse, type Region, regionIds } from './job-segments';

/**
 * Jobs one request looks at, at most, to apply a filter that Redis cannot answer
 * from its lists (a name, a search, failed vs cancelled): five pipelined rounds
 * of HMGET of the name (and the failure fields when splitting), never whole jobs.
 */
export const SCAN_LIMIT = 5_000;

/** A region of one segment to look through, optionally keeping only some named states. */
export interface ScanSource {
  queue: Queue;
  type: JobType;
  region: Region;
  /** Keep only jobs nameState names one of these (failed vs cancelled). */
  classify?: readonly JobStateName[];
}

export interface ScanFilter {
  /** Exact job name. */
  name?: string;
  /** Substring of the id or the name, case-insensitive. */
  search?: string;
}

export interface ScanResult {
  /** Matching ids of each source, in the order read. */
  matches: string[][];
  /** Jobs looked at. */
  looked: number;
  /** False when the limit stopped the scan before the end of the last source. */
  complete: boolean;
}

/** Looks through the sources in order until `limit` jobs have been read. */
export async function scanSources(
  client: RedisClient,
  sources: readonly ScanSource[],
  filter: ScanFilter,
  asc: boolean,
  limit = SCAN_LIMIT,
): Promise<ScanResult> {
  const search = filter.search?.toLowerCase();
  const matches: string[][] = [];
  let looked = 0;
  let complete = true;
  for (const src of sources) {
    const found: string[] = [];
    matches.push(found);
    const length = src.region.hi - src.region.lo;
    let pos = 0;
    while (pos < length && looked < limit) {
      const n = Math.min(REDIS_BATCH, length - pos, limit - looked);
      const ids = await regionIds(src.queue, src.type, src.region, pos, pos + n - 1, asc);
      if (ids.length === 0) break;
      const fields = src.classify ? ['name', 'failedReason', 'data'] : ['name'];
      const pipe = client.pipeline();
      for (const id of ids) pipe.hmget(src.queue.toKey(id), ...fields);
      const res = (await pipe.exec()) ?? [];
      ids.forEach((id, i) => {
        const [err, values] = res[i] ?? [];
        if (err || !Array.isArray(values)) return;
        const [name, failedReason, data] = values as (string | null)[];
        if (typeof name !== 'string') return; // removed since the range was read
        if (filter.name !== undefined && name !== filter.name) return;
        if (search && !id.toLowerCase().includes(search) && !name.toLowerCase().includes(search))
          return;
        if (src.classify) {
          // The fields nameState may look at (the marker in the data, the error text).
          const fields = { failedReason: failedReason ?? '', data: parse(data) };
          const state = nameState(src.type, fields);
          if (!src.classify.includes(state as JobStateName)) return;
        }
        found.push(id);
      });
      pos += ids.length;
      looked += ids.length;
    }
    if (pos < length) complete = false;
  }
  return { matches, looked, complete };
}
