import { Job, type JobJson, type Queue } from 'bullmq';
import type { RedisClient } from '@/worker/config';

/**
 * Whether a Redis hash is a BullMQ job. A job id that is one of BullMQ's own key
 * names (`meta`, `events`, `id`, `wait`, `marker`, `repeat:<scheduler>` …) names
 * another key of the queue: a stream, a list, a string, or a hash without a
 * `timestamp` (the meta and scheduler hashes). Those are unknown jobs.
 */
export function isJobHash(fields: Record<string, string> | null | undefined): boolean {
  return Boolean(fields && typeof fields.timestamp === 'string' && typeof fields.name === 'string');
}

/**
 * The big fields of a job hash. A list reads them only when asked (`include`):
 * a page of jobs holding megabytes of data each would otherwise ship them all
 * (and cost Redis the time to copy them).
 */
export const BIG_FIELDS = ['data', 'returnvalue', 'stacktrace'] as const;
export type BigField = (typeof BIG_FIELDS)[number];

/** The fields every row needs (BullMQ's short names as stored in Redis). */
const ROW_FIELDS = [
  'name',
  'opts',
  'progress',
  'delay',
  'priority',
  'timestamp',
  'ats',
  'attemptsMade',
  'atm',
  'stc',
  'finishedOn',
  'processedOn',
  'rjk',
  'deid',
  'failedReason',
  'parentKey',
  'parent',
  'pb',
  'defa',
] as const;

const int = (v: string | undefined) => (v ? Number.parseInt(v, 10) : undefined);

/** A raw job hash as BullMQ's own reader decodes it (redis-queue-backend `rawToJobJson`). */
function toJobJson(raw: Record<string, string | undefined>, id: string): JobJson {
  return {
    id,
    name: raw.name ?? '',
    data: raw.data || '{}',
    opts: Job.optsFromJSON(raw.opts),
    progress: JSON.parse(raw.progress || '0'),
    delay: int(raw.delay) ?? 0,
    priority: int(raw.priority) ?? 0,
    timestamp: int(raw.timestamp) ?? 0,
    attemptsStarted: int(raw.ats) ?? 0,
    attemptsMade: int(raw.attemptsMade || raw.atm) ?? 0,
    stalledCounter: int(raw.stc) ?? 0,
    finishedOn: int(raw.finishedOn),
    processedOn: int(raw.processedOn),
    repeatJobKey: raw.rjk,
    deduplicationId: raw.deid,
    failedReason: raw.failedReason ?? '',
    stacktrace: raw.stacktrace ?? '[]',
    returnvalue: raw.returnvalue ?? 'null',
    parentKey: raw.parentKey,
    parent: raw.parent ? JSON.parse(raw.parent) : undefined,
    processedBy: raw.pb,
    deferredFailure: raw.defa,
  } as unknown as JobJson;
}

/**
 * Many jobs of one queue in one pipelined round trip (HMGET of the fields asked
 * for, never a state lookup): the caller knows each job's state from the list it
 * read the ids from. Ids whose hash is gone (finished and removed since) or that
 * name no job are absent from the map.
 */
export async function readJobs(
  queue: Queue,
  client: RedisClient,
  ids: readonly string[],
  big: readonly BigField[],
): Promise<Map<string, Job>> {
  const out = new Map<string, Job>();
  if (ids.length === 0) return out;
  const fields = [...ROW_FIELDS, ...big];
  const pipe = client.pipeline();
  for (const id of ids) pipe.hmget(queue.toKey(id), ...fields);
  const res = (await pipe.exec()) ?? [];
  ids.forEach((id, i) => {
    const [err, values] = res[i] ?? [];
    // WRONGTYPE: the id names another key of the queue (`events`, `5:logs`, …).
    if (err || !Array.isArray(values)) return;
    const raw: Record<string, string> = {};
    fields.forEach((f, j) => {
      const v = values[j];
      if (typeof v === 'string') raw[f] = v;
    });
    if (!isJobHash(raw)) return;
    try {
      out.set(id, Job.fromJSON(queue, toJobJson(raw, id), id));
    } catch {
      // A hash another program wrote with fields that are not JSON: not a job we can show.
    }
  });
  return out;
}

/** One job, all of it, or undefined when the id names no job (see `isJobHash`); no state lookup. */
export async function readJob(
  queue: Queue,
  client: RedisClient,
  id: string,
): Promise<Job | undefined> {
  return (await readJobs(queue, client, [id], BIG_FIELDS)).get(id);
}
