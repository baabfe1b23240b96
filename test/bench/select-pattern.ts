import { and, eq, sql } from 'drizzle-orm';
import type { Database } from '../../db/client';
import { jobSignals } from '../../db/schema';

/**
 * The baseline every signal-table design starts with: at each checkpoint, one
 * indexed SELECT for an open signal of this job (it uses the partial unique
 * index on queue, job_id, signal where the status is open).
 */
export async function selectOpenSignal(
  db: Database,
  queue: string,
  jobId: string,
): Promise<{ id: number; signal: string } | undefined> {
  const [row] = await db
    .select({ id: jobSignals.id, signal: jobSignals.signal })
    .from(jobSignals)
    .where(
      and(
        eq(jobSignals.queue, queue),
        eq(jobSignals.jobId, jobId),
        sql`${jobSignals.status} in ('pending', 'delivered')`,
      ),
    )
    .limit(1);
  return row;
}

/** What the baseline worker does once it found a cancel: record it, as the toolkit does. */
export async function completeFoundSignal(db: Database, id: number): Promise<void> {
  await db
    .update(jobSignals)
    .set({ status: 'completed', completedAt: sql`now()`, outcome: { action: 'cancelled' } })
    .where(eq(jobSignals.id, id));
}
