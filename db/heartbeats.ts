import { sql } from 'drizzle-orm';
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

/** How many Signal Desk worker processes served each queue within the last `withinSeconds`. */
export async function servedQueues(db: Database, withinSeconds = 30): Promise<Map<string, number>> {
  const rows = await db
    .select({ queue: workerHeartbeats.queue, workers: sql<number>`count(*)::int` })
    .from(workerHeartbeats)
    .where(sql`${workerHeartbeats.lastSeenAt} > now() - make_interval(secs => ${withinSeconds})`)
    .groupBy(workerHeartbeats.queue);
  return new Map(rows.map((r) => [r.queue, r.workers]));
}
