import { inArray, sql } from 'drizzle-orm';
import type { Database } from './client';
import { workerHeartbeats } from './schema';
import { storableKey } from './storable';

/** Records that a Signal Desk worker process serves these queues (one upsert for all). */
export async function heartbeat(
  db: Database,
  worker: { workerId: string; hostname: string; pid: number },
  queues: string[],
): Promise<void> {
  const storable = queues.filter(storableKey);
  if (storable.length === 0) return;
  await db
    .insert(workerHeartbeats)
    .values(storable.map((queue) => ({ ...worker, queue })))
    .onConflictDoUpdate({
      target: [workerHeartbeats.workerId, workerHeartbeats.queue],
      set: { lastSeenAt: sql`now()` },
    });
}

/** A worker process that has not beaten for this long is taken as gone (it beats every 10 s). */
export const HEARTBEAT_FRESH_SECONDS = 30;

/** How many Signal Desk worker processes served each queue within the last `withinSeconds`. */
export async function servedQueues(
  db: Database,
  withinSeconds = HEARTBEAT_FRESH_SECONDS,
): Promise<Map<string, number>> {
  const rows = await db
    .select({ queue: workerHeartbeats.queue, workers: sql<number>`count(*)::int` })
    .from(workerHeartbeats)
    .where(sql`${workerHeartbeats.lastSeenAt} > now() - make_interval(secs => ${withinSeconds})`)
    .groupBy(workerHeartbeats.queue);
  return new Map(rows.map((r) => [r.queue, r.workers]));
}

/**
 * When each of these worker processes last beat (any queue, epoch ms), by worker id;
 * workers never seen are absent. BullMQ's `job.processedBy` names a toolkit worker by this id.
 */
export async function workersLastSeen(
  db: Database,
  workerIds: string[],
): Promise<Map<string, number>> {
  const wanted = [...new Set(workerIds.filter(storableKey))];
  if (wanted.length === 0) return new Map();
  const rows = await db
    .select({
      workerId: workerHeartbeats.workerId,
      ms: sql<number>`(extract(epoch from max(${workerHeartbeats.lastSeenAt})) * 1000)::float8`,
    })
    .from(workerHeartbeats)
    .where(inArray(workerHeartbeats.workerId, wanted))
    .groupBy(workerHeartbeats.workerId);
  return new Map(rows.map((r) => [r.workerId, Number(r.ms)]));
}
