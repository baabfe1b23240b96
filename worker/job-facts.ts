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

/** BullMQ's raw states that live in sorted sets (a ZSCORE tells membership), in getState's order. */
const SORTED = ['completed', 'failed', 'delayed', 'prioritized', 'waiting-children'] as const;

/**
 * The raw state of each job id given as ARGV, from the sorted sets in KEYS[1..5]
 * and the active list in KEYS[6]: one script call answers a whole batch, where a
 * command per set and job would be seven round-trip replies per job. An empty
 * string: in none of them (waiting, or paused, or gone).
 */
const STATES_SCRIPT = `
local out = {}
for i, id in ipairs(ARGV) do
  local s = ''
  for k = 1, 5 do
    if redis.call('ZSCORE', KEYS[k], id) then s = k break end
  end
  if s == '' and redis.call('LPOS', KEYS[6], id) then s = 6 end
  out[i] = tostring(s)
end
return out`;
const STATE_OF: Record<string, string> = {
  '1': 'completed',
  '2': 'failed',
  '3': 'delayed',
  '4': 'prioritized',
  '5': 'waiting-children',
  '6': 'active',
};

const FIELDS = ['name', 'timestamp', 'atm', 'rjk', 'parentKey', 'pb', 'data'];

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
 * `withData` keeps each job's data (needed to keep a removed job's data; delayed
 * and failed jobs' data is always read, to name them paused or cancelled);
 * `knownState` skips the state lookups when the caller read the ids from one
 * state's own list.
 */
export async function readJobFacts(
  queue: Queue,
  ids: readonly string[],
  opts: { withData?: boolean; knownState?: string } = {},
): Promise<Map<string, JobFacts>> {
  const out = new Map<string, JobFacts>();
  if (ids.length === 0) return out;
  // BullMQ's client is a proxy over the ioredis instance it was given; plain
  // commands (HMGET, EVAL) pass through to it.
  const client = (await queue.getBackend().client) as unknown as RedisClient;
  const keys = [...SORTED.map((s) => queue.toKey(s)), queue.toKey('active')];
  for (let i = 0; i < ids.length; i += REDIS_BATCH) {
    const chunk = ids.slice(i, i + REDIS_BATCH);
    const pipe = client.pipeline();
    if (!opts.knownState) pipe.eval(STATES_SCRIPT, keys.length, ...keys, ...chunk);
    // The data is read only where it is needed, but in the same round trip: HMGET
    // with it for all when kept, else a first HMGET without and a second for the few.
    const fields = opts.withData ? FIELDS : FIELDS.slice(0, -1);
    for (const id of chunk) pipe.hmget(queue.toKey(id), ...fields);
    const res = (await pipe.exec()) ?? [];
    const states = opts.knownState ? undefined : (res[0]?.[1] as string[] | undefined);
    const first = opts.knownState ? 0 : 1;
    const needData: string[] = [];
    const raws = new Map<string, string>();
    chunk.forEach((id, j) => {
      const [name, timestamp, atm, rjk, parentKey, pb, data] =
        (res[first + j]?.[1] as (string | null)[] | undefined) ?? [];
      // Gone, or another key of the queue (its meta or a scheduler's hash has no
      // timestamp; a stream or a list answers WRONGTYPE): no job.
      if (name == null || timestamp == null) return;
      const raw = opts.knownState ?? STATE_OF[states?.[j] ?? ''] ?? 'waiting';
      const parsed = opts.withData ? parse(data) : undefined;
      out.set(id, {
        id,
        name,
        timestamp: Number(timestamp) || 0,
        attemptsMade: Number(atm) || 0,
        data: parsed,
        state: nameState(raw, { data: parsed }),
        repeatJobKey: rjk ?? null,
        parentKey: parentKey ?? null,
        processedBy: pb ?? null,
      });
      // Delayed and failed jobs are named from their data (parked, cancelled).
      if (!opts.withData && (raw === 'delayed' || raw === 'failed')) {
        needData.push(id);
        raws.set(id, raw);
      }
    });
    if (needData.length > 0) {
      const dataPipe = client.pipeline();
      for (const id of needData) dataPipe.hget(queue.toKey(id), 'data');
      const dataRes = (await dataPipe.exec()) ?? [];
      needData.forEach((id, j) => {
        const facts = out.get(id);
        if (facts)
          facts.state = nameState(raws.get(id) ?? 'waiting', {
            data: parse(dataRes[j]?.[1] as string | null | undefined),
          });
      });
    }
  }
  return out;
}
