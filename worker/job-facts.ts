import type { Queue } from 'bullmq';
import { REDIS_BATCH, type RedisClient } from './config';
import { type JobStateName, nameState } from './job-state';

/**
 * What Signal Desk needs to know of many jobs to decide about their signals, read
 * from Redis in pipelined batches and never whole jobs: BullMQ's `getState` finds a
 * waiting job by a position search in the wait list (O(queue length) of Redis time
 * per job); here a state is a sorted-set lookup, and the only list searched is the
 * active one, which is as long as the workers' concurrency.
 */
export interface JobFacts {
  id: string;
  name: string;
  /** When the job was added (ms). */
  timestamp: number;
  attemptsMade: number;
  /** The job's data, parsed, when asked for (`withData`), else undefined. */
  data: unknown;
  state: JobStateName | 'unknown';
  /** Set when the job is a run of a job scheduler (BullMQ cannot remove it). */
  repeatJobKey: string | null;
  /** Set when the job is a child in a flow: its parent's key. */
  parentKey: string | null;
  /** The worker that last took it (BullMQ's `processedBy`: a Signal Desk worker's id). */
  processedBy: string | null;
}

/** BullMQ's raw states whose sets are sorted sets: one ZSCORE each tells membership. */
const SORTED: [string, string][] = [
  ['completed', 'completed'],
  ['failed', 'failed'],
  ['delayed', 'delayed'],
  ['prioritized', 'prioritized'],
  ['waiting-children', 'waiting-children'],
];
const FIELDS = ['name', 'timestamp', 'atm', 'rjk', 'parentKey', 'pb'];

function parse(data: string | null | undefined): unknown {
  if (data == null) return undefined;
  try {
    return JSON.parse(data);
  } catch {
    return data;
  }
}

/**
 * Facts of the given jobs of one queue; jobs Redis no longer holds are absent.
 * `withData` reads each job's data too (needed to tell a parked job from a delayed
 * one, and to keep a removed job's data); `knownState` skips the state lookups
 * when the caller read the ids from one state's own list.
 */
export async function readJobFacts(
  queue: Queue,
  ids: readonly string[],
  opts: { withData?: boolean | ((raw: string) => boolean); knownState?: string } = {},
): Promise<Map<string, JobFacts>> {
  const out = new Map<string, JobFacts>();
  // BullMQ's client is a proxy over the ioredis instance it was given; plain
  // commands (HMGET, ZSCORE, LPOS) pass through to it.
  const client = (await queue.getBackend().client) as unknown as RedisClient;
  const sortedKeys = SORTED.map(([type, raw]) => [queue.toKey(type), raw] as const);
  const activeKey = queue.toKey('active');
  const perJob = opts.knownState ? 0 : sortedKeys.length + 1;
  // Delayed and failed jobs are named from their data (parked, cancelled): read it after.
  const rawStates = new Map<string, string>();
  for (let i = 0; i < ids.length; i += REDIS_BATCH) {
    const chunk = ids.slice(i, i + REDIS_BATCH);
    const pipe = client.pipeline();
    for (const id of chunk) {
      pipe.hmget(queue.toKey(id), ...FIELDS);
      if (!opts.knownState) {
        for (const [key] of sortedKeys) pipe.zscore(key, id);
        pipe.lpos(activeKey, id);
      }
    }
    const res = (await pipe.exec()) ?? [];
    const needData: string[] = [];
    chunk.forEach((id, j) => {
      const base = j * (1 + perJob);
      const [name, timestamp, atm, rjk, parentKey, pb] =
        (res[base]?.[1] as (string | null)[] | undefined) ?? [];
      // Gone, or another key of the queue (its meta or a scheduler's hash has no
      // timestamp; a stream or a list answers WRONGTYPE): no job.
      if (name == null || timestamp == null) return;
      let raw = opts.knownState ?? 'waiting';
      if (!opts.knownState) {
        const hit = sortedKeys.findIndex((_, k) => res[base + 1 + k]?.[1] != null);
        if (hit >= 0) raw = (sortedKeys[hit] as readonly [string, string])[1];
        else if (res[base + 1 + sortedKeys.length]?.[1] != null) raw = 'active';
      }
      out.set(id, {
        id,
        name: name ?? '',
        timestamp: Number(timestamp) || 0,
        attemptsMade: Number(atm) || 0,
        data: undefined,
        // Named without the data for now; delayed and failed jobs are named again below.
        state: nameState(raw, { data: undefined }),
        repeatJobKey: rjk ?? null,
        parentKey: parentKey ?? null,
        processedBy: pb ?? null,
      });
      if (opts.withData || raw === 'delayed' || raw === 'failed') needData.push(id);
      rawStates.set(id, raw);
    });
    if (needData.length > 0) {
      const dataPipe = client.pipeline();
      for (const id of needData) dataPipe.hget(queue.toKey(id), 'data');
      const dataRes = (await dataPipe.exec()) ?? [];
      needData.forEach((id, j) => {
        const facts = out.get(id);
        if (!facts) return;
        const text = dataRes[j]?.[1] as string | null | undefined;
        const data = parse(text);
        const raw = rawStates.get(id) ?? 'waiting';
        facts.state = nameState(raw, { data });
        const keep =
          typeof opts.withData === 'function' ? opts.withData(text ?? '') : Boolean(opts.withData);
        if (keep) facts.data = data;
      });
    }
  }
  return out;
}
