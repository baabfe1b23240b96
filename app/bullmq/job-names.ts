import type { JobType, Queue } from 'bullmq';
import type { RedisClient } from '@/worker/config';
import { REDIS_BATCH } from '@/worker/config';
import { getScanGate } from './scan-gate';

/**
 * Ids of the jobs of one name in the given states. Reads only ids and names
 * (pipelined HGET, 1,000 at a time), never whole jobs, so it stays cheap on
 * queues with a hundred thousand jobs. Cancel-by-name must find every such job,
 * so this scan is not cut short; given a `caller`, it runs through the scan gate
 * (one at a time per caller, ScanBusyError beyond the waiting places).
 */
export async function findJobIdsByName(
  queue: Queue,
  client: RedisClient,
  name: string,
  states: JobType[],
  caller?: string,
): Promise<string[]> {
  if (caller !== undefined) {
    return getScanGate().run(caller, () => findJobIdsByName(queue, client, name, states));
  }
  const ids = await queue.getRanges(states, 0, -1, true);
  const out: string[] = [];
  for (let i = 0; i < ids.length; i += REDIS_BATCH) {
    const chunk = ids.slice(i, i + REDIS_BATCH);
    const pipe = client.pipeline();
    for (const id of chunk) pipe.hget(queue.toKey(id), 'name');
    const res = (await pipe.exec()) ?? [];
    chunk.forEach((id, j) => {
      if (res[j]?.[1] === name) out.push(id);
    });
  }
  return [...new Set(out)];
}

/**
 * The jobs of one name in the given states, each with the state whose list it was
 * read from (so nobody has to ask Redis for it again): the same scan as
 * findJobIdsByName, one state at a time.
 */
export async function findJobsByName(
  queue: Queue,
  client: RedisClient,
  name: string,
  states: JobType[],
  caller?: string,
): Promise<Map<string, JobType>> {
  const scan = async () => {
    const out = new Map<string, JobType>();
    for (const state of states)
      for (const id of await findJobIdsByName(queue, client, name, [state]))
        if (!out.has(id)) out.set(id, state);
    return out;
  };
  return caller === undefined ? scan() : getScanGate().run(caller, scan);
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
