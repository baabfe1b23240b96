import { and, asc, count, eq, gt, sql } from 'drizzle-orm';
import type { Database } from './client';
import { newsletterRecipients, newsletterSends } from './schema';

/** Makes sure the sample list has `size` recipients (idempotent). */
export async function seedRecipients(db: Database, list: string, size: number): Promise<void> {
  const rows = Array.from({ length: size }, (_, i) => ({
    email: `reader${i + 1}@${list}.example`,
    list,
  }));
  for (let i = 0; i < rows.length; i += 1000) {
    await db
      .insert(newsletterRecipients)
      .values(rows.slice(i, i + 1000))
      .onConflictDoNothing();
  }
}

/** The next batch of recipients after `afterId`, in id order. */
export function recipientBatch(db: Database, list: string, afterId: number, size: number) {
  return db
    .select({ id: newsletterRecipients.id, email: newsletterRecipients.email })
    .from(newsletterRecipients)
    .where(and(eq(newsletterRecipients.list, list), gt(newsletterRecipients.id, afterId)))
    .orderBy(asc(newsletterRecipients.id))
    .limit(size);
}

/**
 * Records a batch as sent for a job; recipients this job already reached are
 * skipped by the unique index, so a replayed batch sends to nobody twice.
 * Returns how many were newly recorded.
 */
export async function recordSends(
  db: Database,
  jobId: string,
  batch: number,
  recipientIds: number[],
): Promise<number> {
  if (recipientIds.length === 0) return 0;
  const rows = await db
    .insert(newsletterSends)
    .values(recipientIds.map((recipientId) => ({ jobId, recipientId, batch })))
    .onConflictDoNothing()
    .returning({ id: newsletterSends.recipientId });
  return rows.length;
}

/** How many recipients a job reached, and how many of them more than once (always 0). */
export async function sendStats(db: Database, jobId: string) {
  const [row] = await db
    .select({
      sent: count(),
      distinct: sql<number>`count(distinct ${newsletterSends.recipientId})::int`,
    })
    .from(newsletterSends)
    .where(eq(newsletterSends.jobId, jobId));
  return { sent: row?.sent ?? 0, duplicates: (row?.sent ?? 0) - (row?.distinct ?? 0) };
}
